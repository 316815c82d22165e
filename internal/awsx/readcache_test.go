package awsx

import (
	"fmt"
	"testing"
	"time"
)

// TestReadCacheAges: maxAge 0 always reads afresh (but keeps the answer),
// answers older than maxAge are not reused, forget drops everything, and
// a full cache sheds stale answers.
func TestReadCacheAges(t *testing.T) {
	var c readCache
	c.put("k", "v", 0)
	if _, ok := c.get("k", 0); ok {
		t.Error("maxAge 0 reused an answer")
	}
	if v, ok := c.get("k", time.Minute); !ok || v != "v" {
		t.Errorf("got %v %v, want the kept answer", v, ok)
	}
	c.entries["old"] = cachedRead{at: time.Now().Add(-2 * time.Minute), result: "stale"}
	if _, ok := c.get("old", time.Minute); ok {
		t.Error("an answer older than maxAge was reused")
	}
	c.forget()
	if _, ok := c.get("k", time.Minute); ok {
		t.Error("forget kept an answer")
	}
	for i := range maxCachedReads {
		c.put(fmt.Sprint(i), i, time.Minute)
		c.entries[fmt.Sprint(i)] = cachedRead{at: time.Now().Add(-time.Hour), result: i}
	}
	c.put("fresh", 1, time.Minute)
	if len(c.entries) != 1 {
		t.Errorf("a full cache kept %d entries, want only the fresh one", len(c.entries))
	}
}
