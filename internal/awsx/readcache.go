package awsx

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// settingsReads are the reads of what surrounds a service: its network,
// its roles and policies, the resources its task definition names. They
// change when someone changes them, not while a deployment rolls, so an
// automatic refresh may reuse their answers for a while. The service, its
// tasks, their interfaces and their logs are what a user watches change,
// and are never reused.
var settingsReads = map[string]bool{
	"sts:GetCallerIdentity":           true,
	"ec2:DescribeVpcs":                true,
	"ec2:DescribeVpcAttribute":        true,
	"ec2:DescribeSubnets":             true,
	"ec2:DescribeRouteTables":         true,
	"ec2:DescribeInternetGateways":    true,
	"ec2:DescribeNatGateways":         true,
	"ec2:DescribeNetworkAcls":         true,
	"ec2:DescribeSecurityGroups":      true,
	"ec2:DescribeVpcEndpoints":        true,
	"ec2:DescribeManagedPrefixLists":  true,
	"ec2:GetManagedPrefixListEntries": true,
	"ecs:DescribeTaskDefinition":      true, // a revision never changes
	"iam:GetRole":                     true,
	"iam:ListAttachedRolePolicies":    true,
	"iam:ListRolePolicies":            true,
	"iam:GetRolePolicy":               true,
	"iam:ListPolicies":                true,
	"iam:GetPolicy":                   true,
	"iam:GetPolicyVersion":            true,
	"iam:SimulatePrincipalPolicy":     true,
	"ecr:DescribeImages":              true,
	"logs:DescribeLogGroups":          true,
	"secretsmanager:DescribeSecret":   true,
	"ssm:DescribeParameters":          true,
	"kms:DescribeKey":                 true,
	"rds:DescribeDBInstances":         true,
	"rds:DescribeDBClusters":          true,
}

type readCacheKey struct{}

// WithCachedReads lets the requests under ctx answer reads of a service's
// settings from answers at most maxAge old (0: read afresh), and keeps the
// answers they get for the next such request. Only contexts that ask for
// it touch the cache, so every CLI command reads AWS afresh.
func WithCachedReads(ctx context.Context, maxAge time.Duration) context.Context {
	return context.WithValue(ctx, readCacheKey{}, maxAge)
}

// CachedReadsAge is the maxAge ctx was given by WithCachedReads, if any.
func CachedReadsAge(ctx context.Context) (time.Duration, bool) {
	age, ok := ctx.Value(readCacheKey{}).(time.Duration)
	return age, ok
}

// readCache holds answers to settings reads, per operation and input.
type readCache struct {
	mu      sync.Mutex
	entries map[string]cachedRead
}

type cachedRead struct {
	at     time.Time
	result any
}

// maxCachedReads bounds the cache; past it, stale answers are dropped.
const maxCachedReads = 1024

func (c *readCache) get(key string, maxAge time.Duration) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Since(e.at) > maxAge {
		return nil, false
	}
	return e.result, true
}

func (c *readCache) put(key string, result any, maxAge time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cachedRead{}
	}
	if len(c.entries) >= maxCachedReads {
		for k, e := range c.entries {
			if time.Since(e.at) > maxAge {
				delete(c.entries, k)
			}
		}
	}
	c.entries[key] = cachedRead{at: time.Now(), result: result}
}

// forget drops every answer: after any change ecsdoctor makes, a reused
// answer could contradict it.
func (c *readCache) forget() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}

// addReadCache answers settings reads from the cache when the context asks
// for it, and forgets everything when a change goes out. It runs after the
// guard, so a refused operation neither reads nor clears the cache.
func (m *Middleware) addReadCache(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("ecsdoctorReadCache",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			op := OperationName(ctx)
			if !IsReadOnly(op) {
				m.cache.forget()
				return next.HandleInitialize(ctx, in)
			}
			maxAge, ok := CachedReadsAge(ctx)
			if !ok || !settingsReads[op] {
				return next.HandleInitialize(ctx, in)
			}
			params, err := json.Marshal(in.Parameters)
			if err != nil {
				return next.HandleInitialize(ctx, in)
			}
			key := op + "\x00" + string(params)
			if result, ok := m.cache.get(key, maxAge); ok {
				return middleware.InitializeOutput{Result: result}, middleware.Metadata{}, nil
			}
			out, md, err := next.HandleInitialize(ctx, in)
			if err == nil {
				m.cache.put(key, out.Result, maxAge)
			}
			return out, md, err
		}), middleware.After)
}
