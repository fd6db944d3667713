package slb_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// selfSigned makes a PEM certificate for www.example.com and its key.
func selfSigned(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sdktest.OK(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "www.example.com"},
		DNSNames: []string{"www.example.com"}, NotBefore: time.Unix(0, 0), NotAfter: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	sdktest.OK(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	sdktest.OK(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

func (f *fixture) upload(cert, key string) (*classicslb.UploadServerCertificateResponse, error) {
	r := classicslb.CreateUploadServerCertificateRequest()
	r.ServerCertificate, r.PrivateKey, r.ServerCertificateName = cert, key, "site"
	return f.slb.UploadServerCertificate(r)
}

// TestServerCertificates_Classic: uploads are checked, an HTTPS listener
// serves one, and a certificate in use cannot be deleted.
func TestServerCertificates_Classic(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	cert, key := selfSigned(t)
	_, otherKey := selfSigned(t)

	_, err := f.upload("not a certificate", key)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = f.upload(cert, "not a key")
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	_, err = f.upload(cert, otherKey)
	sdktest.WantFail(t, err, 400, "InvalidParameter")
	up, err := f.upload(cert, key)
	sdktest.OK(t, err)
	if up.CommonName != "www.example.com" || up.ServerCertificateName != "site" || len(up.Fingerprint) != 59 {
		t.Fatalf("upload = %+v", up)
	}

	h := classicslb.CreateCreateLoadBalancerHTTPSListenerRequest()
	h.LoadBalancerId, h.ListenerPort, h.BackendServerPort, h.Bandwidth, h.HealthCheck = lb, requests.NewInteger(443), requests.NewInteger(80), requests.NewInteger(-1), "on"
	h.ServerCertificateId = "cert-nope"
	_, err = f.slb.CreateLoadBalancerHTTPSListener(h)
	sdktest.WantFail(t, err, 400, "ServerCertificateId.NotFound")
	h2 := classicslb.CreateCreateLoadBalancerHTTPSListenerRequest()
	h2.LoadBalancerId, h2.ListenerPort, h2.BackendServerPort, h2.Bandwidth, h2.HealthCheck = lb, requests.NewInteger(443), requests.NewInteger(80), requests.NewInteger(-1), "on"
	h2.ServerCertificateId = up.ServerCertificateId
	_, err = f.slb.CreateLoadBalancerHTTPSListener(h2)
	sdktest.OK(t, err)
	f.settle()
	d := classicslb.CreateDescribeLoadBalancerHTTPSListenerAttributeRequest()
	d.LoadBalancerId, d.ListenerPort = lb, requests.NewInteger(443)
	got, err := f.slb.DescribeLoadBalancerHTTPSListenerAttribute(d)
	sdktest.OK(t, err)
	if got.ServerCertificateId != up.ServerCertificateId || got.TLSCipherPolicy != "tls_cipher_policy_1_0" || got.EnableHttp2 != "on" {
		t.Fatalf("HTTPS listener = %+v", got)
	}

	del := classicslb.CreateDeleteServerCertificateRequest()
	del.ServerCertificateId = up.ServerCertificateId
	_, err = f.slb.DeleteServerCertificate(del)
	sdktest.WantFail(t, err, 400, "ServerCertificateInUse")

	rn := classicslb.CreateSetServerCertificateNameRequest()
	rn.ServerCertificateId, rn.ServerCertificateName = up.ServerCertificateId, "renamed"
	_, err = f.slb.SetServerCertificateName(rn)
	sdktest.OK(t, err)
	ls := classicslb.CreateDescribeServerCertificatesRequest()
	list, err := f.slb.DescribeServerCertificates(ls)
	sdktest.OK(t, err)
	if n := len(list.ServerCertificates.ServerCertificate); n != 1 || list.ServerCertificates.ServerCertificate[0].ServerCertificateName != "renamed" ||
		list.ServerCertificates.ServerCertificate[0].EncryptionAlgorithm != "ECC" {
		t.Fatalf("certificates = %+v", list.ServerCertificates)
	}

	dl := classicslb.CreateDeleteLoadBalancerListenerRequest()
	dl.LoadBalancerId, dl.ListenerPort = lb, requests.NewInteger(443)
	_, err = f.slb.DeleteLoadBalancerListener(dl)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteServerCertificate(del)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteServerCertificate(del)
	sdktest.WantFail(t, err, 400, "ServerCertificateId.NotFound")
}

// TestAccessControlLists_Classic: an ACL's entries, its use by a listener,
// and the refusals around it.
func TestAccessControlLists_Classic(t *testing.T) {
	f := newFixture(t)
	lb := f.intranet(t)
	c := classicslb.CreateCreateAccessControlListRequest()
	c.AclName = "office"
	created, err := f.slb.CreateAccessControlList(c)
	sdktest.OK(t, err)
	_, err = f.slb.CreateAccessControlList(c)
	sdktest.WantFail(t, err, 400, "AclNameExist")
	id := created.AclId

	add := func(entries string) error {
		r := classicslb.CreateAddAccessControlListEntryRequest()
		r.AclId, r.AclEntrys = id, entries
		_, err := f.slb.AddAccessControlListEntry(r)
		return err
	}
	sdktest.OK(t, add(`[{"entry":"10.0.10.0/24","comment":"office"},{"entry":"192.168.1.7","comment":"vpn"}]`))
	sdktest.WantFail(t, add(`[{"entry":"10.0.10.0/24"}]`), 400, "AclEntryExist")
	sdktest.WantFail(t, add(`[{"entry":"10.0.10.0/33"}]`), 400, "InvalidParameter")
	sdktest.WantFail(t, add(`[{"entry":"2001:db8::/32"}]`), 400, "InvalidParameter")
	sdktest.WantFail(t, add(`[]`), 400, "AclEntryEmpty")

	l := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	l.LoadBalancerId, l.ListenerPort, l.BackendServerPort, l.Bandwidth = lb, requests.NewInteger(22), requests.NewInteger(22), requests.NewInteger(-1)
	l.AclStatus, l.AclType, l.AclId = "on", "white", "acl-nope"
	_, err = f.slb.CreateLoadBalancerTCPListener(l)
	sdktest.WantFail(t, err, 400, "AclNotExist")
	l2 := classicslb.CreateCreateLoadBalancerTCPListenerRequest()
	l2.LoadBalancerId, l2.ListenerPort, l2.BackendServerPort, l2.Bandwidth = lb, requests.NewInteger(22), requests.NewInteger(22), requests.NewInteger(-1)
	l2.AclStatus, l2.AclType, l2.AclId = "on", "white", id
	_, err = f.slb.CreateLoadBalancerTCPListener(l2)
	sdktest.OK(t, err)

	a := classicslb.CreateDescribeAccessControlListAttributeRequest()
	a.AclId = id
	attr, err := f.slb.DescribeAccessControlListAttribute(a)
	sdktest.OK(t, err)
	if attr.TotalAclEntry != 2 || attr.AclEntrys.AclEntry[1].AclEntryIP != "192.168.1.7/32" ||
		len(attr.RelatedListeners.RelatedListener) != 1 || attr.RelatedListeners.RelatedListener[0].ListenerPort != 22 {
		t.Fatalf("ACL = %+v", attr)
	}

	del := classicslb.CreateDeleteAccessControlListRequest()
	del.AclId = id
	_, err = f.slb.DeleteAccessControlList(del)
	sdktest.WantFail(t, err, 400, "AclInUse")

	rm := classicslb.CreateRemoveAccessControlListEntryRequest()
	rm.AclId, rm.AclEntrys = id, `[{"entry":"10.0.10.0/24"}]`
	_, err = f.slb.RemoveAccessControlListEntry(rm)
	sdktest.OK(t, err)
	set := classicslb.CreateSetAccessControlListAttributeRequest()
	set.AclId, set.AclName = id, "home"
	_, err = f.slb.SetAccessControlListAttribute(set)
	sdktest.OK(t, err)
	ls := classicslb.CreateDescribeAccessControlListsRequest()
	ls.AclName = "home"
	list, err := f.slb.DescribeAccessControlLists(ls)
	sdktest.OK(t, err)
	if list.TotalCount != 1 || list.Acls.Acl[0].AclId != id {
		t.Fatalf("ACLs named home = %+v", list.Acls)
	}

	f.settle()
	s := classicslb.CreateSetLoadBalancerTCPListenerAttributeRequest()
	s.LoadBalancerId, s.ListenerPort, s.AclStatus = lb, requests.NewInteger(22), "off"
	_, err = f.slb.SetLoadBalancerTCPListenerAttribute(s)
	sdktest.OK(t, err)
	// The listener still names the ACL while its control is off [choice].
	_, err = f.slb.DeleteAccessControlList(del)
	sdktest.WantFail(t, err, 400, "AclInUse")
	f.settle()
	dl := classicslb.CreateDeleteLoadBalancerListenerRequest()
	dl.LoadBalancerId, dl.ListenerPort = lb, requests.NewInteger(22)
	_, err = f.slb.DeleteLoadBalancerListener(dl)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteAccessControlList(del)
	sdktest.OK(t, err)
	_, err = f.slb.DeleteAccessControlList(del)
	sdktest.WantFail(t, err, 400, "AclNotExist")
}
