package ecs_test

import (
	"crypto/md5"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// createKeyPair makes a key pair through the classic SDK and answers its
// name and fingerprint.
func (e *env) createKeyPair(t *testing.T, name string) (string, string) {
	t.Helper()
	r := classicecs.CreateCreateKeyPairRequest()
	r.KeyPairName = name
	resp, err := e.classic.CreateKeyPair(r)
	sdktest.OK(t, err)
	return resp.KeyPairName, resp.KeyPairFingerPrint
}

// A public key made with ssh-keygen -t ed25519; its MD5 fingerprint as
// ssh-keygen -l -E md5 prints it.
const (
	edPublicKey   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIITK8WnDA3fOWl8noC6K0wU3G5QJr+YciVawE/HjJvWW me@host"
	edFingerprint = "23:28:af:e4:d1:92:88:36:54:5a:23:d8:fc:b6:d6:63"
)

func TestKeyPairs_CreateImportDescribeDelete(t *testing.T) {
	e := newEnv(t, realistic())
	// Create, classic: a real RSA 2048 private key, answered once, whose
	// public half has the fingerprint answered.
	cr := classicecs.CreateCreateKeyPairRequest()
	cr.KeyPairName = "packer_1"
	created, err := e.classic.CreateKeyPair(cr)
	sdktest.OK(t, err)
	block, _ := pem.Decode([]byte(created.PrivateKeyBody))
	if block == nil {
		t.Fatalf("private key %q", created.PrivateKeyBody)
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil || priv.N.BitLen() != 2048 || created.KeyPairId == "" {
		t.Fatalf("private key: %v", err)
	}
	_, err = e.classic.CreateKeyPair(cr)
	sdktest.WantFail(t, err, http.StatusBadRequest, "KeyPair.AlreadyExist")
	cr.KeyPairName = "1bad"
	_, err = e.classic.CreateKeyPair(cr)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidKeyPairName.Malformed")

	// Import, v7, with tags.
	imp, err := e.v7.ImportKeyPair(&ecs.ImportKeyPairRequest{RegionId: dara.String("cn-hangzhou"), KeyPairName: dara.String("laptop"),
		PublicKeyBody: dara.String(edPublicKey), Tag: []*ecs.ImportKeyPairRequestTag{{Key: dara.String("team"), Value: dara.String("a")}}})
	sdktest.OK(t, err)
	if dara.StringValue(imp.Body.KeyPairFingerPrint) != edFingerprint {
		t.Fatalf("fingerprint %s", dara.StringValue(imp.Body.KeyPairFingerPrint))
	}
	for _, bad := range []string{"ssh-rsa notakey", "-----BEGIN PUBLIC KEY-----", "ssh-rsa " + base64.StdEncoding.EncodeToString([]byte("junk"))} {
		_, err = e.v7.ImportKeyPair(&ecs.ImportKeyPairRequest{RegionId: dara.String("cn-hangzhou"), KeyPairName: dara.String("other"),
			PublicKeyBody: dara.String(bad)})
		sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidPublicKeyBody.Malformed")
	}
	_, err = e.v7.ImportKeyPair(&ecs.ImportKeyPairRequest{RegionId: dara.String("cn-hangzhou"), KeyPairName: dara.String("other")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")

	// Describe: pattern, fingerprint, tags, public key on request.
	d, err := e.v7.DescribeKeyPairs(&ecs.DescribeKeyPairsRequest{RegionId: dara.String("cn-hangzhou")})
	sdktest.OK(t, err)
	if dara.Int32Value(d.Body.TotalCount) != 2 || d.Body.KeyPairs.KeyPair[0].PublicKey != nil {
		t.Fatalf("all: %v", d.Body)
	}
	for _, q := range []struct {
		req  *classicecs.DescribeKeyPairsRequest
		want string
	}{
		{&classicecs.DescribeKeyPairsRequest{KeyPairName: "pack*"}, "packer_1"},
		{&classicecs.DescribeKeyPairsRequest{KeyPairFingerPrint: created.KeyPairFingerPrint}, "packer_1"},
		{&classicecs.DescribeKeyPairsRequest{Tag: &[]classicecs.DescribeKeyPairsTag{{Key: "team", Value: "a"}}}, "laptop"},
		{&classicecs.DescribeKeyPairsRequest{KeyPairName: "nothing*"}, ""},
	} {
		base := classicecs.CreateDescribeKeyPairsRequest()
		base.KeyPairName, base.KeyPairFingerPrint, base.Tag, base.IncludePublicKey = q.req.KeyPairName, q.req.KeyPairFingerPrint, q.req.Tag, "true"
		resp, err := e.classic.DescribeKeyPairs(base)
		sdktest.OK(t, err)
		var names []string
		for _, kp := range resp.KeyPairs.KeyPair {
			names = append(names, kp.KeyPairName)
			if !strings.HasPrefix(kp.PublicKey, "ssh-") {
				t.Fatalf("IncludePublicKey: %q", kp.PublicKey)
			}
		}
		if strings.Join(names, ",") != q.want {
			t.Fatalf("%+v: %v, want %s", q.req, names, q.want)
		}
	}
	// The fingerprint of the created key is the MD5 of its public blob.
	kr := classicecs.CreateDescribeKeyPairsRequest()
	kr.KeyPairName, kr.IncludePublicKey = "packer_1", "true"
	got, err := e.classic.DescribeKeyPairs(kr)
	sdktest.OK(t, err)
	blob, _ := base64.StdEncoding.DecodeString(strings.Fields(got.KeyPairs.KeyPair[0].PublicKey)[1])
	if fp := colonHex(md5.Sum(blob)); fp != created.KeyPairFingerPrint {
		t.Fatalf("fingerprint %s, MD5 of the public key %s", created.KeyPairFingerPrint, fp)
	}

	// Tags through the ECS tag actions.
	lt := classicecs.CreateListTagResourcesRequest()
	lt.ResourceType, lt.ResourceId = "keypair", &[]string{"laptop"}
	tags, err := e.classic.ListTagResources(lt)
	sdktest.OK(t, err)
	if len(tags.TagResources.TagResource) != 1 || tags.TagResources.TagResource[0].TagKey != "team" {
		t.Fatalf("tags %+v", tags.TagResources)
	}

	// Delete: every name must exist, or nothing goes.
	dr := classicecs.CreateDeleteKeyPairsRequest()
	dr.KeyPairNames = `["packer_1","missing"]`
	_, err = e.classic.DeleteKeyPairs(dr)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidKeyPairName.NotFound")
	dr.KeyPairNames = `not json`
	_, err = e.classic.DeleteKeyPairs(dr)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	dr.KeyPairNames = `["packer_1","laptop"]`
	_, err = e.classic.DeleteKeyPairs(dr)
	sdktest.OK(t, err)
	d, err = e.v7.DescribeKeyPairs(&ecs.DescribeKeyPairsRequest{RegionId: dara.String("cn-hangzhou")})
	sdktest.OK(t, err)
	if dara.Int32Value(d.Body.TotalCount) != 0 {
		t.Fatalf("after delete: %v", d.Body)
	}
}

func colonHex(sum [16]byte) string {
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":")
}

func TestKeyPairs_LaunchAttachDetach(t *testing.T) {
	e := newEnv(t, realistic())
	_, err := e.classic.RunInstances(func() *classicecs.RunInstancesRequest {
		r := e.runReq()
		r.KeyPairName = "nope"
		return r
	}())
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidKeyPairName.NotFound")
	kp, _ := e.createKeyPair(t, "k1")
	cr := classicecs.CreateCreateInstanceRequest()
	cr.ImageId, cr.InstanceType, cr.VSwitchId, cr.SecurityGroupId = image, itype, e.vsw, e.sg
	cr.KeyPairName = "nope"
	_, err = e.classic.CreateInstance(cr)
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidKeyPairName.NotFound")
	win := e.runReq()
	win.ImageId, win.KeyPairName = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240617.vhd", kp
	_, err = e.classic.RunInstances(win)
	sdktest.WantFail(t, err, http.StatusForbidden, "DependencyViolation.WindowsInstance")

	with := e.run1(t, func(r *classicecs.RunInstancesRequest) { r.KeyPairName = kp })
	plain := e.run1(t, nil)
	keyOf := func(id string) string {
		t.Helper()
		resp, err := e.v7.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: dara.String("cn-hangzhou"),
			InstanceIds: dara.String(`["` + id + `"]`)})
		sdktest.OK(t, err)
		return dara.StringValue(resp.Body.Instances.Instance[0].KeyPairName)
	}
	if keyOf(with) != kp || keyOf(plain) != "" {
		t.Fatalf("key pairs %q %q", keyOf(with), keyOf(plain))
	}

	kp2, _ := e.createKeyPair(t, "k2")
	ar := classicecs.CreateAttachKeyPairRequest()
	ar.KeyPairName, ar.InstanceIds = kp2, `["`+with+`","`+plain+`","i-missing"]`
	att, err := e.classic.AttachKeyPair(ar)
	sdktest.OK(t, err)
	if att.TotalCount != "3" || att.FailCount != "1" || att.Results.Result[2].Code != "InvalidInstanceId.NotFound" {
		t.Fatalf("attach: %+v", att)
	}
	if keyOf(with) != kp2 || keyOf(plain) != kp2 {
		t.Fatalf("after attach: %q %q", keyOf(with), keyOf(plain))
	}
	ar.KeyPairName = "nope"
	_, err = e.classic.AttachKeyPair(ar)
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidKeyPairName.NotFound")

	det, err := e.v7.DetachKeyPair(&ecs.DetachKeyPairRequest{RegionId: dara.String("cn-hangzhou"), KeyPairName: dara.String(kp),
		InstanceIds: dara.String(`["` + plain + `"]`)})
	sdktest.OK(t, err)
	if dara.StringValue(det.Body.FailCount) != "1" {
		t.Fatalf("detach of another key: %v", det.Body)
	}
	det, err = e.v7.DetachKeyPair(&ecs.DetachKeyPairRequest{RegionId: dara.String("cn-hangzhou"), KeyPairName: dara.String(kp2),
		InstanceIds: dara.String(`["` + plain + `"]`)})
	sdktest.OK(t, err)
	if dara.StringValue(det.Body.FailCount) != "0" || keyOf(plain) != "" || keyOf(with) != kp2 {
		t.Fatalf("detach: %v", det.Body)
	}
	// Filter DescribeInstances by key pair.
	dr := classicecs.CreateDescribeInstancesRequest()
	dr.KeyPairName = kp2
	insts, err := e.classic.DescribeInstances(dr)
	sdktest.OK(t, err)
	if insts.TotalCount != 1 || insts.Instances.Instance[0].InstanceId != with {
		t.Fatalf("DescribeInstances KeyPairName: %+v", insts.Instances)
	}
}
