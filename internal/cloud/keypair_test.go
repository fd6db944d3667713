package cloud

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

func TestValidKeyPairName(t *testing.T) {
	for name, want := range map[string]bool{
		"ab": true, "my-key_1:prod": true, "a": false, "1key": false, "http://x": false,
		"has space": false, "dot.ted": false, string(make([]byte, 129)): false,
	} {
		if got := ValidKeyPairName(name); got != want {
			t.Errorf("ValidKeyPairName(%q) = %v", name, got)
		}
	}
}

func TestParsePublicKey(t *testing.T) {
	// The fingerprint ssh-keygen -l -E md5 prints for this key.
	const line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIITK8WnDA3fOWl8noC6K0wU3G5QJr+YciVawE/HjJvWW me@host"
	key, fp, err := ParsePublicKey(line)
	if err != nil || fp != "23:28:af:e4:d1:92:88:36:54:5a:23:d8:fc:b6:d6:63" ||
		key != "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIITK8WnDA3fOWl8noC6K0wU3G5QJr+YciVawE/HjJvWW" {
		t.Fatalf("ParsePublicKey = %q, %q, %v", key, fp, err)
	}
	for _, bad := range []string{
		"", "ssh-rsa", "ssh-rsa !!!notbase64", "foo AAAAC3NzaC1lZDI1NTE5AAAAIITK8WnDA3fOWl8noC6K0wU3G5QJr+YciVawE/HjJvWW",
		// an ed25519 blob labelled ssh-rsa
		"ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIITK8WnDA3fOWl8noC6K0wU3G5QJr+YciVawE/HjJvWW",
		"ssh-rsa AAAA",
	} {
		if _, _, err := ParsePublicKey(bad); err == nil || !strings.HasPrefix(err.Error(), "InvalidPublicKeyBody.Malformed") {
			t.Errorf("ParsePublicKey(%q) = %v", bad, err)
		}
	}
}

func TestGenerateKeyPair(t *testing.T) {
	priv, pub, fp, err := GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(priv))
	if block == nil || block.Type != "RSA PRIVATE KEY" {
		t.Fatalf("private key %q", priv)
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil || k.N.BitLen() != 2048 {
		t.Fatalf("RSA key: %v", err)
	}
	back, fp2, perr := ParsePublicKey(pub)
	if perr != nil || back != pub || fp2 != fp {
		t.Fatalf("public key does not parse back: %v %q %q", perr, fp, fp2)
	}
}
