package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the repository's root, seen from this package's directory.
const repoRoot = "../.."

// docFiles are the README and every page under docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("docs/*.md: %v, %d pages", err, len(pages))
	}
	return append([]string{filepath.Join(repoRoot, "README.md")}, pages...)
}

// TestREADME_QuickStart holds the README short and its set-up block to
// exactly the two commands a newcomer runs.
func TestREADME_QuickStart(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	if n := strings.Count(text, "\n"); n >= 250 {
		t.Errorf("README.md has %d lines, want under 250: move detail to docs/", n)
	}
	_, quick, ok := strings.Cut(text, "\n## Quick start\n")
	if !ok {
		t.Fatal(`README.md has no "## Quick start" section`)
	}
	_, block, ok := strings.Cut(quick, "```sh\n")
	if !ok {
		t.Fatal("the Quick start section has no sh block")
	}
	block, _, _ = strings.Cut(block, "```")
	var commands []string
	for _, line := range strings.Split(block, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			commands = append(commands, line)
		}
	}
	if want := []string{"go run ./cmd/ecslocal serve", "go test ./..."}; !slices.Equal(commands, want) {
		t.Errorf("Quick start commands %q, want exactly %q", commands, want)
	}
}

var (
	mdLink    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	mdHeading = regexp.MustCompile("(?m)^#{1,6} (.+)$")
	// Words that tell a history instead of describing the project, and
	// references to files that are not in the repository.
	forbidden = regexp.MustCompile(`(?i)\bthis session\b|\bprevious session\b|\bthe last session\b|\bshared/(style|design)\.md|\bspec/(protocol|semantics)\.md|§|/work/`)
)

// TestDocs_Links: every relative link of the README and the docs names a
// file of the repository, and an anchor names a heading of that file.
func TestDocs_Links(t *testing.T) {
	anchors := map[string]map[string]bool{} // file → heading slugs
	slugs := func(path string) map[string]bool {
		if s, ok := anchors[path]; ok {
			return s
		}
		s := map[string]bool{}
		if raw, err := os.ReadFile(path); err == nil {
			for _, m := range mdHeading.FindAllStringSubmatch(withoutCode(string(raw)), -1) {
				s[slug(m[1])] = true
			}
		}
		anchors[path] = s
		return s
	}
	for _, file := range docFiles(t) {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := withoutCode(string(raw))
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			target, anchor, _ := strings.Cut(link, "#")
			path := file
			if target != "" {
				if filepath.IsAbs(target) {
					t.Errorf("%s: link %q is absolute; link within the repository", file, link)
					continue
				}
				path = filepath.Join(filepath.Dir(file), target)
				rel, err := filepath.Rel(repoRoot, path)
				if err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("%s: link %q leaves the repository", file, link)
					continue
				}
				if _, err := os.Stat(path); err != nil {
					t.Errorf("%s: link %q: %v", file, link, err)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(path, ".md") && !slugs(path)[anchor] {
				t.Errorf("%s: link %q: no heading with anchor #%s in %s", file, link, anchor, path)
			}
		}
	}
}

// TestDocs_OwnWords: the README and the docs describe the project, not the
// history of its making, and cite nothing outside the repository.
func TestDocs_OwnWords(t *testing.T) {
	for _, file := range docFiles(t) {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			if m := forbidden.FindString(sc.Text()); m != "" {
				t.Errorf("%s:%d: %q: say it about the project, within the repository", file, n, m)
			}
		}
		f.Close()
	}
}

// withoutCode drops fenced code blocks, whose brackets are not links.
func withoutCode(text string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			in = !in
			continue
		}
		if !in {
			b.WriteString(line)
		}
	}
	return b.String()
}

// slug is the anchor GitHub gives a heading: lower case, punctuation
// dropped, spaces as hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}
