package main

import (
	"context"
	"net/http"
)

// admin runs "reset" and "health": one admin API call each, no arguments.
func (m *Main) admin(ctx context.Context, cmd string, args []string) error {
	target, pos, err := m.parseAdminFlags(cmd, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("%s takes no arguments, got %q", cmd, pos)
	}
	method := http.MethodGet
	if cmd == "reset" {
		method = http.MethodPost
	}
	answer, err := adminRequest(ctx, target, method, "/_ecslocal/"+cmd, nil)
	if err != nil {
		return err
	}
	return m.printJSON(answer)
}
