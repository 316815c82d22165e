// Package sim is a simulated AWS account: the demo's world and a test bed
// that needs no server.
//
// An Account holds the resources of one or more scenarios (VPCs, security
// groups, endpoints, IAM roles, secrets, log groups, images, databases, ECS
// services) and answers the same narrow interfaces the real SDK clients
// satisfy (awsx.Readers and awsx.Writers), with the SDK's own input and
// output types and AWS's own error codes. The diagnosis, the TUI and the
// fixes therefore run on it unchanged.
//
// It is also alive. A virtual ECS scheduler keeps each service at its
// desired count, and every task it starts goes through the simulator's own
// start-up rules: the order in which ECS does things, the network paths a
// task has to AWS services, what the execution role allows. A task that
// cannot reach ECR stops with the very text AWS writes; fix the world
// through the Writers and the next task starts. These rules are the
// simulator's own small code, independent of the diagnosis (which must
// never grade its own homework).
//
// Time is virtual and lazy: nothing runs in the background. Every call
// first advances the world to Options.Now(), replaying whatever the
// scheduler planned in between, under one mutex.
//
// A map of the package, for a first read:
//
//	sim.go, doc.go        Account, Options, New, NewDemo, ID, Resolver
//	state.go              the records the account is made of
//	build*.go, demo.go    scenario -> records (demo.go: names in the shared account)
//	ids.go, addresses.go  stable ids, ARNs, IP addresses
//	scheduler.go          the clock and its event queue
//	past.go               the twenty minutes before the account was created
//	service.go, task.go   the ECS scheduler and a task's life
//	rules_startup.go      what must work for a task to start, in ECS's order
//	rules_network.go      can a task reach an address? (routes, endpoints, SGs, ACLs)
//	rules_app.go          health checks and the application's log lines
//	policy_match.go       a small IAM evaluator
//	messages.go           AWS's texts: stop reasons, service events, log lines
//	ecs_*.go, ec2_*.go, iam.go, logs.go, secrets.go, ecr.go, rds.go, sts.go
//	                      the API, one file per service (and its rendering)
//	page.go, filters.go, errors.go   pagination, EC2 filters, error codes
package sim
