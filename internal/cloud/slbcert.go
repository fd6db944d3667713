package cloud

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindServerCertificate is the stored kind of SLB server certificates.
const KindServerCertificate = "servercertificate"

// ServerCertificate is an uploaded certificate an HTTPS listener serves.
// Only what the API answers is kept: the private key is checked against
// the certificate on upload and not stored.
type ServerCertificate struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	Name          string    `json:"name"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Fingerprint   string    `json:"fingerprint"`
	CommonName    string    `json:"commonName"`
	AltNames      []string  `json:"altNames,omitempty"`
	Algorithm     string    `json:"algorithm"`
	KeyLength     int       `json:"keyLength"`
	Expires       time.Time `json:"expires"`
	Created       time.Time `json:"created"`
}

// Kind implements Resource.
func (ServerCertificate) Kind() string { return KindServerCertificate }

// Key implements Resource.
func (c ServerCertificate) Key() string { return c.ID }

// RegionID implements Resource.
func (c ServerCertificate) RegionID() string { return c.Region }

// Indexes implements Resource: the DescribeServerCertificates filter.
func (c ServerCertificate) Indexes() []Index {
	return []Index{{IdxResourceGroup, c.ResourceGroup}}
}

// NextDue implements Resource: an expired certificate stays as it is.
func (ServerCertificate) NextDue() time.Time { return time.Time{} }

// ParseServerCertificate checks an upload: the first PEM CERTIFICATE block
// of certPEM must parse, and keyPEM must hold the private key of its public
// key (PKCS#1, PKCS#8 or SEC 1). The error names the bad parameter.
func ParseServerCertificate(certPEM, keyPEM string) (ServerCertificate, error) {
	var c ServerCertificate
	block, _ := pem.Decode([]byte(strings.TrimSpace(certPEM)))
	if block == nil || block.Type != "CERTIFICATE" {
		return c, apierr.InvalidServerCertificate.New().WithDetail("no PEM CERTIFICATE block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return c, apierr.InvalidServerCertificate.New().WithDetail("%v", err)
	}
	key, err := parsePrivateKey(keyPEM)
	if err != nil {
		return c, apierr.InvalidPrivateKey.New().WithDetail("%v", err)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return c, apierr.CertificateKeyMismatch.New()
	}
	sum := sha1.Sum(cert.Raw)
	fp := make([]string, len(sum))
	for i, b := range sum {
		fp[i] = hex.EncodeToString([]byte{b})
	}
	c = ServerCertificate{Fingerprint: strings.Join(fp, ":"), CommonName: cert.Subject.CommonName, AltNames: cert.DNSNames, Expires: cert.NotAfter}
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		c.Algorithm, c.KeyLength = "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		c.Algorithm, c.KeyLength = "ECC", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		c.Algorithm, c.KeyLength = "ED25519", 256
	}
	return c, nil
}

func parsePrivateKey(keyPEM string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(keyPEM)))
	if block == nil {
		return nil, errNoPEM
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, errNoPEM
	}
	return s, nil
}

type pemError string

func (e pemError) Error() string { return string(e) }

const errNoPEM = pemError("no PEM private key block")

// serverCertificateKind declares the kind to the registry (registry.go).
var serverCertificateKind = Kind{
	Name:   KindServerCertificate,
	Prefix: "cert",
	Indexes: []IndexDecl{
		{IdxResourceGroup, "DescribeServerCertificates ResourceGroupId"},
	},
	Decode: decoder[ServerCertificate](),
}
