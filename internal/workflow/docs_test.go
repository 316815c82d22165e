package workflow

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// docs/findings holds one page per finding id (docs/findings/<id>.md) and
// docs/findings.md is their index. The catalogue in helpers_test.go is the
// list of ids the product can emit: no id may lack a page, and no page may
// describe an id the product does not have.
const findingDocs = "../../docs/findings"

// pageSections are the headings every page has, in order.
var pageSections = []string{"## What it means", "## Why it happens", "## Confirm it by hand", "## Fixes"}

func TestEveryFindingHasADocPage(t *testing.T) {
	entries, err := os.ReadDir(findingDocs)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		id, ok := strings.CutSuffix(name, ".md")
		if e.IsDir() || !ok {
			t.Errorf("docs/findings/%s: only <finding-id>.md pages belong here", name)
			continue
		}
		pages[id] = true
		if _, known := catalogue[id]; !known {
			t.Errorf("docs/findings/%s describes %q, which is not in the finding catalogue", name, id)
		}
	}
	var missing []string
	for id := range catalogue {
		if !pages[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	for _, id := range missing {
		t.Errorf("finding %s has no page: write docs/findings/%s.md", id, id)
	}
}

var cliLine = regexp.MustCompile("(?m)^aws [a-z0-9-]+ [a-z0-9-]+")

func TestFindingPagesFollowTheTemplate(t *testing.T) {
	titles := map[StepID]Step{}
	for _, s := range StepTitles() {
		titles[s.ID] = s
	}
	for id, entry := range catalogue {
		path := filepath.Join(findingDocs, id+".md")
		b, err := os.ReadFile(path)
		if err != nil {
			continue // TestEveryFindingHasADocPage reports it
		}
		page := string(b)
		lines := strings.SplitN(page, "\n", 4)
		if len(lines) < 3 || lines[0] != "# `"+id+"`" {
			t.Errorf("%s: the first line must be \"# `%s`\"", path, id)
			continue
		}
		step := titles[entry.step]
		attrs := "none"
		if len(entry.attrs) > 0 {
			attrs = "`" + strings.Join(entry.attrs, "`, `") + "`"
		}
		if want := "Step " + strconv.Itoa(step.N) + " · " + step.Title + " · attrs: " + attrs; lines[2] != want {
			t.Errorf("%s: line 3 is %q, want %q (the catalogue's step and attrs)", path, lines[2], want)
		}
		at := 0
		for _, h := range pageSections {
			i := strings.Index(page, "\n"+h+"\n")
			if i < 0 {
				t.Errorf("%s: no %q section", path, h)
				continue
			}
			if i < at {
				t.Errorf("%s: section %q is out of order", path, h)
			}
			at = i
		}
		confirm := section(page, "## Confirm it by hand")
		if !strings.Contains(confirm, "```sh\n") || !cliLine.MatchString(confirm) {
			t.Errorf("%s: \"Confirm it by hand\" needs a ```sh block with AWS CLI commands", path)
		}
		if !strings.Contains(page, "](../findings.md)") {
			t.Errorf("%s: no link back to ../findings.md", path)
		}
	}
}

// Every fix kind is explained on the page of a finding that offers it.
func TestEveryFixKindIsDocumented(t *testing.T) {
	var all strings.Builder
	for id := range catalogue {
		b, _ := os.ReadFile(filepath.Join(findingDocs, id+".md"))
		all.WriteString(section(string(b), "## Fixes"))
	}
	for kind := range fixKinds {
		if !strings.Contains(all.String(), "`"+kind+"`") {
			t.Errorf("fix kind %s is not described in the Fixes section of any finding page", kind)
		}
	}
}

func TestFindingsIndexLinksEveryPage(t *testing.T) {
	b, err := os.ReadFile("../../docs/findings.md")
	if err != nil {
		t.Fatal(err)
	}
	index := string(b)
	for id := range catalogue {
		if !strings.Contains(index, "(findings/"+id+".md)") {
			t.Errorf("docs/findings.md does not link findings/%s.md", id)
		}
	}
	for _, m := range regexp.MustCompile(`\(findings/([^)]+)\.md\)`).FindAllStringSubmatch(index, -1) {
		if _, ok := catalogue[m[1]]; !ok {
			t.Errorf("docs/findings.md links findings/%s.md, which is not a catalogue id", m[1])
		}
	}
}

// section returns the text under heading up to the next "## " heading.
func section(page, heading string) string {
	i := strings.Index(page, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := page[i+len(heading)+2:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		return rest[:j]
	}
	return rest
}
