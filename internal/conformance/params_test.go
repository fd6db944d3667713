package conformance

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/apidef"
)

// protocolParams are the gateway's own parameters, official for every action.
var protocolParams = map[string]bool{"OwnerId": true, "OwnerAccount": true, "ResourceOwnerId": true, "ResourceOwnerAccount": true}

// TestActionsAreOfficial: every registered action is in its product
// version's official action list, or an alias listed with its reason.
func TestActionsAreOfficial(t *testing.T) {
	defs := apidef.MustLoad()
	for _, key := range sorted(Table().Actions()) {
		version, action, _ := strings.Cut(key, "/")
		if defs.Official("", version, action) {
			continue
		}
		if _, ok := Aliases[key]; !ok {
			t.Errorf("%s is not an official action of %s", action, version)
		}
	}
}

// TestBinderParamsAreOfficial: every parameter a binder reads is an official
// parameter of its action, spelled exactly.
func TestBinderParamsAreOfficial(t *testing.T) {
	defs := apidef.MustLoad()
	tbl := Table()
	for _, key := range sorted(tbl.Actions()) {
		version, action, _ := strings.Cut(key, "/")
		params := defs.Params(version, action)
		if params == nil {
			continue // an alias: TestActionsAreOfficial covers it
		}
		names, _ := ReadNames(tbl, defs, version, action)
		for _, name := range names {
			if protocolParams[name] || apidef.IsWireName(params, name) {
				continue
			}
			if ExtraReason(defs, version, action, name) != "" {
				continue
			}
			t.Errorf("%s %s reads %q, not an official parameter (official: %s)", version, action, name, strings.Join(apidef.WireNames(params), " "))
		}
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

// TestExtraParamsNeeded: every listed difference is still read, so the
// list does not outlive a fix.
func TestExtraParamsNeeded(t *testing.T) {
	tbl := Table()
	for _, k := range sortedKeys(ExtraParams) {
		key, name, _ := strings.Cut(k, " ")
		version, action, _ := strings.Cut(key, "/")
		names, _ := ReadNames(tbl, apidef.MustLoad(), version, action)
		if !slices.Contains(names, name) {
			t.Errorf("ExtraParams lists %s, which its binder no longer reads", k)
		}
	}
}
