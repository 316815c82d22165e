// Package facts holds what a diagnosis knows about one ECS service: plain Go
// values with JSON tags, converted from AWS API responses by internal/awsx and
// read by internal/workflow. Nothing here performs I/O.
//
// The types keep AWS's own vocabulary (ids, ARNs, states as AWS spells them)
// so that a snapshot of Facts reads like the API output a user already knows.
// Pointers mean "AWS may not have said": every reader must nil-check them.
package facts
