package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// adminTarget is the running server an admin client command talks to.
type adminTarget struct {
	base  string // http://HOST:PORT
	token string // bearer token, "" for none
}

// parseAdminFlags reads the flags every admin client command shares
// (--addr, --admin-token, each with its environment twin) and answers the
// positional arguments. -h answers flag.ErrHelp, which Run turns into usage.
func (m *Main) parseAdminFlags(name string, args []string) (adminTarget, []string, error) {
	fs := flag.NewFlagSet("ecslocal "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "address of the server (env "+EnvAddr+", default "+DefaultAddr+")")
	token := fs.String("admin-token", "", "admin API token (env "+EnvAdminToken+")")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return adminTarget{}, nil, err
	}
	set := flagsSet(fs)
	if !set["addr"] {
		*addr = m.getenvOr(EnvAddr, DefaultAddr)
	}
	if !set["admin-token"] {
		*token = m.Getenv(EnvAdminToken)
	}
	base, err := baseURL(*addr)
	if err != nil {
		return adminTarget{}, nil, &UsageError{Err: err}
	}
	return adminTarget{base: base, token: *token}, pos, nil
}

// getenvOr reads a variable, answering def when it is unset or empty.
func (m *Main) getenvOr(name, def string) string {
	if v := m.Getenv(name); v != "" {
		return v
	}
	return def
}

// flagsSet answers which flags the command line set.
func flagsSet(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	return set
}

// parseInterspersed parses flags that may stand before, between or after
// the positional arguments ("clock advance 1h --addr X"); after "--" every
// argument is positional, and so is one that reads as a negative number
// ("-1h"), so that the command can explain why it refuses it. A flag
// error is a *UsageError; -h is flag.ErrHelp.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		var rest []string
		for i, a := range args {
			if len(a) > 1 && a[0] == '-' && (a[1] >= '0' && a[1] <= '9' || a[1] == '.') {
				rest, args = args[i:], args[:i]
				break
			}
		}
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, &UsageError{Err: err}
		}
		left := fs.Args()
		if consumed := len(args) - len(left); consumed > 0 && args[consumed-1] == "--" {
			return slices.Concat(pos, left, rest), nil
		}
		if len(left) == 0 && len(rest) == 0 {
			return pos, nil
		}
		if len(left) > 0 {
			pos, args = append(pos, left[0]), slices.Concat(left[1:], rest)
		} else {
			pos, args = append(pos, rest[0]), rest[1:]
		}
	}
}

// baseURL turns an --addr value into the server's base URL: a bare
// HOST:PORT means plain HTTP, an empty or wildcard host means loopback.
func baseURL(addr string) (string, error) {
	if strings.HasPrefix(addr, "http://") || strings.HasPrefix(addr, "https://") {
		u, err := url.Parse(addr)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("--addr %q: want HOST:PORT or http://HOST:PORT", addr)
		}
		return strings.TrimSuffix(u.Scheme+"://"+u.Host+u.Path, "/"), nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--addr %q: want HOST:PORT or http://HOST:PORT", addr)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// adminRequest sends one admin API request with a raw JSON body (nil for
// none) and answers the raw answer; a non-2xx answer is an error carrying
// the server's message. Moving the clock or importing a state answers only
// once the work is done, hence the generous timeout.
func adminRequest(ctx context.Context, t adminTarget, method, path string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := strings.TrimSpace(string(raw))
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	return raw, nil
}

// printJSON writes one answer on a line of its own.
func (m *Main) printJSON(raw []byte) error {
	_, err := fmt.Fprintf(m.Stdout, "%s\n", bytes.TrimRight(raw, "\n"))
	return err
}
