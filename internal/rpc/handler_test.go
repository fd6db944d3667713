package rpc_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store/sqlite"
)

// The one key pair the test endpoint knows.
const (
	keyID     = "testid"
	keySecret = "testsecret"
	keyTenant = "1234567890123456"
)

const (
	contentJSON = "application/json;charset=utf-8"
	contentXML  = "text/xml;charset=utf-8"
	contentForm = "application/x-www-form-urlencoded"
	// signaturePrefix is what the old Go SDK splits SignatureDoesNotMatch on (protocol.md §6).
	signaturePrefix = "Specified signature is not matched with our calculation. server string to sign is:"
	// omit as a parameter or header value removes it from the request.
	omit = "\x00omit"
)

// wall is the frozen wall clock of the test endpoint: signatures are dated by it.
var wall = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// echoRequest is the test action's request: one required name, optional
// numbers and flags, and a RepeatList.
type echoRequest struct {
	Name  string
	Count int
	Limit *int
	Flag  bool
	Items []string
}

func (r *echoRequest) Bind(p *rpc.Params) {
	r.Name = p.Required("Name")
	r.Count = p.Int("Count", 1, 1, 100)
	r.Limit = p.OptInt("Limit", 1, 10)
	r.Flag = p.Bool("Flag", false)
	r.Items = p.List("Item")
}

type echoItem struct {
	Index int    `json:"Index" xml:"Index"`
	Value string `json:"Value" xml:"Value"`
}

// echoResponse nests a list wrapper, Items.Item[], as every Describe* does.
type echoResponse struct {
	rpc.Base
	Name        string `json:"Name"`
	Count       int    `json:"Count"`
	Limit       *int   `json:"Limit,omitempty"`
	Flag        bool   `json:"Flag"`
	Account     string `json:"Account"`
	AccessKeyID string `json:"AccessKeyId"`
	Items       struct {
		Item []echoItem `json:"Item"`
	} `json:"Items"`
}

func echo(_ context.Context, c *rpc.Call, req *echoRequest) (*echoResponse, error) {
	resp := &echoResponse{Name: req.Name, Count: req.Count, Limit: req.Limit, Flag: req.Flag, Account: c.Account, AccessKeyID: c.AccessKeyID}
	resp.Items.Item = []echoItem{}
	for i, v := range req.Items {
		resp.Items.Item = append(resp.Items.Item, echoItem{Index: i + 1, Value: v})
	}
	return resp, nil
}

type emptyRequest struct{}

func (*emptyRequest) Bind(*rpc.Params) {}

// leakedDetail is the text of an internal error that must never reach a client.
const leakedDetail = "sqlite: database table is locked: nonces"

// newTable registers Echo and, when faulty, actions that panic or fail with a
// plain Go error. The fuzzer's table is never faulty.
func newTable(faulty bool) *rpc.Table {
	t := rpc.NewTable()
	rpc.Handle(t, rpc.VersionECS, "Echo", echo)
	if faulty {
		rpc.Handle(t, rpc.VersionECS, "Panic", func(context.Context, *rpc.Call, *emptyRequest) (*echoResponse, error) {
			panic("deliberate test panic")
		})
		rpc.Handle(t, rpc.VersionECS, "Fail", func(context.Context, *rpc.Call, *emptyRequest) (*echoResponse, error) {
			return nil, fmt.Errorf("load instance: %w", errors.New(leakedDetail))
		})
	}
	return t
}

// handlerOptions choose the endpoint a test runs against.
type handlerOptions struct {
	authOff bool
	nonces  bool // remember nonces in an in-memory SQLite store
	faulty  bool
}

// newHandler builds the endpoint with a frozen wall clock and sequential RequestIds.
func newHandler(tb testing.TB, o handlerOptions) *rpc.Handler {
	tb.Helper()
	var seq atomic.Uint64
	opts := rpc.Options{
		Keys:    []rpc.Key{{ID: keyID, Secret: keySecret, Account: keyTenant}},
		AuthOff: o.authOff,
		WallNow: func() time.Time { return wall },
		RequestID: func() string {
			return fmt.Sprintf("6A6711BD-F18E-445C-9B6F-%012X", seq.Add(1))
		},
	}
	if o.nonces {
		db, err := sqlite.OpenMemory(context.Background())
		if err != nil {
			tb.Fatalf("open nonce store: %v", err)
		}
		tb.Cleanup(func() { db.Close() })
		opts.Nonces = db
	}
	return rpc.NewHandler(newTable(o.faulty), opts)
}

// endpoint is the handler served over real HTTP.
type endpoint struct {
	url  string
	host string // host:port, as the server sees it in r.Host
	c    *http.Client
}

func newEndpoint(tb testing.TB, o handlerOptions) *endpoint {
	tb.Helper()
	srv := httptest.NewServer(newHandler(tb, o))
	tb.Cleanup(srv.Close)
	return &endpoint{url: srv.URL, host: strings.TrimPrefix(srv.URL, "http://"), c: srv.Client()}
}

// reply is one raw HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (e *endpoint) do(tb testing.TB, req *http.Request) reply {
	tb.Helper()
	resp, err := e.c.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read answer: %v", err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

// raw builds a request with a verbatim query string and body.
func (e *endpoint) raw(tb testing.TB, method, rawQuery, contentType, body string) *http.Request {
	tb.Helper()
	target := e.url + "/"
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		tb.Fatalf("new request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// get sends every parameter in the query (pop-core's default).
func (e *endpoint) get(tb testing.TB, p url.Values) *http.Request {
	tb.Helper()
	return e.raw(tb, http.MethodGet, p.Encode(), "", "")
}

// postQuery sends every parameter in the query of a POST with an empty form
// body (the old Go SDK and the CLI).
func (e *endpoint) postQuery(tb testing.TB, p url.Values) *http.Request {
	tb.Helper()
	return e.raw(tb, http.MethodPost, p.Encode(), contentForm, "")
}

// postForm sends every parameter, Signature included, in a form body to a
// bare "/" (pop-core with method POST).
func (e *endpoint) postForm(tb testing.TB, p url.Values) *http.Request {
	tb.Helper()
	return e.raw(tb, http.MethodPost, "", contentForm, p.Encode())
}

func nonce() string { return rand.Text() }

// v1Params are the parameters of an Echo call signed the v1 way, before
// signing; kv pairs add or replace parameters, the value omit removes one.
func v1Params(kv ...string) url.Values {
	p := url.Values{
		"AccessKeyId":      {keyID},
		"Action":           {"Echo"},
		"Version":          {rpc.VersionECS},
		"Format":           {"JSON"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureVersion": {"1.0"},
		"SignatureNonce":   {nonce()},
		"SignatureType":    {""},
		"Timestamp":        {wall.Format("2006-01-02T15:04:05Z")},
		"Name":             {"demo"},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == omit {
			p.Del(kv[i])
		} else {
			p.Set(kv[i], kv[i+1])
		}
	}
	return p
}

// signV1 adds the v1 Signature for method with secret.
func signV1(method, secret string, p url.Values) url.Values {
	p.Set("Signature", rpc.V1Signature(secret, rpc.V1StringToSign(method, p)))
	return p
}

// acs3Call describes an ACS3-signed POST; zero fields take Echo's defaults.
type acs3Call struct {
	secret, keyID, algorithm string
	query                    url.Values
	// headers add or replace x-acs-* headers before signing; omit removes one.
	headers map[string]string
	body    string
	// unsigned names headers sent but left out of SignedHeaders; signedOnly,
	// when set, is the whole SignedHeaders list claimed.
	unsigned   []string
	signedOnly []string
	// tamper changes the request after it was signed.
	tamper func(req *http.Request)
}

// acs3 builds the request the v7 SDK sends: Action and Version only in
// signed x-acs-* headers, business parameters in the query.
func (e *endpoint) acs3(tb testing.TB, c acs3Call) *http.Request {
	tb.Helper()
	if c.secret == "" {
		c.secret = keySecret
	}
	if c.keyID == "" {
		c.keyID = keyID
	}
	if c.algorithm == "" {
		c.algorithm = "ACS3-HMAC-SHA256"
	}
	if c.query == nil {
		c.query = url.Values{"Name": {"demo"}}
	}
	ct := ""
	if c.body != "" {
		ct = contentForm
	}
	req := e.raw(tb, http.MethodPost, c.query.Encode(), ct, c.body)
	payload := rpc.HashPayload([]byte(c.body))
	h := map[string]string{
		"x-acs-action":               "Echo",
		"x-acs-version":              rpc.VersionECS,
		"x-acs-date":                 wall.Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce":      nonce(),
		"x-acs-content-sha256":       payload,
		"x-acs-credentials-provider": "static_ak",
	}
	for k, v := range c.headers {
		h[k] = v
	}
	signed := []string{"host"}
	if ct != "" {
		signed = append(signed, "content-type")
	}
	for k, v := range h {
		if v == omit {
			continue
		}
		req.Header.Set(k, v)
		signed = append(signed, k)
	}
	signed = slices.DeleteFunc(signed, func(h string) bool { return slices.Contains(c.unsigned, h) })
	if c.signedOnly != nil {
		signed = c.signedOnly
	}
	sort.Strings(signed)
	canonical := rpc.ACS3CanonicalRequest(http.MethodPost, "/", c.query, req.Header, req.URL.Host, signed, payload)
	sig := rpc.ACS3Signature(c.secret, rpc.ACS3StringToSign(c.algorithm, canonical))
	req.Header.Set("Authorization", c.algorithm+" Credential="+c.keyID+",SignedHeaders="+strings.Join(signed, ";")+",Signature="+sig)
	if c.tamper != nil {
		c.tamper(req)
	}
	return req
}

// envelope is the Alibaba error body.
type envelope struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	HostID    string `json:"HostId" xml:"HostId"`
	Code      string `json:"Code" xml:"Code"`
	Message   string `json:"Message" xml:"Message"`
	Recommend string `json:"Recommend" xml:"Recommend"`
}

// wantError checks status and code, and that the body is the JSON envelope
// with every field a string (the old Go SDK type-asserts them).
func wantError(tb testing.TB, r reply, status int, code string) envelope {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != contentJSON {
		tb.Fatalf("Content-Type = %q, want %q", ct, contentJSON)
	}
	var fields map[string]any
	if err := json.Unmarshal(r.body, &fields); err != nil {
		tb.Fatalf("error body is not JSON: %v; body %s", err, r.body)
	}
	for _, name := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		s, ok := fields[name].(string)
		if !ok || s == "" {
			tb.Fatalf("error field %s = %#v, want a non-empty string; body %s", name, fields[name], r.body)
		}
	}
	var e envelope
	if err := json.Unmarshal(r.body, &e); err != nil {
		tb.Fatalf("decode envelope: %v", err)
	}
	checkEnvelope(tb, r, e, code)
	return e
}

// wantXMLError is wantError for a request that asked for Format=XML.
func wantXMLError(tb testing.TB, r reply, status int, code string) envelope {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != contentXML {
		tb.Fatalf("Content-Type = %q, want %q (the v7 SDK matches it exactly)", ct, contentXML)
	}
	if !bytes.HasPrefix(r.body, []byte("<?xml ")) {
		tb.Fatalf("XML error body lacks the declaration: %s", r.body)
	}
	var e struct {
		XMLName xml.Name `xml:"Error"`
		envelope
	}
	if err := xml.Unmarshal(r.body, &e); err != nil {
		tb.Fatalf("error body is not <Error> XML: %v; body %s", err, r.body)
	}
	for name, v := range map[string]string{"RequestId": e.RequestID, "HostId": e.HostID, "Code": e.Code, "Message": e.Message, "Recommend": e.Recommend} {
		if v == "" {
			tb.Fatalf("XML error field %s is empty; body %s", name, r.body)
		}
	}
	checkEnvelope(tb, r, e.envelope, code)
	return e.envelope
}

func checkEnvelope(tb testing.TB, r reply, e envelope, code string) {
	tb.Helper()
	if e.Code != code {
		tb.Fatalf("Code = %q, want %q; body %s", e.Code, code, r.body)
	}
	if got := r.header.Get("x-acs-request-id"); got != e.RequestID {
		tb.Fatalf("x-acs-request-id %q differs from RequestId %q", got, e.RequestID)
	}
	if !strings.Contains(e.Recommend, "q="+code) {
		tb.Fatalf("Recommend %q does not name the code %s", e.Recommend, code)
	}
}

// wantEcho checks a JSON success: status 200, RequestId in body and header,
// and no top-level Code, which pop-core would take for an error.
func wantEcho(tb testing.TB, r reply) echoResponse {
	tb.Helper()
	if r.status != http.StatusOK {
		tb.Fatalf("status = %d, want 200; body %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != contentJSON {
		tb.Fatalf("Content-Type = %q, want %q", ct, contentJSON)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &top); err != nil {
		tb.Fatalf("success body is not a JSON object: %v; body %s", err, r.body)
	}
	if _, ok := top["Code"]; ok {
		tb.Fatalf("success body has a top-level Code: %s", r.body)
	}
	var resp echoResponse
	if err := json.Unmarshal(r.body, &resp); err != nil {
		tb.Fatalf("decode success: %v; body %s", err, r.body)
	}
	if resp.RequestID == "" || resp.RequestID != r.header.Get("x-acs-request-id") {
		tb.Fatalf("RequestId %q, header %q", resp.RequestID, r.header.Get("x-acs-request-id"))
	}
	return resp
}

func TestHandler_Transports(t *testing.T) {
	e := newEndpoint(t, handlerOptions{nonces: true})
	items := []string{"Item.1", "a", "Item.10", "c", "Item.2", "b"}
	tests := []struct {
		name string
		req  func(tb testing.TB) *http.Request
	}{
		{"v1 GET query", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params(items...)))
		}},
		{"v1 POST query empty body", func(tb testing.TB) *http.Request {
			return e.postQuery(tb, signV1(http.MethodPost, keySecret, v1Params(items...)))
		}},
		{"v1 POST query without content type", func(tb testing.TB) *http.Request {
			return e.raw(tb, http.MethodPost, signV1(http.MethodPost, keySecret, v1Params(items...)).Encode(), "", "")
		}},
		{"v1 POST form body pop-core", func(tb testing.TB) *http.Request {
			return e.postForm(tb, signV1(http.MethodPost, keySecret, v1Params(items...)))
		}},
		{"v1 POST form body with charset", func(tb testing.TB) *http.Request {
			p := signV1(http.MethodPost, keySecret, v1Params(items...))
			return e.raw(tb, http.MethodPost, "", contentForm+"; charset=UTF-8", p.Encode())
		}},
		{"v1 POST split between query and body", func(tb testing.TB) *http.Request {
			p := signV1(http.MethodPost, keySecret, v1Params(items...))
			body := url.Values{"Item.1": p["Item.1"], "Item.2": p["Item.2"], "Item.10": p["Item.10"]}
			for k := range body {
				p.Del(k)
			}
			return e.raw(tb, http.MethodPost, p.Encode(), contentForm, body.Encode())
		}},
		{"v1 spaces as %20 and +", func(tb testing.TB) *http.Request {
			p := signV1(http.MethodGet, keySecret, v1Params(append(items, "Description", "a b+c*d~e")...))
			return e.raw(tb, http.MethodGet, strings.ReplaceAll(p.Encode(), "+", "%20"), "", "")
		}},
		{"v1 STS SecurityToken", func(tb testing.TB) *http.Request {
			return e.postQuery(tb, signV1(http.MethodPost, keySecret, v1Params(append(items, "SecurityToken", "sts-token-abc")...)))
		}},
		{"v1 Action and Version from headers", func(tb testing.TB) *http.Request {
			req := e.postQuery(tb, signV1(http.MethodPost, keySecret, v1Params(append(items, "Action", omit, "Version", omit)...)))
			req.Header.Set("x-acs-action", "Echo")
			req.Header.Set("x-acs-version", rpc.VersionECS)
			return req
		}},
		{"v1 Format json lower case", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params(append(items, "Format", "json")...)))
		}},
		{"v1 Format absent", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params(append(items, "Format", omit)...)))
		}},
		{"v1 timestamp with milliseconds", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params(append(items, "Timestamp", "2024-01-01T12:00:00.123Z")...)))
		}},
		{"v1 timestamp with offset", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params(append(items, "Timestamp", "2024-01-01T20:00:00+08:00")...)))
		}},
		{"v1 timestamp 14 minutes old", func(tb testing.TB) *http.Request {
			ts := wall.Add(-14 * time.Minute).Format(time.RFC3339)
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params(append(items, "Timestamp", ts)...)))
		}},
		{"ACS3 headers only", func(tb testing.TB) *http.Request {
			return e.acs3(tb, acs3Call{query: url.Values{"Name": {"demo"}, "Item.1": {"a"}, "Item.2": {"b"}, "Item.10": {"c"}}})
		}},
		{"ACS3 STS", func(tb testing.TB) *http.Request {
			return e.acs3(tb, acs3Call{
				query:   url.Values{"Name": {"demo"}, "Item.1": {"a"}, "Item.2": {"b"}, "Item.10": {"c"}},
				headers: map[string]string{"x-acs-security-token": "sts-token-abc", "x-acs-accesskey-id": keyID, "x-acs-credentials-provider": "static_sts"},
			})
		}},
		{"ACS3 form body", func(tb testing.TB) *http.Request {
			return e.acs3(tb, acs3Call{query: url.Values{}, body: "Name=demo&Item.1=a&Item.2=b&Item.10=c"})
		}},
		{"ACS3 Action and Version in query", func(tb testing.TB) *http.Request {
			return e.acs3(tb, acs3Call{
				query:   url.Values{"Action": {"Echo"}, "Version": {rpc.VersionECS}, "Name": {"demo"}, "Item.1": {"a"}, "Item.2": {"b"}, "Item.10": {"c"}},
				headers: map[string]string{"x-acs-action": omit, "x-acs-version": omit},
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wantEcho(t, e.do(t, tt.req(t)))
			if got.Name != "demo" || got.Account != keyTenant || got.AccessKeyID != keyID {
				t.Fatalf("echo = %+v", got)
			}
			want := []echoItem{{1, "a"}, {2, "b"}, {3, "c"}}
			if fmt.Sprint(got.Items.Item) != fmt.Sprint(want) {
				t.Fatalf("items = %v, want %v", got.Items.Item, want)
			}
		})
	}
}

func TestHandler_XML(t *testing.T) {
	e := newEndpoint(t, handlerOptions{})
	type xmlEcho struct {
		XMLName   xml.Name `xml:"EchoResponse"`
		RequestID string   `xml:"RequestId"`
		Name      string   `xml:"Name"`
		Count     int      `xml:"Count"`
		Limit     int      `xml:"Limit"`
		Flag      bool     `xml:"Flag"`
		Items     struct {
			Item []echoItem `xml:"Item"`
		} `xml:"Items"`
	}
	for _, format := range []string{"XML", "xml"} {
		t.Run("success/"+format, func(t *testing.T) {
			p := signV1(http.MethodGet, keySecret, v1Params("Format", format, "Name", "a<b&c", "Count", "3", "Limit", "2", "Flag", "true", "Item.1", "x", "Item.2", "y"))
			r := e.do(t, e.get(t, p))
			if r.status != http.StatusOK {
				t.Fatalf("status %d; body %s", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != contentXML {
				t.Fatalf("Content-Type = %q, want %q", ct, contentXML)
			}
			if !bytes.HasPrefix(r.body, []byte(`<?xml version="1.0" encoding="UTF-8"?><EchoResponse>`)) {
				t.Fatalf("body does not open with the declaration and <EchoResponse>: %s", r.body)
			}
			if !bytes.Contains(r.body, []byte("<Items><Item><Index>1</Index><Value>x</Value></Item><Item><Index>2</Index><Value>y</Value></Item></Items>")) {
				t.Fatalf("list wrapper is not one <Item> per element: %s", r.body)
			}
			var got xmlEcho
			if err := xml.Unmarshal(r.body, &got); err != nil {
				t.Fatalf("decode: %v; body %s", err, r.body)
			}
			if got.RequestID != r.header.Get("x-acs-request-id") || got.Name != "a<b&c" || got.Count != 3 || got.Limit != 2 || !got.Flag || len(got.Items.Item) != 2 {
				t.Fatalf("decoded %+v from %s", got, r.body)
			}
		})
	}
	t.Run("empty list", func(t *testing.T) {
		r := e.do(t, e.get(t, signV1(http.MethodGet, keySecret, v1Params("Format", "XML"))))
		if r.status != http.StatusOK || !bytes.Contains(r.body, []byte("<Items></Items>")) {
			t.Fatalf("status %d; body %s", r.status, r.body)
		}
	})

	errorsXML := []struct {
		name   string
		req    func(tb testing.TB) *http.Request
		status int
		code   string
	}{
		{"missing parameter", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params("Format", "XML", "Name", omit)))
		}, http.StatusBadRequest, "MissingParameter"},
		{"wrong secret", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, "wrong", v1Params("Format", "XML")))
		}, http.StatusBadRequest, "SignatureDoesNotMatch"},
		{"unknown action", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params("Format", "xml", "Action", "Nope")))
		}, http.StatusNotFound, "InvalidAction.NotFound"},
	}
	for _, tt := range errorsXML {
		t.Run("error/"+tt.name, func(t *testing.T) {
			wantXMLError(t, e.do(t, tt.req(t)), tt.status, tt.code)
		})
	}
}

func TestHandler_Errors(t *testing.T) {
	e := newEndpoint(t, handlerOptions{nonces: true, faulty: true})
	signedGet := func(kv ...string) func(tb testing.TB) *http.Request {
		return func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params(kv...)))
		}
	}
	unsignedGet := func(kv ...string) func(tb testing.TB) *http.Request {
		return func(tb testing.TB) *http.Request {
			p := v1Params(kv...)
			if _, ok := p["Signature"]; !ok {
				p.Set("Signature", "c2lnbmF0dXJl")
			}
			return e.get(tb, p)
		}
	}
	acs3 := func(c acs3Call) func(tb testing.TB) *http.Request {
		return func(tb testing.TB) *http.Request { return e.acs3(tb, c) }
	}
	old := wall.Add(-20 * time.Minute).Format(time.RFC3339)
	ahead := wall.Add(20 * time.Minute).Format(time.RFC3339)
	tooManyParams := func(tb testing.TB) *http.Request {
		p := v1Params()
		for i := 0; len(p) <= rpc.MaxParams; i++ {
			p.Set("Filler."+strconv.Itoa(i), "x")
		}
		return e.get(tb, signV1(http.MethodGet, keySecret, p))
	}
	tests := []struct {
		name   string
		req    func(tb testing.TB) *http.Request
		status int
		code   string
	}{
		// Transport.
		{"PUT", func(tb testing.TB) *http.Request {
			return e.raw(tb, http.MethodPut, signV1(http.MethodPut, keySecret, v1Params()).Encode(), "", "")
		}, 400, "UnsupportedHTTPMethod"},
		{"DELETE", func(tb testing.TB) *http.Request {
			return e.raw(tb, http.MethodDelete, signV1(http.MethodDelete, keySecret, v1Params()).Encode(), "", "")
		}, 400, "UnsupportedHTTPMethod"},
		{"PATCH", func(tb testing.TB) *http.Request { return e.raw(tb, http.MethodPatch, "", contentForm, "a=b") }, 400, "UnsupportedHTTPMethod"},
		{"bad percent encoding in query", func(tb testing.TB) *http.Request {
			return e.raw(tb, http.MethodGet, signV1(http.MethodGet, keySecret, v1Params()).Encode()+"&Bad=%zz", "", "")
		}, 400, "InvalidParameter"},
		{"bad percent encoding in key", func(tb testing.TB) *http.Request { return e.raw(tb, http.MethodGet, "%zz=1", "", "") }, 400, "InvalidParameter"},
		{"truncated percent encoding", func(tb testing.TB) *http.Request { return e.raw(tb, http.MethodGet, "Name=%4", "", "") }, 400, "InvalidParameter"},
		{"semicolon in query", func(tb testing.TB) *http.Request { return e.raw(tb, http.MethodGet, "Name=a;b", "", "") }, 400, "InvalidParameter"},
		{"bad percent encoding in form body", func(tb testing.TB) *http.Request {
			return e.raw(tb, http.MethodPost, "", contentForm, signV1(http.MethodPost, keySecret, v1Params()).Encode()+"&Bad=%zz")
		}, 400, "InvalidParameter"},
		{"body over limit", func(tb testing.TB) *http.Request {
			return e.raw(tb, http.MethodPost, signV1(http.MethodPost, keySecret, v1Params()).Encode(), contentForm, "Pad="+strings.Repeat("x", rpc.MaxBodyBytes))
		}, 400, "InvalidParameter.TooLarge"},
		{"body over limit without form type", func(tb testing.TB) *http.Request {
			return e.raw(tb, http.MethodPost, "", "application/octet-stream", strings.Repeat("x", rpc.MaxBodyBytes+1))
		}, 400, "InvalidParameter.TooLarge"},
		{"too many parameters", tooManyParams, 400, "InvalidParameter.TooLarge"},
		{"bad Format", signedGet("Format", "YAML"), 400, "InvalidParameter.Format"},
		{"no authentication at all", func(tb testing.TB) *http.Request { return e.raw(tb, http.MethodGet, "", "", "") }, 400, "MissingAccessKeyId"},

		// v1 authentication.
		{"missing AccessKeyId", unsignedGet("AccessKeyId", omit), 400, "MissingAccessKeyId"},
		{"missing Signature", func(tb testing.TB) *http.Request { return e.get(tb, v1Params()) }, 400, "MissingSignature"},
		{"missing Timestamp", signedGet("Timestamp", omit), 400, "MissingTimestamp"},
		{"missing SignatureNonce", signedGet("SignatureNonce", omit), 400, "MissingSignatureNonce"},
		{"empty SignatureNonce", signedGet("SignatureNonce", ""), 400, "MissingSignatureNonce"},
		{"HMAC-SHA256 on v1", signedGet("SignatureMethod", "HMAC-SHA256"), 400, "InvalidSignatureMethod"},
		{"garbage timestamp", signedGet("Timestamp", "yesterday"), 400, "InvalidTimeStamp.Format"},
		{"date without time", signedGet("Timestamp", "2024-01-01"), 400, "InvalidTimeStamp.Format"},
		{"timestamp 20 minutes old", signedGet("Timestamp", old), 400, "InvalidTimeStamp.Expired"},
		{"timestamp 20 minutes ahead", signedGet("Timestamp", ahead), 400, "InvalidTimeStamp.Expired"},
		{"unknown AccessKeyId", signedGet("AccessKeyId", "stranger"), 404, "InvalidAccessKeyId.NotFound"},
		{"wrong secret", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, "wrong", v1Params()))
		}, 400, "SignatureDoesNotMatch"},
		{"signed for POST sent as GET", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodPost, keySecret, v1Params()))
		}, 400, "SignatureDoesNotMatch"},
		{"parameter added after signing", func(tb testing.TB) *http.Request {
			p := signV1(http.MethodGet, keySecret, v1Params())
			p.Set("Count", "5")
			return e.get(tb, p)
		}, 400, "SignatureDoesNotMatch"},

		// ACS3 authentication.
		{"ACS3 wrong secret", acs3(acs3Call{secret: "wrong"}), 400, "SignatureDoesNotMatch"},
		{"ACS3 unknown AccessKeyId", acs3(acs3Call{keyID: "stranger"}), 404, "InvalidAccessKeyId.NotFound"},
		{"ACS3 HMAC-SM3", acs3(acs3Call{algorithm: "ACS3-HMAC-SM3"}), 400, "InvalidSignatureMethod"},
		{"ACS3 missing date", acs3(acs3Call{headers: map[string]string{"x-acs-date": omit}}), 400, "MissingTimestamp"},
		{"ACS3 missing nonce", acs3(acs3Call{headers: map[string]string{"x-acs-signature-nonce": omit}}), 400, "MissingSignatureNonce"},
		{"ACS3 garbage date", acs3(acs3Call{headers: map[string]string{"x-acs-date": "now"}}), 400, "InvalidTimeStamp.Format"},
		{"ACS3 date 20 minutes old", acs3(acs3Call{headers: map[string]string{"x-acs-date": old}}), 400, "InvalidTimeStamp.Expired"},
		{"ACS3 date 20 minutes ahead", acs3(acs3Call{headers: map[string]string{"x-acs-date": ahead}}), 400, "InvalidTimeStamp.Expired"},
		{"ACS3 malformed Authorization", acs3(acs3Call{tamper: func(r *http.Request) {
			r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+keyID)
		}}), 400, "IncompleteSignature"},
		{"ACS3 payload hash mismatch", acs3(acs3Call{body: "Name=demo", tamper: func(r *http.Request) {
			r.Header.Set("x-acs-content-sha256", rpc.HashPayload([]byte("other")))
		}}), 400, "IncompleteSignature"},
		{"ACS3 query changed after signing", acs3(acs3Call{tamper: func(r *http.Request) { r.URL.RawQuery += "&Count=2" }}), 400, "SignatureDoesNotMatch"},
		{"ACS3 body changed after signing", acs3(acs3Call{body: "Name=demo", headers: map[string]string{"x-acs-content-sha256": omit}, tamper: func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader("Name=evil"))
		}}), 400, "SignatureDoesNotMatch"},
		{"ACS3 signed header changed", acs3(acs3Call{tamper: func(r *http.Request) { r.Header.Set("x-acs-action", "Panic") }}), 400, "SignatureDoesNotMatch"},

		// Routing.
		{"unknown action", signedGet("Action", "DescribeNothing"), 404, "InvalidAction.NotFound"},
		{"action of another version", signedGet("Version", rpc.VersionVPC), 404, "InvalidAction.NotFound"},
		{"unknown version", signedGet("Version", "2099-01-01"), 400, "InvalidVersion"},
		{"missing version", signedGet("Version", omit), 400, "InvalidVersion"},
		{"ACS3 unknown action", acs3(acs3Call{headers: map[string]string{"x-acs-action": "DescribeNothing"}}), 404, "InvalidAction.NotFound"},
		{"ACS3 unknown version", acs3(acs3Call{headers: map[string]string{"x-acs-version": "2099-01-01"}}), 400, "InvalidVersion"},

		// Binding.
		{"missing required parameter", signedGet("Name", omit), 400, "MissingParameter"},
		{"blank required parameter", signedGet("Name", "  "), 400, "MissingParameter"},
		{"malformed bool", signedGet("Flag", "TRUE"), 400, "InvalidParameter"},
		{"int out of range", signedGet("Count", "101"), 400, "InvalidParameter"},
		{"bad list index", signedGet("Item.0", "x"), 400, "InvalidParameter"},

		// Actions that break.
		{"action panics", signedGet("Action", "Panic"), 500, "InternalError"},
		{"action returns a Go error", signedGet("Action", "Fail"), 500, "InternalError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wantError(t, e.do(t, tt.req(t)), tt.status, tt.code)
			if got.HostID != e.host {
				t.Fatalf("HostId = %q, want the request host %q", got.HostID, e.host)
			}
			if tt.code == "InternalError" && (got.Message != apierr.InternalError.Message || strings.Contains(got.Message, "sqlite") || strings.Contains(got.Message, "panic")) {
				t.Fatalf("InternalError message %q leaks or differs from the catalog", got.Message)
			}
		})
	}
}

func TestHandler_Limits(t *testing.T) {
	e := newEndpoint(t, handlerOptions{})
	t.Run("body of exactly MaxBodyBytes", func(t *testing.T) {
		p := signV1(http.MethodPost, keySecret, v1Params("Pad", strings.Repeat("x", rpc.MaxBodyBytes-len("Pad="))))
		body := url.Values{"Pad": p["Pad"]}
		p.Del("Pad")
		req := e.raw(t, http.MethodPost, p.Encode(), contentForm, body.Encode())
		if req.ContentLength != rpc.MaxBodyBytes {
			t.Fatalf("test body is %d bytes", req.ContentLength)
		}
		wantEcho(t, e.do(t, req))
	})
	t.Run("exactly MaxParams parameters", func(t *testing.T) {
		p := v1Params()
		for i := 0; len(p)+1 < rpc.MaxParams; i++ { // +1: Signature
			p.Set("Filler."+strconv.Itoa(i), "x")
		}
		signV1(http.MethodGet, keySecret, p)
		if len(p) != rpc.MaxParams {
			t.Fatalf("test sends %d parameters", len(p))
		}
		wantEcho(t, e.do(t, e.get(t, p)))
	})
}

func TestHandler_SignatureDoesNotMatchEchoesStringToSign(t *testing.T) {
	e := newEndpoint(t, handlerOptions{})
	tests := []struct {
		name   string
		method string
		send   func(tb testing.TB, p url.Values) *http.Request
	}{
		{"GET query", http.MethodGet, e.get},
		{"POST query", http.MethodPost, e.postQuery},
		{"POST form body", http.MethodPost, e.postForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := signV1(tt.method, "wrong", v1Params("Description", "a b*c~d 测试", "SecurityToken", "sts"))
			got := wantError(t, e.do(t, tt.send(t, p)), http.StatusBadRequest, "SignatureDoesNotMatch")
			// The old Go SDK compares everything after the prefix with its own string to sign.
			if want := signaturePrefix + rpc.V1StringToSign(tt.method, p); got.Message != want {
				t.Fatalf("Message =\n%s\nwant\n%s", got.Message, want)
			}
		})
	}
	t.Run("ACS3", func(t *testing.T) {
		got := wantError(t, e.do(t, e.acs3(t, acs3Call{secret: "wrong"})), http.StatusBadRequest, "SignatureDoesNotMatch")
		if !strings.HasPrefix(got.Message, signaturePrefix+"ACS3-HMAC-SHA256\n") {
			t.Fatalf("Message = %q", got.Message)
		}
	})
}

func TestHandler_NonceReplay(t *testing.T) {
	e := newEndpoint(t, handlerOptions{nonces: true})
	t.Run("v1", func(t *testing.T) {
		p := signV1(http.MethodPost, keySecret, v1Params())
		wantEcho(t, e.do(t, e.postQuery(t, p)))
		wantError(t, e.do(t, e.postQuery(t, p)), http.StatusBadRequest, "SignatureNonceUsed")
		// The same nonce in a form body is the same nonce.
		wantError(t, e.do(t, e.postForm(t, p)), http.StatusBadRequest, "SignatureNonceUsed")
		wantEcho(t, e.do(t, e.postQuery(t, signV1(http.MethodPost, keySecret, v1Params()))))
	})
	t.Run("ACS3", func(t *testing.T) {
		h := map[string]string{"x-acs-signature-nonce": nonce()}
		wantEcho(t, e.do(t, e.acs3(t, acs3Call{headers: h})))
		wantError(t, e.do(t, e.acs3(t, acs3Call{headers: h})), http.StatusBadRequest, "SignatureNonceUsed")
	})
	t.Run("nonce shared by both schemes", func(t *testing.T) {
		n := nonce()
		wantEcho(t, e.do(t, e.get(t, signV1(http.MethodGet, keySecret, v1Params("SignatureNonce", n)))))
		wantError(t, e.do(t, e.acs3(t, acs3Call{headers: map[string]string{"x-acs-signature-nonce": n}})), http.StatusBadRequest, "SignatureNonceUsed")
	})
	t.Run("refused signature does not burn the nonce", func(t *testing.T) {
		n := nonce()
		wantError(t, e.do(t, e.get(t, signV1(http.MethodGet, "wrong", v1Params("SignatureNonce", n)))), http.StatusBadRequest, "SignatureDoesNotMatch")
		wantEcho(t, e.do(t, e.get(t, signV1(http.MethodGet, keySecret, v1Params("SignatureNonce", n)))))
	})
}

func TestHandler_AuthOff(t *testing.T) {
	e := newEndpoint(t, handlerOptions{authOff: true})
	tests := []struct {
		name        string
		req         func(tb testing.TB) *http.Request
		wantAccount string
	}{
		{"wrong signature", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, "wrong", v1Params()))
		}, keyTenant},
		{"unknown key", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, "wrong", v1Params("AccessKeyId", "stranger")))
		}, rpc.AccountFor("stranger")},
		{"no signature, timestamp or nonce", func(tb testing.TB) *http.Request {
			return e.get(tb, v1Params("Timestamp", omit, "SignatureNonce", omit))
		}, keyTenant},
		{"expired timestamp", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params("Timestamp", wall.Add(-time.Hour).Format(time.RFC3339))))
		}, keyTenant},
		{"other signature method", func(tb testing.TB) *http.Request {
			return e.get(tb, signV1(http.MethodGet, keySecret, v1Params("SignatureMethod", "HMAC-SHA256")))
		}, keyTenant},
		{"ACS3 wrong secret", func(tb testing.TB) *http.Request {
			return e.acs3(tb, acs3Call{secret: "wrong"})
		}, keyTenant},
		{"ACS3 unknown key", func(tb testing.TB) *http.Request {
			return e.acs3(tb, acs3Call{keyID: "stranger", secret: "wrong"})
		}, rpc.AccountFor("stranger")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wantEcho(t, e.do(t, tt.req(t)))
			if got.Account != tt.wantAccount {
				t.Fatalf("Account = %q, want %q", got.Account, tt.wantAccount)
			}
		})
	}
	t.Run("AccessKeyId still required", func(t *testing.T) {
		wantError(t, e.do(t, e.get(t, v1Params("AccessKeyId", omit))), http.StatusBadRequest, "MissingAccessKeyId")
	})
	t.Run("binding still applies", func(t *testing.T) {
		wantError(t, e.do(t, e.get(t, v1Params("Name", omit))), http.StatusBadRequest, "MissingParameter")
	})
}

func TestHandler_ZeroOptions(t *testing.T) {
	// Without a RequestID generator the handler must still answer in the
	// envelope, with upper-case UUIDs.
	srv := httptest.NewServer(rpc.NewHandler(newTable(false), rpc.Options{}))
	t.Cleanup(srv.Close)
	e := &endpoint{url: srv.URL, host: strings.TrimPrefix(srv.URL, "http://"), c: srv.Client()}
	uuid := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	first := wantError(t, e.do(t, e.get(t, v1Params())), http.StatusBadRequest, "MissingSignature")
	second := wantError(t, e.do(t, e.get(t, v1Params())), http.StatusBadRequest, "MissingSignature")
	for _, id := range []string{first.RequestID, second.RequestID} {
		if !uuid.MatchString(id) {
			t.Fatalf("RequestId %q is not an upper-case UUID", id)
		}
	}
	if first.RequestID == second.RequestID {
		t.Fatalf("two answers share RequestId %s", first.RequestID)
	}
}

// garbage is deterministic binary noise: every byte value, shuffled.
func garbage(seed, n int) string {
	b := make([]byte, n)
	x := uint32(seed)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}

func TestHandler_GarbageBody(t *testing.T) {
	e := newEndpoint(t, handlerOptions{nonces: true})
	bodies := map[string]string{
		"random 64":        garbage(1, 64),
		"random 4096":      garbage(2, 4096),
		"no percent":       strings.NewReplacer("%", "", ";", "").Replace(garbage(3, 512)),
		"NUL bytes":        "\x00\x00\x00=\x00&\x00",
		"invalid UTF-8":    "Name=\xff\xfe&Item.1=\xc3",
		"only separators":  "&&&===&",
		"JSON in the body": `{"Action":"Echo"}`,
	}
	for name, body := range bodies {
		for _, signed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/signed=%v", name, signed), func(t *testing.T) {
				query := ""
				if signed {
					query = signV1(http.MethodPost, keySecret, v1Params()).Encode()
				}
				r := e.do(t, e.raw(t, http.MethodPost, query, contentForm, body))
				if r.status < 400 || r.status > 499 {
					t.Fatalf("status = %d, want a 4xx; body %s", r.status, r.body)
				}
				var env envelope
				if err := json.Unmarshal(r.body, &env); err != nil || env.Code == "" || env.RequestID == "" {
					t.Fatalf("not an error envelope (%v): %s", err, r.body)
				}
			})
		}
	}
}

// FuzzHandler sends arbitrary queries, bodies, content types and
// Authorization headers through the endpoint, strict and with auth off: it
// must always answer in the envelope and never with a 5xx.
func FuzzHandler(f *testing.F) {
	strict := newHandler(f, handlerOptions{})
	open := newHandler(f, handlerOptions{authOff: true})

	signed := signV1(http.MethodPost, keySecret, v1Params("SignatureNonce", "fuzz-seed", "Item.1", "a", "Item.2", "b")).Encode()
	f.Add(uint8(0), signV1(http.MethodGet, keySecret, v1Params("SignatureNonce", "fuzz-seed")).Encode(), "", uint8(0), "", "")
	f.Add(uint8(1), signed, "", uint8(1), "", "")
	f.Add(uint8(1), "", signed, uint8(1), "", "")
	f.Add(uint8(1), "", signed, uint8(2), "", "")
	f.Add(uint8(1), "Format=XML&"+signed, "Item.0=x&Flag=TRUE", uint8(1), "", "")
	f.Add(uint8(0), "AccessKeyId=x&Action=Echo&Version=2014-05-26&Name=a&Item.1=b&Format=xml", "", uint8(0), "", "")
	f.Add(uint8(1), "Name=a&Count=7", "Item.1=%zz", uint8(1), "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-date,Signature=00", "2024-01-01T12:00:00Z")
	f.Add(uint8(1), "Name=a", "", uint8(0), "ACS3-HMAC-SM3 Credential=stranger,SignedHeaders=host,Signature=ab", "garbage")
	f.Add(uint8(2), "a=%zz&b=;", "\x00\xff\xfe", uint8(3), "ACS3-", "")
	f.Add(uint8(4), "Action=Echo&Version=2014-05-26&Item.99999=x&Tag.1.Value=v", garbage(4, 200), uint8(1), "", "")

	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead}
	types := []string{"", contentForm, contentForm + "; charset=UTF-8", "application/json", "multipart/form-data; boundary=x", "\x00;;="}
	f.Fuzz(func(t *testing.T, method uint8, query, body string, ctype uint8, authorization, date string) {
		for _, h := range []*rpc.Handler{strict, open} {
			req := httptest.NewRequest(methods[int(method)%len(methods)], "/", strings.NewReader(body))
			req.Host = "ecs.cn-hangzhou.aliyuncs.com"
			req.URL.RawQuery = query
			if ct := types[int(ctype)%len(types)]; ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			if authorization != "" {
				req.Header.Set("Authorization", authorization)
				req.Header.Set("x-acs-action", "Echo")
				req.Header.Set("x-acs-version", rpc.VersionECS)
				req.Header.Set("x-acs-signature-nonce", "fuzz")
			}
			if date != "" {
				req.Header.Set("x-acs-date", date)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			checkFuzzAnswer(t, rec)
		}
	})
}

// checkFuzzAnswer accepts a 200 with a RequestId or a 4xx in the envelope.
func checkFuzzAnswer(tb testing.TB, rec *httptest.ResponseRecorder) {
	tb.Helper()
	body := rec.Body.Bytes()
	if rec.Code >= 500 || rec.Code < 200 {
		tb.Fatalf("status %d; body %s", rec.Code, body)
	}
	ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	var e envelope
	var err error
	switch ct {
	case "application/json":
		err = json.Unmarshal(body, &e)
	case "text/xml":
		err = xml.Unmarshal(body, &e)
	default:
		tb.Fatalf("Content-Type %q; body %s", rec.Header().Get("Content-Type"), body)
	}
	if err != nil || e.RequestID == "" {
		tb.Fatalf("answer %d is not well formed (%v): %s", rec.Code, err, body)
	}
	if rec.Code != http.StatusOK && (e.Code == "" || e.Message == "" || rec.Code > 499) {
		tb.Fatalf("error %d is not in the envelope: %s", rec.Code, body)
	}
	if rec.Code == http.StatusOK && e.Code != "" {
		tb.Fatalf("success carries a Code: %s", body)
	}
}

// TestNotImplementedRouting: an action the Official option names but the
// table lacks answers NotImplemented (501) in the envelope, JSON or XML,
// naming product, version and action; other names keep InvalidAction.NotFound.
func TestNotImplementedRouting(t *testing.T) {
	var seq atomic.Uint64
	h := rpc.NewHandler(newTable(false), rpc.Options{
		Keys: []rpc.Key{{ID: keyID, Secret: keySecret, Account: keyTenant}}, AuthOff: true,
		WallNow:   func() time.Time { return wall },
		RequestID: func() string { return fmt.Sprintf("6A6711BD-F18E-445C-9B6F-%012X", seq.Add(1)) },
		Official: func(version, action string) bool {
			return version == rpc.VersionECS && action == "DescribeDedicatedHosts"
		},
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &endpoint{url: srv.URL, host: strings.TrimPrefix(srv.URL, "http://"), c: srv.Client()}
	const msg = "Ecs 2014-05-26 action DescribeDedicatedHosts is part of the official API but ecslocal does not implement it yet; see docs/coverage.md."

	got := wantError(t, e.do(t, e.get(t, v1Params("Action", "DescribeDedicatedHosts"))), 501, "NotImplemented")
	if got.Message != msg {
		t.Errorf("JSON message %q", got.Message)
	}
	got = wantXMLError(t, e.do(t, e.get(t, v1Params("Action", "DescribeDedicatedHosts", "Format", "XML"))), 501, "NotImplemented")
	if got.Message != msg {
		t.Errorf("XML message %q", got.Message)
	}
	wantError(t, e.do(t, e.get(t, v1Params("Action", "DescribeNothing"))), 404, "InvalidAction.NotFound")
	wantError(t, e.do(t, e.get(t, v1Params("Action", "DescribeDedicatedHosts", "Version", rpc.VersionVPC))), 404, "InvalidAction.NotFound")
}

// TestHandler_ReasonHeader: a refusal carries its reason in
// X-Ecslocal-Reason beside the cloud's envelope; a success carries none.
func TestHandler_ReasonHeader(t *testing.T) {
	e := newEndpoint(t, handlerOptions{})
	r := e.do(t, e.get(t, v1Params("AccessKeyId", omit)))
	wantError(t, r, http.StatusBadRequest, "MissingAccessKeyId")
	if got := r.header.Get(rpc.ReasonHeader); got != "AccessKeyId is mandatory for this action." {
		t.Errorf("%s = %q, want the refusal's reason", rpc.ReasonHeader, got)
	}
	ok := e.do(t, e.get(t, signV1(http.MethodGet, keySecret, v1Params("Name", "x"))))
	if ok.status != http.StatusOK || ok.header.Get(rpc.ReasonHeader) != "" {
		t.Errorf("success: status %d, %s %q; want 200 and no reason", ok.status, rpc.ReasonHeader, ok.header.Get(rpc.ReasonHeader))
	}
}
