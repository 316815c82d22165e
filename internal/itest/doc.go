// Package itest holds the integration tests: scenario worlds built in
// moto_server through the real AWS API, diagnosed through the real SDK
// clients and middleware, and checked against each scenario's Expect block.
package itest
