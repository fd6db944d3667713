package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// clock runs "clock", "clock advance DURATION" and "clock set RFC3339".
func (m *Main) clock(ctx context.Context, args []string) error {
	target, pos, err := m.parseAdminFlags("clock", args)
	if err != nil {
		return err
	}
	var body map[string]string
	switch {
	case len(pos) == 0:
	case len(pos) == 2 && pos[0] == "advance":
		if strings.HasPrefix(pos[1], "-") {
			return usagef("clock advance %q: the emulated clock never goes back; give a positive duration such as 90s or 1h (reset or import a state to start over)", pos[1])
		}
		if _, err := time.ParseDuration(pos[1]); err != nil {
			return usagef("clock advance %q: want a positive Go duration such as 90s or 1h", pos[1])
		}
		body = map[string]string{"advance": pos[1]}
	case len(pos) == 2 && pos[0] == "set":
		if _, err := time.Parse(time.RFC3339Nano, pos[1]); err != nil {
			return usagef("clock set %q: want an RFC 3339 time such as 2030-01-02T15:04:05Z", pos[1])
		}
		body = map[string]string{"set": pos[1]}
	default:
		return usagef("clock takes nothing, advance DURATION, or set RFC3339; got %q", pos)
	}
	method, raw := http.MethodGet, []byte(nil)
	if body != nil {
		method = http.MethodPost
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	answer, err := adminRequest(ctx, target, method, "/_ecslocal/clock", raw)
	if err != nil {
		return err
	}
	return m.printJSON(answer)
}
