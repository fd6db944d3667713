package rpc

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// upperHex is the digit set for %XX escapes; Alibaba signs with upper-case hex.
const upperHex = "0123456789ABCDEF"

// PercentEncode encodes s per RFC 3986 as Alibaba signs it: A-Z a-z 0-9 - _ . ~
// literal, every other byte %XX upper-case hex.
func PercentEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			n++
		}
	}
	// Fast path: most keys and values (Action names, ids) need no escaping.
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0x0f])
	}
	return b.String()
}

// isUnreserved reports whether c is in the RFC 3986 unreserved set, which both
// SDK encoders (Go's QueryEscape fix-ups and pop-core's encodeURIComponent) leave literal.
func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// canonicalQuery percent-encodes every key and its first value, sorts by encoded
// key and joins k=v with "&"; skip names a key that must not take part (may be "").
func canonicalQuery(params url.Values, skip string) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(params))
	for k, vs := range params {
		if skip != "" && k == skip {
			continue
		}
		// Duplicates do not occur in practice; the first value is what a
		// map-based SDK would have sent, and an empty slice counts as "k=".
		v := ""
		if len(vs) > 0 {
			v = vs[0]
		}
		pairs = append(pairs, pair{PercentEncode(k), PercentEncode(v)})
	}
	// Byte order on the encoded key is what the SDKs' sorters produce.
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// V1StringToSign returns METHOD&%2F&percentEncode(canonicalized query) over params
// (query ∪ form, decoded), dropping the "Signature" key, keeping empty values. If a
// key has several values use the first.
func V1StringToSign(method string, params url.Values) string {
	// The signature cannot sign itself, so it is excluded; empty values such as
	// SignatureType= are still signed by the old Go SDK.
	return method + "&%2F&" + PercentEncode(canonicalQuery(params, "Signature"))
}

// v1StringToSign is V1StringToSign over the one-value parameter map a
// request binds to, written in one pass: the canonical query is encoded a
// second time as it is written (every '%' of the first pass becomes "%25",
// '&' "%26", '=' "%3D") instead of being built and then encoded again.
// TestV1StringToSignForms holds the two to one answer.
func v1StringToSign(method string, params map[string]string) string {
	return string(appendV1StringToSign(nil, method, params))
}

// appendV1StringToSign appends v1StringToSign(method, params) to b.
func appendV1StringToSign(b []byte, method string, params map[string]string) []byte {
	type pair struct{ k, v string } // k encoded once, v raw
	var stack [32]pair
	pairs := stack[:0]
	size := len(method) + 5
	for k, v := range params {
		if k == "Signature" {
			continue
		}
		pairs = append(pairs, pair{PercentEncode(k), v})
		size += 2*len(k) + 3*len(v) + 6
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	b = slices.Grow(b, size)
	b = append(b, method...)
	b = append(b, "&%2F&"...)
	for i, p := range pairs {
		if i > 0 {
			b = append(b, "%26"...)
		}
		for j := 0; j < len(p.k); j++ {
			if p.k[j] == '%' {
				b = append(b, "%25"...)
			} else {
				b = append(b, p.k[j])
			}
		}
		b = append(b, "%3D"...)
		for j := 0; j < len(p.v); j++ {
			if c := p.v[j]; isUnreserved(c) {
				b = append(b, c)
			} else {
				b = append(b, '%', '2', '5', upperHex[c>>4], upperHex[c&0x0f])
			}
		}
	}
	return b
}

// V1Signature is base64(HMAC-SHA1(secret+"&", stringToSign)).
func V1Signature(secret, stringToSign string) string {
	// The "&" suffix is the empty bearer-token half of the v1 key.
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// v1Signer checks v1 signatures for one secret with keyed HMACs kept for
// reuse (keying one hashes two blocks and allocates, on every call), each
// with a buffer for the string to sign.
type v1Signer struct{ macs sync.Pool }

type v1MAC struct {
	mac hash.Hash
	sts []byte
}

func newV1Signer(secret string) *v1Signer {
	key := []byte(secret + "&")
	s := &v1Signer{}
	s.macs.New = func() any { return &v1MAC{mac: hmac.New(sha1.New, key)} }
	return s
}

// verify tells whether signature is V1Signature(secret, v1StringToSign(
// method, params)), in constant time.
func (s *v1Signer) verify(method string, params map[string]string, signature string) bool {
	m := s.macs.Get().(*v1MAC)
	defer s.macs.Put(m)
	m.sts = appendV1StringToSign(m.sts[:0], method, params)
	m.mac.Reset()
	m.mac.Write(m.sts)
	var sum [sha1.Size]byte
	var enc [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(enc[:], m.mac.Sum(sum[:0]))
	return hmac.Equal(enc[:], []byte(signature))
}

// ACS3Authorization is a parsed "Authorization: ACS3-HMAC-SHA256
// Credential=...,SignedHeaders=a;b,Signature=hex" header.
type ACS3Authorization struct {
	Algorithm     string   // e.g. "ACS3-HMAC-SHA256"
	AccessKeyID   string   // the Credential value: a bare AK id, no scope
	SignedHeaders []string // lower-case, in the order given
	Signature     string   // lower-case hex as sent; compared by the caller
}

// ParseACS3Authorization parses tolerantly (trim spaces around commas/equals);
// returns ok=false when the header does not start with "ACS3-" or lacks
// Credential, SignedHeaders or Signature.
func ParseACS3Authorization(h string) (ACS3Authorization, bool) {
	var a ACS3Authorization
	h = strings.TrimSpace(h)
	if !strings.HasPrefix(h, "ACS3-") {
		return a, false
	}
	// The algorithm is separated from the fields by whitespace, not a comma.
	sp := strings.IndexFunc(h, unicode.IsSpace)
	if sp < 0 {
		return a, false
	}
	a.Algorithm = h[:sp]
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	for _, part := range strings.Split(h[sp:], ",") {
		k, v, found := strings.Cut(part, "=")
		if !found {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		// First occurrence wins so a later duplicate cannot override what was parsed.
		switch {
		case strings.EqualFold(k, "Credential") && !haveCred:
			cred, haveCred = v, true
		case strings.EqualFold(k, "SignedHeaders") && !haveSigned:
			signed, haveSigned = v, true
		case strings.EqualFold(k, "Signature") && !haveSig:
			sig, haveSig = v, true
		}
	}
	for _, name := range strings.Split(signed, ";") {
		// Empty names carry no header to verify, so they are dropped.
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
			a.SignedHeaders = append(a.SignedHeaders, name)
		}
	}
	if cred == "" || len(a.SignedHeaders) == 0 || sig == "" {
		return ACS3Authorization{}, false
	}
	a.AccessKeyID, a.Signature = cred, sig
	return a, true
}

// ACS3CanonicalRequest builds the canonical request:
// METHOD\nPATH\nQUERY\nHEADERS\n\nSIGNEDHEADERS\nHASHEDPAYLOAD as protocol.md §4.
// query: the decoded URL query (form body NOT included). header: request headers
// (case-insensitive lookup via http.Header.Values(name)); for the "host" signed
// header use the host argument (Go's r.Host) verbatim. Multiple values of a header:
// trimmed, sorted, joined with ",". path "" means "/".
func ACS3CanonicalRequest(method, path string, query url.Values, header http.Header, host string, signedHeaders []string, hashedPayload string) string {
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query, ""))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		// Go's server moves Host out of r.Header into r.Host, so it must come from the argument.
		if strings.EqualFold(name, "host") {
			b.WriteString(host)
		} else {
			b.WriteString(canonicalHeaderValue(header.Values(name)))
		}
		b.WriteByte('\n')
	}
	// Each header line ends in "\n" and one more separator follows, which yields
	// the empty line the SDK puts before the signed-header list.
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(hashedPayload)
	return b.String()
}

// canonicalHeaderValue trims, sorts and comma-joins vals the way the SDK's
// getCanonicalHeaders does; it copies so the caller's header is left untouched.
func canonicalHeaderValue(vals []string) string {
	switch len(vals) {
	case 0:
		return ""
	case 1:
		return strings.TrimSpace(vals[0])
	}
	vs := make([]string, len(vals))
	for i, v := range vals {
		vs[i] = strings.TrimSpace(v)
	}
	sort.Strings(vs)
	return strings.Join(vs, ",")
}

// ACS3StringToSign is algorithm + "\n" + lowerhex(sha256(canonicalRequest)).
func ACS3StringToSign(algorithm, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return algorithm + "\n" + hex.EncodeToString(sum[:])
}

// ACS3Signature is lowerhex(HMAC-SHA256(secret, stringToSign)) (no "&" suffix on the key).
func ACS3Signature(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// HashPayload is lowerhex(sha256(body)).
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
