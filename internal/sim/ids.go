package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// Every id the simulator hands out is derived from a hash of where the
// resource comes from (the scenario's name, the kind of resource, its
// name). The same scenario therefore always shows the same ids, which keeps
// tests, golden files and screenshots stable, while two scenarios in one
// demo account never collide.

// hashOf hashes the parts with a separator, so that ("ab","c") and
// ("a","bc") differ.
func hashOf(parts ...string) [32]byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// unique returns gen(parts), or gen of the parts with a counter appended
// if that id was already taken: ids must never repeat within an account.
func (a *Account) unique(gen func(parts ...string) string, parts ...string) string {
	id := gen(parts...)
	for n := 2; a.used[id]; n++ {
		id = gen(append(parts, fmt.Sprint(n))...)
	}
	a.used[id] = true
	return id
}

// ec2ID is an EC2-style id: prefix, "-0", 16 hex digits (vpc-0a1b...).
func (a *Account) ec2ID(prefix string, parts ...string) string {
	return a.unique(func(p ...string) string {
		h := hashOf(append([]string{prefix}, p...)...)
		return prefix + "-0" + hex.EncodeToString(h[:8])
	}, parts...)
}

// hexID is n lowercase hex digits, as in ECS task ids (32).
func (a *Account) hexID(n int, parts ...string) string {
	return a.unique(func(p ...string) string {
		h := hashOf(p...)
		return hex.EncodeToString(h[:])[:n]
	}, parts...)
}

// uuid is a version-4-shaped UUID, as AWS uses for event, request, KMS key
// and attachment ids.
func (a *Account) uuid(parts ...string) string {
	return a.unique(func(p ...string) string {
		h := hashOf(p...)
		h[6] = h[6]&0x0f | 0x40
		h[8] = h[8]&0x3f | 0x80
		x := hex.EncodeToString(h[:16])
		return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
	}, parts...)
}

// digits is an n-digit decimal number without a leading zero, as in
// deployment ids (ecs-svc/7712034489187205516).
func (a *Account) digits(n int, parts ...string) string {
	return a.unique(func(p ...string) string {
		h := hashOf(p...)
		var b strings.Builder
		b.WriteByte('1' + byte(h[0]%9))
		for i := 1; i < n; i++ {
			b.WriteByte('0' + byte(binary.BigEndian.Uint16(h[i%30:])%10))
		}
		return b.String()
	}, parts...)
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// alnumID is n characters from alphabet, as in the six random characters
// Secrets Manager appends to a secret's ARN, or IAM's unique ids.
func (a *Account) alnumID(alphabet string, n int, parts ...string) string {
	return a.unique(func(p ...string) string {
		h := hashOf(p...)
		out := make([]byte, n)
		for i := range out {
			out[i] = alphabet[int(h[i%32]+byte(i/32))%len(alphabet)]
		}
		return string(out)
	}, parts...)
}

// iamUniqueID is IAM's id of a role (AROA...) or policy (ANPA...).
func (a *Account) iamUniqueID(prefix string, parts ...string) string {
	return prefix + a.alnumID("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17, append([]string{prefix}, parts...)...)
}

// digest is an image digest: sha256 of where the image comes from.
func digest(parts ...string) string {
	h := hashOf(parts...)
	return "sha256:" + hex.EncodeToString(h[:])
}

// namedID is the id of a resource a scenario names: in a replayed snapshot,
// where resources are named by their AWS ids ("vpc-0abc..."), the name
// itself; otherwise an id derived from the scenario and the name.
func (a *Account) namedID(prefix, scenarioName, name string) string {
	if a.opts.Replay && strings.HasPrefix(name, prefix+"-") && !a.used[name] {
		a.used[name] = true
		return name
	}
	return a.ec2ID(prefix, scenarioName, name)
}
