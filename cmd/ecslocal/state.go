package main

import (
	"context"
	"io"
	"net/http"
	"os"
)

// state runs "state export [FILE]" and "state import FILE".
func (m *Main) state(ctx context.Context, args []string) error {
	target, pos, err := m.parseAdminFlags("state", args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) >= 1 && len(pos) <= 2 && pos[0] == "export":
		doc, err := adminRequest(ctx, target, http.MethodGet, "/_ecslocal/state", nil)
		if err != nil {
			return err
		}
		if len(pos) == 2 && pos[1] != "-" {
			return os.WriteFile(pos[1], doc, 0o644)
		}
		_, err = m.Stdout.Write(doc)
		return err
	case len(pos) == 2 && pos[0] == "import":
		var doc []byte
		if pos[1] == "-" {
			in := m.Stdin
			if in == nil {
				in = os.Stdin
			}
			doc, err = io.ReadAll(in)
		} else {
			doc, err = os.ReadFile(pos[1])
		}
		if err != nil {
			return err
		}
		answer, err := adminRequest(ctx, target, http.MethodPut, "/_ecslocal/state", doc)
		if err != nil {
			return err
		}
		return m.printJSON(answer)
	}
	return usagef("state takes export [FILE] or import FILE; got %q", pos)
}
