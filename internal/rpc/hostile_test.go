package rpc_test

import (
	"net/http"
	"testing"
)

// TestHandler_ACS3SignedHeaders: an ACS3 signature must cover host, the
// content type when one is sent, and every x-acs-* header present;
// otherwise the request is refused with IncompleteSignature before the
// action runs, as an unsigned header could be changed or replayed. The
// v7 SDK's own set (acs3 signs exactly that) passes.
func TestHandler_ACS3SignedHeaders(t *testing.T) {
	e := newEndpoint(t, handlerOptions{})
	wantEcho(t, e.do(t, e.acs3(t, acs3Call{})))
	wantEcho(t, e.do(t, e.acs3(t, acs3Call{body: "Name=demo"})))
	for _, tc := range []struct {
		name string
		call acs3Call
	}{
		{"x-nonexistent alone", acs3Call{signedOnly: []string{"x-nonexistent"}}},
		{"host unsigned", acs3Call{unsigned: []string{"host"}}},
		{"action unsigned", acs3Call{unsigned: []string{"x-acs-action"}}},
		{"version unsigned", acs3Call{unsigned: []string{"x-acs-version"}}},
		{"date and nonce unsigned", acs3Call{unsigned: []string{"x-acs-date", "x-acs-signature-nonce"}}},
		{"payload hash unsigned", acs3Call{unsigned: []string{"x-acs-content-sha256"}}},
		{"credentials provider unsigned", acs3Call{unsigned: []string{"x-acs-credentials-provider"}}},
		{"content type unsigned", acs3Call{body: "Name=demo", unsigned: []string{"content-type"}}},
		{"an x-acs header added after signing", acs3Call{tamper: func(r *http.Request) { r.Header.Set("x-acs-security-token", "t") }}},
		{"the action swapped, unsigned", acs3Call{unsigned: []string{"x-acs-action"}, tamper: func(r *http.Request) { r.Header.Set("x-acs-action", "Panic") }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.do(t, e.acs3(t, tc.call)), http.StatusBadRequest, "IncompleteSignature")
		})
	}
}

// TestHandler_V1SignatureVersion: v1 is SignatureVersion 1.0; another
// value is refused, even correctly signed.
func TestHandler_V1SignatureVersion(t *testing.T) {
	e := newEndpoint(t, handlerOptions{})
	wantEcho(t, e.do(t, e.postQuery(t, signV1(http.MethodPost, keySecret, v1Params("SignatureVersion", "1.0")))))
	for _, v := range []string{"2.0", "", "1", "v4"} {
		wantError(t, e.do(t, e.postQuery(t, signV1(http.MethodPost, keySecret, v1Params("SignatureVersion", v)))), http.StatusBadRequest, "IncompleteSignature")
	}
}
