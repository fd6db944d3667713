package cloud

import (
	"bytes"
	"crypto/md5"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"io"
	"math/big"
	"path"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindKeyPair is the stored kind of SSH key pairs.
const KindKeyPair = "keypair"

// KeyPairQuota is the number of key pairs a region holds.
const KeyPairQuota = 500

// KeyPair is an SSH key pair: the cloud keeps only the public half. It is
// keyed by its name, which the API uses as its id (tags, instances).
type KeyPair struct {
	Name          string    `json:"name"`
	Region        string    `json:"region"`
	ID            string    `json:"id"`
	Fingerprint   string    `json:"fingerprint"`
	PublicKey     string    `json:"publicKey"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
	Created       time.Time `json:"created"`
}

// Kind implements Resource.
func (KeyPair) Kind() string { return KindKeyPair }

// Key implements Resource.
func (k KeyPair) Key() string { return k.Name }

// RegionID implements Resource.
func (k KeyPair) RegionID() string { return k.Region }

// NextDue implements Resource: a key pair never changes on its own.
func (KeyPair) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (k KeyPair) Indexes() []Index {
	out := []Index{{IdxFingerprint, k.Fingerprint}}
	if k.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, k.ResourceGroup})
	}
	return append(out, tagIndexes(k.Tags)...)
}

// TagList implements Tagged.
func (k KeyPair) TagList() []Tag { return k.Tags }

// WithTags implements Tagged.
func (k KeyPair) WithTags(t []Tag) Resource { k.Tags = t; return k }

// keyPairKind declares the kind to the registry (registry.go).
var keyPairKind = Kind{
	Name:   KindKeyPair,
	Prefix: "kp",
	Indexes: append([]IndexDecl{
		{IdxFingerprint, "DescribeKeyPairs KeyPairFingerPrint"},
		{IdxResourceGroup, "DescribeKeyPairs ResourceGroupId"},
	}, tagIndexDecls("DescribeKeyPairs")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "keypair"}},
	Decode: decoder[KeyPair](),
}

// ValidKeyPairName: 2 to 128 characters, starting with a letter, not with
// http:// or https://, of letters, digits, colons, underscores and hyphens.
func ValidKeyPairName(name string) bool {
	if len(name) < 2 || len(name) > 128 || strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://") {
		return false
	}
	for i, c := range name {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		switch {
		case i == 0 && !letter:
			return false
		case letter, c >= '0' && c <= '9', c == ':', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// MatchKeyPairName is DescribeKeyPairs' KeyPairName: exact, or a pattern
// with * standing for any run of characters.
func MatchKeyPairName(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	// path.Match treats only * ? [ \ specially; names hold none of ? [ \.
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

// publicKeyTypes are the OpenSSH key types ImportKeyPair accepts.
var publicKeyTypes = []string{
	"ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
}

// ParsePublicKey reads one OpenSSH authorized_keys line ("ssh-rsa AAAA…
// comment") and answers it without the comment, with its fingerprint: the
// MD5 of the key blob as colon-separated hex (RFC 4716).
func ParsePublicKey(line string) (key, fingerprint string, err error) {
	fields := strings.Fields(strings.TrimSpace(line))
	if len(fields) < 2 {
		return "", "", apierr.PublicKeyBodyMalformed.New()
	}
	typ := fields[0]
	known := false
	for _, t := range publicKeyTypes {
		known = known || t == typ
	}
	blob, decErr := base64.StdEncoding.DecodeString(fields[1])
	if !known || decErr != nil {
		return "", "", apierr.PublicKeyBodyMalformed.New()
	}
	// The blob starts with its own type as an SSH string, and holds at
	// least one more field.
	if len(blob) < 4 {
		return "", "", apierr.PublicKeyBodyMalformed.New()
	}
	n := binary.BigEndian.Uint32(blob)
	if uint64(n)+4 >= uint64(len(blob)) || string(blob[4:4+n]) != typ {
		return "", "", apierr.PublicKeyBodyMalformed.New()
	}
	return typ + " " + fields[1], Fingerprint(blob), nil
}

// Fingerprint is the MD5 of an SSH public key blob, colon-separated hex.
func Fingerprint(blob []byte) string {
	sum := md5.Sum(blob)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = hex.EncodeToString([]byte{b})
	}
	return strings.Join(parts, ":")
}

// GenerateKeyPair makes an RSA 2048 key pair from random: the private key as
// PEM (PKCS#1, "RSA PRIVATE KEY", as the cloud answers it), the public key
// as an authorized_keys line, and its fingerprint.
func GenerateKeyPair(random io.Reader) (privatePEM, publicKey, fingerprint string, err error) {
	priv, err := rsa.GenerateKey(random, 2048)
	if err != nil {
		return "", "", "", err
	}
	der := x509.MarshalPKCS1PrivateKey(priv)
	privatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}))
	blob := rsaPublicBlob(&priv.PublicKey)
	return privatePEM, "ssh-rsa " + base64.StdEncoding.EncodeToString(blob), Fingerprint(blob), nil
}

// rsaPublicBlob is the SSH wire form of an RSA public key (RFC 4253 §6.6).
func rsaPublicBlob(pub *rsa.PublicKey) []byte {
	var b bytes.Buffer
	writeString := func(s []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		b.Write(n[:])
		b.Write(s)
	}
	mpint := func(v *big.Int) []byte {
		raw := v.Bytes()
		if len(raw) > 0 && raw[0]&0x80 != 0 {
			raw = append([]byte{0}, raw...) // keep it positive
		}
		return raw
	}
	writeString([]byte("ssh-rsa"))
	writeString(mpint(big.NewInt(int64(pub.E))))
	writeString(mpint(pub.N))
	return b.Bytes()
}
