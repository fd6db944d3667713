package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestRun derives the compact definition from a small invented metadata
// tree: actions sorted, parameters compacted with their sub-parameters,
// the commit recorded, Body positions kept.
func TestRun(t *testing.T) {
	meta, out := t.TempDir(), t.TempDir()
	write := func(path, body string) {
		t.Helper()
		p := filepath.Join(meta, "metadatas", path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("products.json", `{"products":[
		{"code":"Ecs","version":"2014-05-26","apis":["StopThing","DeleteThings"]},
		{"code":"Vpc","version":"2016-04-28","apis":["MakeNet"]},
		{"code":"Slb","version":"2014-05-15","apis":[]},
		{"code":"Ram","version":"2015-05-01","apis":[]},
		{"code":"Sts","version":"2015-04-01","apis":[]},
		{"code":"Other","version":"2020-01-01","apis":["Ignored"]}]}`)
	write("ecs/DeleteThings.json", `{"name":"DeleteThings","parameters":[
		{"name":"ThingId","position":"Query","type":"RepeatList","required":true},
		{"name":"Tag","position":"Query","type":"RepeatList","required":false,"sub_parameters":[
			{"name":"Value","position":"Query","type":"String","required":false},
			{"name":"Key","position":"Query","type":"String","required":false}]},
		{"name":"RegionId","position":"Query","type":"String","required":true}]}`)
	write("ecs/StopThing.json", `{"name":"StopThing","parameters":[{"name":"Force","position":"Query","type":"Boolean","required":false}]}`)
	write("vpc/MakeNet.json", `{"name":"MakeNet","parameters":[{"name":"Spec","position":"Body","type":"Array","required":false}]}`)
	if err := run(meta, "0123456789012345678901234567890123456789", out); err != nil {
		t.Fatal(err)
	}
	var ecs struct {
		Product, Version, Commit string
		Actions                  map[string][]param
	}
	raw, err := os.ReadFile(filepath.Join(out, "ecs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &ecs); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	del := ecs.Actions["DeleteThings"]
	if ecs.Product != "Ecs" || ecs.Commit != "0123456789012345678901234567890123456789" || len(ecs.Actions) != 2 ||
		len(del) != 3 || del[0].Name != "RegionId" || !del[0].Required || del[1].Name != "Tag" || del[1].Sub[0].Name != "Key" ||
		del[2].Type != "RepeatList" {
		t.Fatalf("ecs.json:\n%s", raw)
	}
	raw, err = os.ReadFile(filepath.Join(out, "vpc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vpc struct{ Actions map[string][]param }
	if err := json.Unmarshal(raw, &vpc); err != nil || !vpc.Actions["MakeNet"][0].Body {
		t.Fatalf("vpc.json: %v\n%s", err, raw)
	}
}
