// Package netpath decides, from gathered facts alone, whether an ECS task's
// network interface can reach an AWS service (or the internet) over HTTPS,
// by which path, and if not, exactly why in the terms of the finding
// catalogue.
//
// It mirrors AWS's own data plane rather than a simplified model, because the
// failures users hit are in the details:
//
//   - DNS decides the path before routing does. An interface endpoint with
//     private DNS (in a VPC with DNS support and DNS hostnames) captures the
//     service's default name, so it is the only path for that service even
//     when a NAT route exists. An endpoint without private DNS is invisible
//     to the ECS agent.
//   - S3 gateway endpoints work through the subnet's route table (a prefix
//     list route), not DNS.
//   - Otherwise the subnet's 0.0.0.0/0 route decides: a usable NAT gateway,
//     or an internet gateway plus a public IP on the task. Other targets
//     (transit gateway, peering, firewall, NAT instance) cannot be followed
//     and are reported as unverified.
//   - Security groups are stateful and union their rules; network ACLs are
//     stateless, first-match, and need the return traffic on ephemeral ports.
//
// Nothing here performs I/O. Missing facts (a nil DNS attribute, a security
// group that was not fetched) mean "cannot tell": the evaluation assumes the
// permissive case and says so in Result.Notes instead of reporting a problem
// it cannot prove.
package netpath
