package kb

import (
	"testing"
)

func addSeeds(f *testing.F, lists ...[]textCase) {
	for _, l := range lists {
		for _, c := range l {
			f.Add(c.text)
		}
	}
	f.Add("")
	f.Add(" ")
	f.Add("\xff\xfe(target-group ")
	f.Add("failed to resolve ref : not found")
}

func checkInvariants(t *testing.T, text string, ms []Match) {
	t.Helper()
	for _, m := range ms {
		if !KnownID(m.ID) || m.Explanation == "" || m.Pattern == "" {
			t.Fatalf("bad match for %q: %+v", text, m)
		}
		for k, v := range m.Attrs {
			if k == "" || v == "" {
				t.Fatalf("empty attr %q=%q for %q", k, v, text)
			}
		}
	}
}

func FuzzClassifyStopReason(f *testing.F) {
	addSeeds(f, stopCases, seedStopCases)
	f.Fuzz(func(t *testing.T, text string) {
		ms := ClassifyStopReason(text)
		if text != "" && len(ms) == 0 {
			t.Fatalf("no match for non-empty %q", text)
		}
		if text == "" && ms != nil {
			t.Fatalf("match for empty text: %v", ms)
		}
		checkInvariants(t, text, ms)
		seen := map[string]bool{}
		for _, m := range ms {
			if seen[m.ID] {
				t.Fatalf("id %s twice for %q", m.ID, text)
			}
			seen[m.ID] = true
		}
		code := int32(len(text)) - 64
		checkInvariants(t, text, ClassifyContainer(text, &code))
		BenignStopCode("ServiceSchedulerInitiated", text)
	})
}

func FuzzClassifyLogLine(f *testing.F) {
	addSeeds(f, logCases, seedLogCases, eventCases, seedEventCases)
	f.Fuzz(func(t *testing.T, line string) {
		if m, ok := ClassifyLogLine(line); ok {
			checkInvariants(t, line, []Match{m})
		}
		if m, ok := ClassifyEvent(line); ok {
			checkInvariants(t, line, []Match{m})
		}
	})
}
