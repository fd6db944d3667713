// Package layout holds the tests of the repository's shape: which package
// may import which, and that every index a query names is declared.
package layout

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

const module = "github.com/ecslocal/ecslocal/"

// imports lists each package of the module with its non-test imports.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, ":")
		m[strings.TrimPrefix(pkg, module)] = strings.Fields(deps)
	}
	return m
}

// TestImportDirection: the wire protocol knows no resources, the domain
// knows neither wire nor storage, the store knows no rules or workflows.
func TestImportDirection(t *testing.T) {
	forbidden := map[string][]string{
		"internal/apierr":    {module + "internal/"},
		"internal/rpc":       {module + "internal/cloud", module + "internal/store", module + "internal/lifecycle", module + "internal/ecs", module + "internal/vpc", module + "internal/slb", module + "internal/admin", module + "internal/clock"},
		"internal/cloud":     {module + "internal/store", module + "internal/rpc", module + "internal/lifecycle", "net/http", "database/sql"},
		"internal/lifecycle": {module + "internal/rpc", module + "internal/ecs", module + "internal/vpc", module + "internal/slb", module + "internal/admin", "net/http"},
		"internal/store":     {module + "internal/lifecycle", module + "internal/clock", module + "internal/rpc", module + "internal/ecs", module + "internal/vpc", module + "internal/slb", module + "internal/admin", module + "internal/server", "net/http"},
		"internal/ecs":       {module + "internal/admin", module + "internal/server", module + "internal/store/"},
		"internal/vpc":       {module + "internal/admin", module + "internal/server", module + "internal/store/"},
		"internal/slb":       {module + "internal/admin", module + "internal/server", module + "internal/store/"},
		"internal/tagging":   {module + "internal/admin", module + "internal/server", module + "internal/store/", module + "internal/ecs", module + "internal/vpc", module + "internal/slb"},
	}
	all := imports(t)
	for pkg, deps := range all {
		for prefix, bad := range forbidden {
			if pkg != prefix && !strings.HasPrefix(pkg, prefix+"/") {
				continue
			}
			for _, d := range deps {
				for _, b := range bad {
					if d == b || strings.HasPrefix(d, b) && (strings.HasSuffix(b, "/") || strings.HasPrefix(d, b+"/")) {
						t.Errorf("%s imports %s", pkg, d)
					}
				}
			}
		}
	}
	if _, ok := all["internal/lifecycle"]; !ok {
		t.Fatal("go list did not list internal/lifecycle")
	}
}

var (
	whereLiteral = regexp.MustCompile(`Where\("([a-zA-Z]+)"`)
	paramTable   = regexp.MustCompile(`\{"[A-Z][A-Za-z]*", "([a-z][A-Za-z]*)"\}`)
	valueTable   = regexp.MustCompile(`\{"([a-z][A-Za-z]*)", req\.[A-Za-z]+\}`)
)

// TestQueriedIndexesDeclared: every index name a query spells out in the
// source is declared by some kind (store.CheckQuery then holds it to the
// kind queried, at run time).
func TestQueriedIndexesDeclared(t *testing.T) {
	var declared []string
	for _, k := range cloud.Kinds() {
		for _, d := range k.Indexes {
			declared = append(declared, string(d.Name))
		}
	}
	files, _ := filepath.Glob("../*/*.go")
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.Contains(f, "/cloud/") || strings.Contains(f, "/store/") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{whereLiteral, paramTable, valueTable} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				found++
				if !slices.Contains(declared, m[1]) {
					t.Errorf("%s queries index %q, which no kind declares", f, m[1])
				}
			}
		}
	}
	if found < 50 {
		t.Fatalf("found only %d index names in the source: the patterns no longer match it", found)
	}
}
