package conformance

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/apidef"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// dummy fills a parameter with a value of its type, so that only the one
// left out is missing.
func dummy(q url.Values, p apidef.Param) {
	switch p.Type {
	case "Integer", "Long", "Float", "Double":
		q.Set(p.Name, "1")
	case "Boolean":
		q.Set(p.Name, "false")
	case "RepeatList":
		if len(p.Sub) == 0 {
			q.Set(p.Name+".1", "x")
		}
		for _, s := range p.Sub {
			if s.Required || len(p.Sub) == 1 {
				q.Set(p.Name+".1."+s.Name, "x")
			}
		}
	case "Struct", "Array":
	default:
		q.Set(p.Name, "x")
	}
	switch p.Name {
	case "RegionId", "regionId":
		q.Set(p.Name, sdktest.Region)
	case "ResourceType":
		q.Set(p.Name, "instance")
	}
}

// TestRequiredParamsEnforced: for every registered action and every
// parameter its official definition requires, a call that carries every
// other required parameter but not that one answers 400 MissingParameter
// naming it, and nothing in the state changes.
func TestRequiredParamsEnforced(t *testing.T) {
	defs := apidef.MustLoad()
	s := ecslocaltest.New(t, ecslocaltest.Options{AuthOff: true})
	before := httpGet(t, s.URL+"/_ecslocal/state")
	for _, key := range sorted(Table().Actions()) {
		version, action, _ := strings.Cut(key, "/")
		required := defs.Required(version, action)
		// What the binder itself insists on is filled too, so that the
		// one left out is the only thing missing.
		rec := rpc.NewRecorder(nil)
		Table().Bind(version, action, rec)
		var also []apidef.Param
		for _, name := range rec.RequiredNames() {
			if !strings.Contains(name, ".") {
				also = append(also, apidef.Param{Name: name, Type: "String"})
			}
		}
		for _, missing := range required {
			if reason := RequiredGaps[key+" "+missing.Name]; reason != "" {
				continue
			}
			q := url.Values{"Action": {action}, "Version": {version}, "AccessKeyId": {s.AccessKeyID}, "Format": {"JSON"}}
			for _, p := range append(also, required...) {
				if p.Name != missing.Name {
					dummy(q, p)
				}
			}
			resp, err := http.Get(s.URL + "/?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			var body struct{ Code, Message string }
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			named := strings.Contains(body.Message, `"`+missing.Name+`"`) || strings.Contains(body.Message, `"`+missing.Name+`.`) ||
				strings.Contains(body.Message, " "+missing.Name+" ")
			if resp.StatusCode != 400 || body.Code != "MissingParameter" || !named {
				t.Errorf("%s without %s: %d %s %q", key, missing.Name, resp.StatusCode, body.Code, body.Message)
			}
		}
	}
	if after := httpGet(t, s.URL+"/_ecslocal/state"); after != before {
		t.Errorf("calls missing a required parameter changed the state")
	}
}
