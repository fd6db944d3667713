package admin

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestSafeParams: secrets are left out, names and values cut at their
// bounds with a note of their length, and past maxParams the rest counted.
func TestSafeParams(t *testing.T) {
	values := map[string]string{"Signature": "s", "Password": "p", "UserData": strings.Repeat("u", 40000), strings.Repeat("K", 200): "v"}
	for i := range 150 {
		values[fmt.Sprintf("P%03d", i)] = fmt.Sprint(i)
	}
	got := safeParams(values)
	if len(got) != maxParams+1 || got["…"] != "52 more parameters" {
		t.Fatalf("%d kept, note %q; want %d and 52 more", len(got), got["…"], maxParams+1)
	}
	if _, ok := got["P099"]; got["P000"] != "0" || got["P098"] != "98" || ok {
		t.Errorf("kept P000 %q, P098 %q, P099 %v: want the first %d by name", got["P000"], got["P098"], ok, maxParams)
	}
	if _, ok := got["Signature"]; ok {
		t.Error("Signature logged")
	}
	small := safeParams(map[string]string{"Signature": "s", "RegionId": "cn-hangzhou", "UserData": strings.Repeat("u", 40000), strings.Repeat("K", 200): "v", "SecurityToken": "t"})
	want := map[string]string{
		"RegionId": "cn-hangzhou",
		"UserData": strings.Repeat("u", maxParamValue) + "…(40000 bytes)",
		strings.Repeat("K", 128) + "…(200 bytes)": "v",
	}
	if !reflect.DeepEqual(small, want) {
		t.Errorf("safeParams = %q, want %q", small, want)
	}
}

// TestSecretASCII holds secret's one pass over ASCII names to the
// definition (strings.EqualFold, containsFold), over random names of the
// letters of the words, in both cases, and a few non-ASCII ones.
func TestSecretASCII(t *testing.T) {
	slow := func(name string) bool {
		return strings.EqualFold(name, "signature") || containsFold(name, "securitytoken") || containsFold(name, "password") || containsFold(name, "secret")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const alphabet = "sSecrtTpawodignuyk.Xx1"
	words := []string{"signature", "secret", "password", "securitytoken", "SecurityToken", "PassWord", "Signature"}
	for range 300000 {
		var b strings.Builder
		for range rng.IntN(20) {
			if rng.IntN(8) == 0 {
				b.WriteString(words[rng.IntN(len(words))])
				continue
			}
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		name := b.String()
		if rng.IntN(50) == 0 {
			name += []string{"ſ", "K", "é"}[rng.IntN(3)]
		}
		if secret(name) != slow(name) {
			t.Fatalf("secret(%q) = %v, want %v", name, secret(name), slow(name))
		}
	}
	for _, name := range []string{"Signature", "signature", "SignatureNonce", "SecurityToken", "Password", "SystemDisk.Password", "ClientSecret", "secre", "pssword", "passwor", "ſecret", "securitytoKen", "AccessKeyId", ""} {
		if secret(name) != slow(name) {
			t.Errorf("secret(%q) = %v, want %v", name, secret(name), slow(name))
		}
	}
}

// TestResourcesOf: the ids of the changes, then those the *Id and *Ids
// parameters name (by parameter name), each once.
func TestResourcesOf(t *testing.T) {
	got := resourcesOf([]store.Change{{ID: "i-bp1zzzzzz"}, {ID: "i-bp1zzzzzz"}}, map[string]string{
		"RegionId":     "cn-hangzhou",
		"InstanceIds":  `["i-bp1bbbbbb","i-bp1aaaaaa"]`,
		"InstanceId.1": "i-bp1aaaaaa",
		"VSwitchId":    "vsw-bp1cccccc, vsw-bp1dddddd",
		"ImageId":      "ubuntu_22_04",
		"PageSize":     "10",
		"AccessKeyId":  "ak-abcdefgh",
	})
	want := []string{"i-bp1zzzzzz", "i-bp1aaaaaa", "i-bp1bbbbbb", "vsw-bp1cccccc", "vsw-bp1dddddd"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("resourcesOf = %q, want %q", got, want)
	}
	if got := resourcesOf(nil, map[string]string{"RegionId": "cn-hangzhou", "PageSize": "10"}); got != nil {
		t.Errorf("resourcesOf of no ids = %q", got)
	}
}

// TestIsIDAsPattern holds isID to idPattern, and mayBeList to
// encoding/json (a value it rules out never decodes as a list), over
// random strings of the bytes that matter.
func TestIsIDAsPattern(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "az09-bq7_A. [\"]n\tnull,é"
	for range 200000 {
		b := make([]byte, rng.IntN(22))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(b)
		if isID(s) != idPattern.MatchString(s) {
			t.Fatalf("isID(%q) = %v, idPattern says %v", s, isID(s), !isID(s))
		}
		var list []string
		if !mayBeList(s) && json.Unmarshal(b, &list) == nil {
			t.Fatalf("mayBeList(%q) = false, yet it decodes as a list", s)
		}
	}
	for _, s := range []string{"i-bp1abcdef", "vsw-bp1cccccc", "abcdefghijkl-123456", "abcdefghijklm-123456", "i-12345", "-abcdefg", "1-abcdefg", "i-abc-defgh", "null", " [\"x\"]"} {
		if isID(s) != idPattern.MatchString(s) {
			t.Errorf("isID(%q) = %v, idPattern says %v", s, isID(s), !isID(s))
		}
	}
}
