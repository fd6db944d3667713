// Command gen derives internal/apidef/data from a copy of Alibaba's public
// API metadata (the aliyun/aliyun-openapi-meta repository): for ECS
// 2014-05-26, VPC 2016-04-28, SLB 2014-05-15, RAM 2015-05-01 and STS 2015-04-01, every action and, per
// action, its parameters' names, types, required flags and sub-parameters.
// Nothing else of that repository is copied.
//
//	go run ./internal/apidef/gen -meta DIR [-commit SHA] [-out internal/apidef/data]
//
// DIR holds metadatas/products.json and metadatas/<product>/<Action>.json;
// the commit defaults to `git -C DIR rev-parse HEAD`.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// products are the product versions ecslocal serves.
var products = []struct{ Code, Version, File string }{
	{"Ecs", "2014-05-26", "ecs.json"},
	{"Vpc", "2016-04-28", "vpc.json"},
	{"Slb", "2014-05-15", "slb.json"},
	{"Ram", "2015-05-01", "ram.json"},
	{"Sts", "2015-04-01", "sts.json"},
}

type metaParam struct {
	Name     string      `json:"name"`
	Position string      `json:"position"`
	Type     string      `json:"type"`
	Required bool        `json:"required"`
	Sub      []metaParam `json:"sub_parameters"`
}

// param is the compact form apidef reads; its field names must match there.
type param struct {
	Name     string  `json:"n"`
	Type     string  `json:"t"`
	Required bool    `json:"r,omitempty"`
	Body     bool    `json:"b,omitempty"`
	Sub      []param `json:"s,omitempty"`
}

func main() {
	meta := flag.String("meta", "", "directory of an aliyun-openapi-meta copy (holds metadatas/)")
	commit := flag.String("commit", "", "the metadata commit; default: git rev-parse HEAD in -meta")
	out := flag.String("out", filepath.Join("internal", "apidef", "data"), "output directory")
	flag.Parse()
	if *meta == "" {
		fmt.Fprintln(os.Stderr, "gen: -meta DIR is required")
		os.Exit(2)
	}
	if err := run(*meta, *commit, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(meta, commit, out string) error {
	if commit == "" {
		b, err := exec.Command("git", "-C", meta, "rev-parse", "HEAD").Output()
		if err != nil {
			return fmt.Errorf("no -commit and git rev-parse failed: %w", err)
		}
		commit = strings.TrimSpace(string(b))
	}
	raw, err := os.ReadFile(filepath.Join(meta, "metadatas", "products.json"))
	if err != nil {
		return err
	}
	var idx struct {
		Products []struct {
			Code    string   `json:"code"`
			Version string   `json:"version"`
			APIs    []string `json:"apis"`
		} `json:"products"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		return fmt.Errorf("products.json: %w", err)
	}
	for _, want := range products {
		var apis []string
		found := false
		for _, p := range idx.Products {
			if p.Code == want.Code && p.Version == want.Version {
				apis, found = p.APIs, true
			}
		}
		if !found {
			return fmt.Errorf("products.json has no %s %s", want.Code, want.Version)
		}
		slices.Sort(apis)
		var b bytes.Buffer
		fmt.Fprintf(&b, "{\"product\":%q,\"version\":%q,\"source\":\"aliyun/aliyun-openapi-meta\",\"commit\":%q,\"actions\":{", want.Code, want.Version, commit)
		for i, api := range apis {
			ps, err := readAction(filepath.Join(meta, "metadatas", strings.ToLower(want.Code), api+".json"))
			if err != nil {
				return err
			}
			enc, err := json.Marshal(ps)
			if err != nil {
				return err
			}
			if i > 0 {
				b.WriteByte(',')
			}
			// One action a line: a regenerated file diffs by action.
			fmt.Fprintf(&b, "\n%q:%s", api, enc)
		}
		b.WriteString("\n}}\n")
		if err := os.WriteFile(filepath.Join(out, want.File), b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s %s: %d actions\n", want.Code, want.Version, len(apis))
	}
	return nil
}

func readAction(path string) ([]param, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var a struct {
		Parameters []metaParam `json:"parameters"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return compact(a.Parameters), nil
}

func compact(ms []metaParam) []param {
	out := make([]param, 0, len(ms))
	for _, m := range ms {
		out = append(out, param{Name: m.Name, Type: m.Type, Required: m.Required, Body: m.Position == "Body", Sub: compact(m.Sub)})
	}
	slices.SortFunc(out, func(a, b param) int { return strings.Compare(a.Name, b.Name) })
	return out
}
