package slb

import (
	"encoding/json"
	"testing"
)

// The alicloud provider sends BackendServers with single-quoted strings.
func TestSingleQuotedBackendServers(t *testing.T) {
	for in, want := range map[string]string{
		`[{'ServerId':'i-1','Weight':'100', 'Type': 'ecs'}]`:  `[{"ServerId":"i-1","Weight":"100", "Type": "ecs"}]`,
		`[{"ServerId":"i-1","Description":"it's"}]`:           `[{"ServerId":"i-1","Description":"it's"}]`,
		`[{'ServerId':'i-1','Description':'say "hi" \'x\''}]`: `[{"ServerId":"i-1","Description":"say \"hi\" 'x'"}]`,
		`["i-1"]`: `["i-1"]`,
	} {
		got := singleQuoted(in)
		if got != want {
			t.Errorf("singleQuoted(%s) = %s, want %s", in, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("singleQuoted(%s) = %s: not JSON", in, got)
		}
	}
}
