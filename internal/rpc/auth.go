package rpc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// AccountFor derives the stable 16-digit account id of an access key id that
// was configured without one, so restarts keep a tenant's resources.
func AccountFor(accessKeyID string) string {
	sum := sha256.Sum256([]byte("ecslocal-account:" + accessKeyID))
	n := binary.BigEndian.Uint64(sum[:8]) % 9_000_000_000_000_000
	return fmt.Sprintf("%016d", n+1_000_000_000_000_000)
}

// authenticate verifies the request's signature (protocol.md §5 steps 2–6)
// and returns the key, Version, Action and SignatureNonce it carries (the
// nonce "" when signatures are off); the caller checks the nonce (step 7,
// useNonce) once it has derived the call's context for the key's account.
func (h *Handler) authenticate(r *http.Request, params map[string]string, raw []byte) (Key, string, string, string, error) {
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "ACS3-") {
		// readParams has read the query already: it parses without error.
		query, _ := url.ParseQuery(r.URL.RawQuery)
		return h.authACS3(r, query, auth, raw)
	}
	version, action := params["Version"], params["Action"]
	if version == "" {
		version = r.Header.Get("x-acs-version")
	}
	if action == "" {
		action = r.Header.Get("x-acs-action")
	}
	for _, name := range []string{"AccessKeyId", "Signature", "Timestamp", "SignatureNonce"} {
		if params[name] == "" && !(h.opts.AuthOff && name != "AccessKeyId") {
			return Key{}, "", "", "", apierr.MissingCommon(name)
		}
	}
	if m := params["SignatureMethod"]; m != "" && m != "HMAC-SHA1" && !h.opts.AuthOff {
		return Key{}, "", "", "", apierr.InvalidSignatureMethod.New()
	}
	// v1 is SignatureVersion 1.0 only; another value names a scheme we do
	// not verify, so the signature cannot be taken to mean what it says.
	if v, ok := params["SignatureVersion"]; ok && v != "1.0" && !h.opts.AuthOff {
		return Key{}, "", "", "", apierr.IncompleteSignature.New("")
	}
	key, err := h.check(r, params["AccessKeyId"], params["Timestamp"])
	if err != nil || h.opts.AuthOff {
		return key, version, action, "", err
	}
	signer := h.v1[key.ID]
	if signer == nil { // not one of the configured keys (they all are)
		signer = newV1Signer(key.Secret)
	}
	if !signer.verify(r.Method, params, params["Signature"]) {
		return Key{}, "", "", "", apierr.SignatureDoesNotMatch.New(v1StringToSign(r.Method, params))
	}
	return key, version, action, params["SignatureNonce"], nil
}

func (h *Handler) authACS3(r *http.Request, query url.Values, header string, raw []byte) (Key, string, string, string, error) {
	version, action := r.Header.Get("x-acs-version"), r.Header.Get("x-acs-action")
	if version == "" {
		version = query.Get("Version")
	}
	if action == "" {
		action = query.Get("Action")
	}
	a, ok := ParseACS3Authorization(header)
	if !ok {
		return Key{}, "", "", "", apierr.IncompleteSignature.New("")
	}
	if a.Algorithm != "ACS3-HMAC-SHA256" && !h.opts.AuthOff {
		return Key{}, "", "", "", apierr.InvalidSignatureMethod.New()
	}
	if !h.opts.AuthOff && !coversMeaning(r, a.SignedHeaders) {
		return Key{}, "", "", "", apierr.IncompleteSignature.New("")
	}
	date, nonce := r.Header.Get("x-acs-date"), r.Header.Get("x-acs-signature-nonce")
	if !h.opts.AuthOff {
		if date == "" {
			return Key{}, "", "", "", apierr.MissingCommon("Timestamp")
		}
		if nonce == "" {
			return Key{}, "", "", "", apierr.MissingCommon("SignatureNonce")
		}
	}
	key, err := h.check(r, a.AccessKeyID, date)
	if err != nil || h.opts.AuthOff {
		return key, version, action, "", err
	}
	// With STS the key id also travels in a signed header; both must agree.
	if id := r.Header.Get("x-acs-accesskey-id"); id != "" && id != a.AccessKeyID {
		return Key{}, "", "", "", apierr.IncompleteSignature.New("")
	}
	payload := HashPayload(raw)
	if claimed := r.Header.Get("x-acs-content-sha256"); claimed != "" && claimed != payload {
		return Key{}, "", "", "", apierr.IncompleteSignature.New("")
	}
	canonical := ACS3CanonicalRequest(r.Method, r.URL.Path, query, r.Header, r.Host, a.SignedHeaders, payload)
	sts := ACS3StringToSign(a.Algorithm, canonical)
	if !hmac.Equal([]byte(ACS3Signature(key.Secret, sts)), []byte(strings.ToLower(a.Signature))) {
		return Key{}, "", "", "", apierr.SignatureDoesNotMatch.New(sts)
	}
	return key, version, action, nonce, nil
}

// coversMeaning tells whether an ACS3 signature covers every header that
// gives the request its meaning: host, the content type when one is sent,
// and every x-acs-* header present (action, version, date, nonce, payload
// hash, …). The official SDKs sign exactly these (darabonba-openapi's
// getCanonicalHeaders), so no client of theirs is refused; an unsigned
// one could be changed in transit or replayed with a fresh date and nonce.
func coversMeaning(r *http.Request, signed []string) bool {
	has := func(name string) bool {
		for _, s := range signed {
			if s == name {
				return true
			}
		}
		return false
	}
	if !has("host") {
		return false
	}
	for name := range r.Header {
		lower := strings.ToLower(name)
		if (lower == "content-type" || strings.HasPrefix(lower, "x-acs-")) && !has(lower) {
			return false
		}
	}
	return true
}

// check resolves the key and the timestamp window, shared by both schemes.
func (h *Handler) check(r *http.Request, accessKeyID, timestamp string) (Key, error) {
	if h.opts.AuthOff {
		if k, ok := h.keys[accessKeyID]; ok {
			return k, nil
		}
		// Off means any key works: unknown ones still get a tenant of their own.
		return Key{ID: accessKeyID, Account: AccountFor(accessKeyID)}, nil
	}
	ts, err := parseTimestamp(timestamp)
	if err != nil {
		return Key{}, apierr.InvalidTimeStampFormat.New()
	}
	if d := h.opts.WallNow().Sub(ts); d > SignatureWindow || d < -SignatureWindow {
		return Key{}, apierr.InvalidTimeStampExpired.New()
	}
	k, ok := h.keys[accessKeyID]
	if !ok {
		return Key{}, apierr.InvalidAccessKeyID.New()
	}
	return k, nil
}

func (h *Handler) useNonce(r *http.Request, accessKeyID, nonce string) error {
	if h.opts.Nonces == nil || nonce == "" {
		return nil
	}
	fresh, err := h.opts.Nonces.UseNonce(r.Context(), accessKeyID, nonce, h.opts.WallNow())
	if err != nil {
		return fmt.Errorf("record nonce: %w", err)
	}
	if !fresh {
		return apierr.SignatureNonceUsed.New()
	}
	return nil
}

// parseTimestamp accepts the SDKs' second-precision UTC form and, leniently,
// any RFC 3339 time (other SDKs add milliseconds or offsets).
func parseTimestamp(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02T15:04:05Z", s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
