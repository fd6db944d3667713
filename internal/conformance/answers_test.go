package conformance

import (
	"strings"
	"testing"
)

// TestAnswersMatchModels: every registered action's answer has only members
// the official SDK's answer model has, of the same JSON kind.
func TestAnswersMatchModels(t *testing.T) {
	tbl := Table()
	resp := tbl.Responses()
	used := map[string]bool{}
	for _, key := range sorted(tbl.Actions()) {
		version, action, _ := strings.Cut(key, "/")
		models, sdks := answerModels(version, action)
		if len(models) == 0 {
			if ModelGaps[key] == "" {
				t.Errorf("%s: no official SDK answer model found", key)
			}
			continue
		}
		var extra, unsent []string
		compareModel("", resp[key], models, &extra, &unsent)
		for _, e := range extra {
			if AnswerGaps[key+" "+strings.Fields(e)[0]] != "" {
				used[key+" "+strings.Fields(e)[0]] = true
				continue
			}
			t.Errorf("%s answers %s %v", key, e, sdks)
		}
	}
	for k := range AnswerGaps {
		if !used[k] {
			t.Errorf("AnswerGaps lists %s, which no longer differs", k)
		}
	}
}
