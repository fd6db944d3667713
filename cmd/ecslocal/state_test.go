package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestState: export to a file and stdout, import from a file, and load a
// state at start with --init-state or ECSLOCAL_INIT_STATE.
func TestState(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock")
	var vpc struct{ VpcId string }
	s.callJSON(t, &vpc, "CreateVpc", "--product", "vpc", "CidrBlock=172.16.0.0/12")
	var clock struct{ Now time.Time }
	s.admin(t, &clock, "clock", "advance", "1h")

	file := filepath.Join(t.TempDir(), "world.json")
	if code, stdout, stderr := run(t, env{}, "state", "export", file, "--addr", s.addr); code != 0 || stdout != "" {
		t.Fatalf("state export FILE: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	doc, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(doc), `"schemaVersion": 1`) || !strings.Contains(string(doc), vpc.VpcId) {
		t.Fatalf("exported file: %v\n%.400s", err, doc)
	}
	code, stdout, _ := run(t, env{EnvAddr: s.addr}, "state", "export")
	if code != 0 || stdout != string(doc) {
		t.Errorf("state export to stdout differs from the file (exit %d)", code)
	}

	var reset struct{ Status string }
	s.admin(t, &reset, "reset")
	var vpcs struct{ TotalCount int }
	s.callJSON(t, &vpcs, "DescribeVpcs", "--product", "vpc")
	if vpcs.TotalCount != 0 {
		t.Fatalf("reset kept the VPC")
	}
	var imported struct {
		Status    string
		Resources int
	}
	s.admin(t, &imported, "state", "import", file)
	if imported.Status != "imported" || imported.Resources == 0 {
		t.Errorf("state import: %+v", imported)
	}
	s.callJSON(t, &vpcs, "DescribeVpcs", "--product", "vpc")
	if vpcs.TotalCount != 1 {
		t.Errorf("after import: %d VPCs, want 1", vpcs.TotalCount)
	}

	// A refused import: the server's message, exit 1.
	bad := filepath.Join(t.TempDir(), "future.json")
	os.WriteFile(bad, []byte(`{"schemaVersion": 99, "accounts": []}`), 0o644)
	code, _, stderr := run(t, env{}, "state", "import", bad, "--addr", s.addr)
	if code != 1 || !strings.Contains(stderr, "400") || !strings.Contains(stderr, "schemaVersion 99") {
		t.Errorf("import of a newer version: exit %d stderr %q", code, stderr)
	}
	for _, args := range [][]string{{"state"}, {"state", "import"}, {"state", "export", "a", "b"}, {"state", "load", "x"}} {
		if code, _, _ := run(t, env{}, append(args, "--addr", s.addr)...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}

	// --init-state loads the world at start, clock included.
	s2 := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock", "--init-state", file)
	s2.callJSON(t, &vpcs, "DescribeVpcs", "--product", "vpc")
	if vpcs.TotalCount != 1 {
		t.Errorf("--init-state: %d VPCs, want 1", vpcs.TotalCount)
	}
	var clock2 struct{ Now time.Time }
	s2.admin(t, &clock2, "clock")
	if !clock2.Now.Equal(clock.Now) {
		t.Errorf("--init-state clock %v, want the document's %v", clock2.Now, clock.Now)
	}
	// A state that cannot be loaded stops the start: exit 1.
	code, _, stderr = run(t, env{}, "serve", "--addr", "127.0.0.1:0", "--store", "memory", "--init-state", bad)
	if code != 1 || !strings.Contains(stderr, "schemaVersion 99") {
		t.Errorf("serve --init-state of a newer version: exit %d stderr %q", code, stderr)
	}
}

func TestLoadConfig_InitState(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  env
		want string
	}{
		{nil, env{}, ""},
		{nil, env{EnvInitState: "/env.json"}, "/env.json"},
		{[]string{"--init-state", "/flag.json"}, env{EnvInitState: "/env.json"}, "/flag.json"},
	} {
		cfg, _, err := LoadConfig(c.args, c.env.get)
		if err != nil || cfg.InitState != c.want {
			t.Errorf("LoadConfig(%q, %v): InitState %q, %v; want %q", c.args, c.env, cfg.InitState, err, c.want)
		}
	}
}
