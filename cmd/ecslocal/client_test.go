package main

import (
	"testing"
)

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:8790":         "http://127.0.0.1:8790",
		":8790":                  "http://127.0.0.1:8790",
		"0.0.0.0:8790":           "http://127.0.0.1:8790",
		"[::]:8790":              "http://127.0.0.1:8790",
		"localhost:1":            "http://localhost:1",
		"[::1]:8790":             "http://[::1]:8790",
		"http://127.0.0.1:8790/": "http://127.0.0.1:8790",
		"https://ecs.example:9":  "https://ecs.example:9",
	} {
		if got, err := baseURL(in); err != nil || got != want {
			t.Errorf("baseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
