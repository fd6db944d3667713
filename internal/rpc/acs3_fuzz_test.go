package rpc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/rpc"
)

// FuzzACS3 drives the ACS3 authorization and signed-header check with
// arbitrary SignedHeaders lists, extra headers, queries, bodies and
// signatures, genuinely signed or not, against the strict endpoint (with a
// nonce store): it never panics, every answer is the error envelope or a
// verified call, and a call is only ever verified when its signature is
// genuine and covers host, the content type and every x-acs-* header sent.
func FuzzACS3(f *testing.F) {
	strict := newHandler(f, handlerOptions{nonces: true})

	f.Add(uint8(1), "Name=demo", "", uint8(0), "", "", uint8(1), "", "n-1")
	f.Add(uint8(1), "Name=demo", "Name=x", uint8(1), "", "", uint8(1), "", "n-2")
	f.Add(uint8(1), "Name=demo", "", uint8(0), "x-acs-security-token:t", "", uint8(1), "", "n-3")
	f.Add(uint8(1), "Name=demo", "", uint8(0), "", "host;x-acs-date", uint8(1), "", "n-4")
	f.Add(uint8(1), "Name=demo", "", uint8(0), "x-acs-action:Panic", "", uint8(0), "00", "n-5")
	f.Add(uint8(0), "Name=a&Count=7&Item.1=b", "", uint8(0), "x-acs-accesskey-id:other", "", uint8(1), "", "n-6")
	f.Add(uint8(1), "", "Name=demo", uint8(1), "x-acs-content-sha256:abc", "", uint8(1), "", "n-7")
	f.Add(uint8(1), "Name=demo", "", uint8(0), "", ";;HOST;;", uint8(1), "", "n-8")
	f.Add(uint8(1), "Name=demo", "", uint8(0), "x-acs-date:garbage\nx-acs-signature-nonce:", "", uint8(5), "ACS3-HMAC-SM3 Credential=testid,SignedHeaders=host,Signature=ab", "")

	methods := []string{http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete}
	types := []string{"", contentForm, "application/json", "\x00;;="}
	f.Fuzz(func(t *testing.T, method uint8, query, body string, ctype uint8, extra, signedList string, mode uint8, sig, nonceValue string) {
		req := httptest.NewRequest(methods[int(method)%len(methods)], "/", strings.NewReader(body))
		req.Host = "ecs.cn-hangzhou.aliyuncs.com"
		req.URL.RawQuery = query
		if ct := types[int(ctype)%len(types)]; ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		for k, v := range map[string]string{
			"x-acs-action":          "Echo",
			"x-acs-version":         rpc.VersionECS,
			"x-acs-date":            wall.Format("2006-01-02T15:04:05Z"),
			"x-acs-signature-nonce": nonceValue,
			"x-acs-content-sha256":  rpc.HashPayload([]byte(body)),
		} {
			req.Header.Set(k, v)
		}
		for _, line := range strings.Split(extra, "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && headerSafe(k, true) && headerSafe(v, false) {
				req.Header.Set(k, v)
			}
		}
		// The SignedHeaders claimed: the fuzzer's, or every header sent.
		signed := signedList
		if signed == "" {
			names := []string{"host"}
			for name := range req.Header {
				names = append(names, strings.ToLower(name))
			}
			signed = strings.Join(names, ";")
		}
		genuine := mode&1 == 1
		auth := "ACS3-HMAC-SHA256 Credential=" + keyID + ",SignedHeaders=" + signed + ",Signature="
		if mode&4 != 0 {
			auth, genuine = sig, false // a whole Authorization of the fuzzer's
		} else if genuine {
			a, ok := rpc.ParseACS3Authorization(auth + "00")
			q, _ := url.ParseQuery(query)
			if ok {
				canonical := rpc.ACS3CanonicalRequest(req.Method, "/", q, req.Header, req.Host, a.SignedHeaders, rpc.HashPayload([]byte(body)))
				auth += rpc.ACS3Signature(keySecret, rpc.ACS3StringToSign(a.Algorithm, canonical))
			}
		} else {
			auth += sig
		}
		if !headerSafe(auth, false) {
			return
		}
		req.Header.Set("Authorization", auth)

		rec := httptest.NewRecorder()
		strict.ServeHTTP(rec, req)
		checkFuzzAnswer(t, rec)
		if rec.Code != http.StatusOK {
			return
		}
		// A verified call: genuinely signed, over every header of meaning.
		if !genuine {
			t.Fatalf("a call without a genuine signature was verified: %s\n%v", rec.Body.Bytes(), req.Header)
		}
		a, _ := rpc.ParseACS3Authorization(auth)
		covered := map[string]bool{}
		for _, h := range a.SignedHeaders {
			covered[h] = true
		}
		if !covered["host"] {
			t.Fatalf("verified without host signed: %q", signed)
		}
		for name := range req.Header {
			lower := strings.ToLower(name)
			if (lower == "content-type" || strings.HasPrefix(lower, "x-acs-")) && !covered[lower] {
				t.Fatalf("verified with %s unsigned: %q", lower, signed)
			}
		}
		var answer struct{ AccessKeyId string }
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err == nil && answer.AccessKeyId != keyID {
			t.Fatalf("verified as key %q: %s", answer.AccessKeyId, rec.Body.Bytes())
		}
	})
}

// headerSafe tells whether s could travel as a header name (or value) on
// the wire; net/http refuses the others before any handler sees them.
func headerSafe(s string, name bool) bool {
	if name && s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' || c == 0x7f || name && (c <= ' ' || c == ':' || c >= 0x80) {
			return false
		}
	}
	return true
}
