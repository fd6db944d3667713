// Package replay plays recorded client traffic (Terraform with the alicloud
// provider, the aliyun CLI) against a fresh ecslocal and checks that every
// answer keeps the recorded status, error code and JSON shape. The
// recordings are testdata/traffic/*.jsonl; testdata/traffic/README.md says
// how they were made.
package replay

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/rpc"
)

// exchange is one recorded request and its answer, as the recording proxy
// wrote it.
type exchange struct {
	T        int64             `json:"t"`     // milliseconds since the session's first request
	Phase    string            `json:"phase"` // Terraform sessions: apply, plan or destroy
	Method   string            `json:"method"`
	Path     string            `json:"path"` // path and query
	Headers  map[string]string `json:"headers"`
	Body     string            `json:"body"`
	Status   int               `json:"status"`
	Response string            `json:"response"` // RequestId masked
}

func TestReplay(t *testing.T) {
	files, err := filepath.Glob("../../testdata/traffic/*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recordings under testdata/traffic")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".jsonl"), func(t *testing.T) {
			t.Parallel()
			replayFile(t, f)
		})
	}
}

func load(t *testing.T, path string) []exchange {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []exchange
	for n, line := range bytes.Split(raw, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e exchange
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("%s:%d: %v", path, n+1, err)
		}
		out = append(out, e)
	}
	return out
}

// replayFile runs one session against its own server and fails the test at
// the first answer that departs from the recording.
func replayFile(t *testing.T, path string) {
	recs := load(t, path)
	if strings.HasPrefix(filepath.Base(path), "terraform-") {
		if err := checkPhases(recs); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if err := replay(t, path, recs); err != nil {
		t.Fatal(err)
	}
}

// checkPhases holds a Terraform recording to the phases the empty-plan check
// needs: every exchange names its phase, and the session has a plan.
func checkPhases(recs []exchange) error {
	plans := 0
	for n, rec := range recs {
		switch rec.Phase {
		case "plan":
			plans++
		case "apply", "destroy":
		default:
			return fmt.Errorf("exchange %d: phase %q, want apply, plan or destroy (record with /work/tfbuild/record.sh; see testdata/traffic/README.md)", n+1, rec.Phase)
		}
	}
	if plans == 0 {
		return fmt.Errorf("no exchange in a plan phase")
	}
	return nil
}

// replay plays recs against a fresh server. The emulated clock is frozen and
// moved to each request's recorded offset, so that the server's timed
// behaviour (a load balancer configuring, an instance starting) meets the
// requests at the same moments it did when they were recorded.
func replay(t *testing.T, path string, recs []exchange) error {
	srv := ecslocaltest.New(t, ecslocaltest.Options{})
	// NAME.config.json, when present, holds the switches (admin PATCH
	// /_ecslocal/config) the session was recorded with.
	if raw, err := os.ReadFile(strings.TrimSuffix(path, ".jsonl") + ".config.json"); err == nil {
		var patch map[string]any
		if err := json.Unmarshal(raw, &patch); err != nil {
			return err
		}
		srv.Config.Patch(patch)
	} else if !os.IsNotExist(err) {
		return err
	}
	ids := newIDMap()
	client := &http.Client{Timeout: 30 * time.Second}
	var clockAt int64
	defer func() { t.Logf("%d exchanges replayed, %d recorded ids mapped", len(recs), len(ids.m)) }()
	for n, rec := range recs {
		if rec.T > clockAt {
			srv.Clock.Advance(time.Duration(rec.T-clockAt) * time.Millisecond)
			clockAt = rec.T
		}
		req := ids.rewrite(t, rec, srv)
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("exchange %d: %v", n+1, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("exchange %d: %v", n+1, err)
		}
		what := fmt.Sprintf("exchange %d (%s %s)", n+1, rec.Method, action(rec))
		if rec.Phase != "" {
			what += " in " + rec.Phase
		}
		if resp.StatusCode != rec.Status {
			return fmt.Errorf("%s: status %d, recorded %d\nreplayed: %s\nrecorded: %s", what, resp.StatusCode, rec.Status, body, rec.Response)
		}
		var got, want any
		if json.Unmarshal(body, &got) != nil || json.Unmarshal([]byte(rec.Response), &want) != nil {
			// XML answers: compare the error code only.
			if c1, c2 := xmlCode(string(body)), xmlCode(rec.Response); c1 != c2 {
				return fmt.Errorf("%s: code %q, recorded %q", what, c1, c2)
			}
			continue
		}
		if rec.Status >= 300 {
			if c1, c2 := field(got, "Code"), field(want, "Code"); c1 != c2 {
				return fmt.Errorf("%s: code %q, recorded %q\nreplayed: %s", what, c1, c2, body)
			}
			continue
		}
		if d := diffShape(shape(want), shape(got)); d != "" {
			return fmt.Errorf("%s: the answer's shape differs from the recording:\n%s\nreplayed: %s\nrecorded: %s", what, d, body, rec.Response)
		}
		if rec.Phase == "plan" {
			if d := ids.diffValues("", want, got); d != "" {
				return fmt.Errorf("%s: the plan read an answer the recorded plan (no changes) did not: %s\nreplayed: %s\nrecorded: %s", what, d, body, rec.Response)
			}
		}
		ids.learn(want, got)
	}
	return nil
}

func action(e exchange) string {
	if a := e.Headers["X-Acs-Action"]; a != "" {
		return a
	}
	if u, err := url.Parse(e.Path); err == nil {
		if a := u.Query().Get("Action"); a != "" {
			return a
		}
	}
	if v, err := url.ParseQuery(e.Body); err == nil {
		return v.Get("Action")
	}
	return ""
}

var xmlCodeRE = regexp.MustCompile(`<Code>([^<]*)</Code>`)

func xmlCode(s string) string {
	if m := xmlCodeRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

func field(v any, name string) string {
	if m, ok := v.(map[string]any); ok {
		s, _ := m[name].(string)
		return s
	}
	return ""
}

// shape lists the key paths of a JSON value, arrays collapsed to "[]", with
// the JSON kind of each leaf: the answer's structure without its values.
func shape(v any) map[string]bool {
	out := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			out[prefix+"{}"] = true
			for k, e := range x {
				walk(prefix+"."+k, e)
			}
		case []any:
			out[prefix+"[]"] = true
			for _, e := range x {
				walk(prefix+"[]", e)
			}
		case string:
			out[prefix+":string"] = true
		case float64:
			out[prefix+":number"] = true
		case bool:
			out[prefix+":bool"] = true
		case nil:
			out[prefix+":null"] = true
		}
	}
	walk("", v)
	return out
}

func diffShape(want, got map[string]bool) string {
	var lines []string
	for k := range want {
		if !got[k] {
			lines = append(lines, "missing "+k)
		}
	}
	for k := range got {
		if !want[k] {
			lines = append(lines, "extra   "+k)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// idMap maps the resource ids and addresses of the recording to those the
// replaying server handed out: both answers are walked side by side, and a
// recorded value that looks like an id becomes the replayed value at the
// same place.
type idMap struct {
	m map[string]string
	// keys sorted longest first, so that no id is replaced inside a longer one.
	keys []string
}

func newIDMap() *idMap { return &idMap{m: map[string]string{}} }

// idRE matches what ecslocal hands out at random: "i-bp1…", "vpc-bp1…",
// "lb-bp1…", RAM's numeric role ids, serial numbers (UUIDs), MAC addresses,
// key pair fingerprints (MD5 of a fresh key), and IPv4 addresses, which depend on allocation order and the EIP pool.
var idRE = regexp.MustCompile(`^([a-z]{1,8}-[a-z0-9]{12,}|\d{15,}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|` +
	`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{2}(:[0-9a-f]{2}){5}|[0-9a-f]{2}(:[0-9a-f]{2}){15})$`)

// idTailRE is the random part of an id ("bp1…" of "i-bp1…"), which answers
// also carry inside other values: a host name "iZbp1…Z", a disk's serial
// number.
var idTailRE = regexp.MustCompile(`^[a-z]{1,8}-([a-z0-9]{12,})$`)

func (m *idMap) learn(want, got any) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return
		}
		for k, v := range w {
			if k != "RequestId" {
				m.learn(v, g[k])
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return
		}
		for i := range min(len(w), len(g)) {
			m.learn(w[i], g[i])
		}
	case string:
		g, ok := got.(string)
		if !ok || g == w || !idRE.MatchString(w) {
			return
		}
		m.add(w, g)
		if wt, gt := idTailRE.FindStringSubmatch(w), idTailRE.FindStringSubmatch(g); wt != nil && gt != nil {
			m.add(wt[1], gt[1])
		}
	}
}

func (m *idMap) add(recorded, replayed string) {
	if _, seen := m.m[recorded]; !seen {
		m.m[recorded] = replayed
		m.keys = append(m.keys, recorded)
		sort.Slice(m.keys, func(i, j int) bool { return len(m.keys[i]) > len(m.keys[j]) })
	}
}

func (m *idMap) apply(s string) string {
	for _, k := range m.keys {
		s = strings.ReplaceAll(s, k, m.m[k])
	}
	return s
}

// timeRE matches the times the API answers ("2026-11-26T08:07Z",
// "2026-11-26T08:07:31Z", with fractions or an offset).
var timeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$`)

// diffValues compares a plan-time answer value by value and names the first
// difference. The recorded plan exited 0 (no changes), so a server whose
// plan-time reads answer other values would make the provider see drift;
// recorded ids and IPv4 addresses are mapped to the replayed ones first,
// and what differs between any two runs is skipped: RequestId, keys naming
// a time (CreationTime, StartTime, ExpiredTime, CreateTimeStamp, CreateDate,
// UpdateDate…) and any string that is a timestamp.
func (m *idMap) diffValues(at string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "RequestId" || strings.Contains(k, "Time") || strings.HasSuffix(k, "Date") {
				continue
			}
			if d := m.diffValues(at+"."+k, w[k], g[k]); d != "" {
				return d
			}
		}
	case []any:
		g, _ := got.([]any)
		if len(g) != len(w) {
			return fmt.Sprintf("%s: %d elements, recorded %d", at, len(g), len(w))
		}
		for i := range w {
			if d := m.diffValues(fmt.Sprintf("%s[%d]", at, i), w[i], g[i]); d != "" {
				return d
			}
		}
	case string:
		g, _ := got.(string)
		if timeRE.MatchString(w) && timeRE.MatchString(g) {
			return ""
		}
		mapped, ok := m.m[w] // a whole id exactly; ids inside longer strings by replacement
		if !ok {
			mapped = m.apply(w)
		}
		if g != mapped {
			return fmt.Sprintf("%s: %q, recorded %q (mapped: %q)", at, g, w, mapped)
		}
	default:
		if got != want {
			return fmt.Sprintf("%s: %v, recorded %v", at, got, want)
		}
	}
	return ""
}

// signing parameters and headers a replayed request gets anew.
var v1Fresh = map[string]bool{"Signature": true, "Timestamp": true, "SignatureNonce": true}

// rewrite makes the replayed request: recorded ids mapped, the host the new
// server's, and a fresh signature (v1 HMAC-SHA1 or ACS3-HMAC-SHA256) with
// the current time and a new nonce, as the recorded ones are stale.
func (m *idMap) rewrite(t *testing.T, rec exchange, srv *ecslocaltest.Server) *http.Request {
	t.Helper()
	u, err := url.Parse(rec.Path)
	if err != nil {
		t.Fatal(err)
	}
	query := mapValues(m, u.Query())
	body := m.apply(rec.Body)
	form := url.Values{}
	isForm := strings.HasPrefix(rec.Headers["Content-Type"], "application/x-www-form-urlencoded")
	if isForm && body != "" {
		if form, err = url.ParseQuery(rec.Body); err != nil {
			t.Fatal(err)
		}
		form = mapValues(m, form)
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	nonce := newNonce()
	headers := http.Header{}
	for k, v := range rec.Headers {
		if k != "Host" {
			headers.Set(k, m.apply(v))
		}
	}
	auth := headers.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "ACS3-"):
		if isForm && body != "" {
			body = form.Encode()
		}
		headers.Set("x-acs-date", now)
		headers.Set("x-acs-signature-nonce", nonce)
		hashed := rpc.HashPayload([]byte(body))
		if headers.Get("x-acs-content-sha256") != "" {
			headers.Set("x-acs-content-sha256", hashed)
		}
		a, ok := rpc.ParseACS3Authorization(auth)
		if !ok {
			t.Fatalf("unparsable recorded Authorization %q", auth)
		}
		canonical := rpc.ACS3CanonicalRequest(rec.Method, u.Path, query, headers, srv.Endpoint, a.SignedHeaders, hashed)
		sig := rpc.ACS3Signature(srv.AccessKeySecret, rpc.ACS3StringToSign(a.Algorithm, canonical))
		headers.Set("Authorization", fmt.Sprintf("%s Credential=%s,SignedHeaders=%s,Signature=%s", a.Algorithm, srv.AccessKeyID, strings.Join(a.SignedHeaders, ";"), sig))
	default:
		// v1: the signature covers query and form together.
		for _, vs := range []url.Values{query, form} {
			for k := range v1Fresh {
				if vs.Has(k) {
					vs.Set(k, map[string]string{"Signature": "", "Timestamp": now, "SignatureNonce": nonce}[k])
				}
			}
		}
		all := url.Values{}
		for _, vs := range []url.Values{query, form} {
			for k, v := range vs {
				all[k] = v // V1StringToSign leaves Signature out
			}
		}
		sig := rpc.V1Signature(srv.AccessKeySecret, rpc.V1StringToSign(rec.Method, all))
		if form.Has("Signature") {
			form.Set("Signature", sig)
		} else {
			query.Set("Signature", sig)
		}
		if isForm && body != "" {
			body = form.Encode()
		}
	}
	target := srv.URL + u.Path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequest(rec.Method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = headers
	return req
}

func mapValues(m *idMap, in url.Values) url.Values {
	out := url.Values{}
	for k, vs := range in {
		for _, v := range vs {
			out.Add(k, m.apply(v))
		}
	}
	return out
}

func newNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// TestRewriteACS3: an ACS3-HMAC-SHA256 exchange (what darabonba-based SDKs
// send; none of the recorded clients does) is re-signed and accepted.
func TestRewriteACS3(t *testing.T) {
	srv := ecslocaltest.New(t, ecslocaltest.Options{})
	rec := exchange{
		Method: "POST",
		Path:   "/?RegionId=cn-hangzhou",
		Headers: map[string]string{
			"Host":                  "127.0.0.1:1",
			"X-Acs-Action":          "DescribeZones",
			"X-Acs-Version":         "2014-05-26",
			"X-Acs-Date":            "2020-01-01T00:00:00Z",
			"X-Acs-Signature-Nonce": "stale",
			"X-Acs-Content-Sha256":  rpc.HashPayload(nil),
			"Authorization": "ACS3-HMAC-SHA256 Credential=test,SignedHeaders=host;x-acs-action;x-acs-content-sha256;" +
				"x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=00",
		},
		Status: 200,
	}
	resp, err := http.DefaultClient.Do(newIDMap().rewrite(t, rec, srv))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"Zones"`) {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

// TestPlanValues: in a plan phase a changed value fails the replay, while
// mapped ids, times and RequestIds do not.
func TestPlanValues(t *testing.T) {
	ids := newIDMap()
	ids.learn(map[string]any{"AllocationId": "eip-bp1recorded000000", "IpAddress": "47.96.0.1"},
		map[string]any{"AllocationId": "eip-bp1replayed000000", "IpAddress": "47.96.0.7"})
	answer := func(vpc, id, ip, created string) any {
		return map[string]any{"RequestId": "MASKED", "EipAddresses": map[string]any{"EipAddress": []any{
			map[string]any{"AllocationId": id, "IpAddress": ip, "VpcId": vpc, "AllocationTime": created,
				"ExpiredTime": "", "InstanceType": "EcsInstance", "Bandwidth": "5"}}}}
	}
	recorded := answer("", "eip-bp1recorded000000", "47.96.0.1", "2026-11-26T08:07:31Z")
	if d := ids.diffValues("", recorded, answer("", "eip-bp1replayed000000", "47.96.0.7", "2020-01-01T00:00:00Z")); d != "" {
		t.Fatalf("same answer, other ids and times: %s", d)
	}
	if d := ids.diffValues("", recorded, answer("vpc-bp1replayed000000", "eip-bp1replayed000000", "47.96.0.7", "2020-01-01T00:00:00Z")); !strings.Contains(d, ".VpcId") {
		t.Fatalf("a VpcId that became non-empty: %q, want a difference at .EipAddresses.EipAddress[0].VpcId", d)
	}
	if d := ids.diffValues("", recorded, answer("", "eip-bp1recorded000000", "47.96.0.7", "")); !strings.Contains(d, ".AllocationId") {
		t.Fatalf("an unmapped id: %q", d)
	}
}

// TestPlanDrift: the EIP session replayed with its plan-time
// DescribeEipAddresses answer recorded with a VpcId (as a server that
// answered one would have made the provider plan a replacement) fails;
// unchanged, it passes. A session whose exchanges carry no phase fails too.
func TestPlanDrift(t *testing.T) {
	path := "../../testdata/traffic/terraform-eip.jsonl"
	recs := load(t, path)
	changed := false
	for i, rec := range recs {
		if rec.Phase != "plan" || action(rec) != "DescribeEipAddresses" || !strings.Contains(rec.Response, `"VpcId":""`) {
			continue
		}
		recs[i].Response = strings.Replace(rec.Response, `"VpcId":""`, `"VpcId":"vpc-bp1recorded000000"`, 1)
		changed = true
		break
	}
	if !changed {
		t.Fatal("no plan-time DescribeEipAddresses with an empty VpcId in " + path)
	}
	err := replay(t, path, recs)
	if err == nil || !strings.Contains(err.Error(), "VpcId") {
		t.Fatalf("replay with a changed plan-time VpcId: %v, want a VpcId difference", err)
	}
	t.Logf("refused as expected: %.200s", err)

	for i := range recs {
		recs[i].Phase = ""
	}
	if err := checkPhases(recs); err == nil {
		t.Fatal("a Terraform session without phases passed")
	}
}
