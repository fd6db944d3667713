package sqlite

import (
	"bytes"
	"slices"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// An instance document as the server writes it, and its index pairs.
var (
	packDoc   = []byte(`{"id":"i-bp1f00dq3ke2r7wnfy8c","region":"cn-hangzhou","zone":"cn-hangzhou-h","name":"web-1","hostName":"web-1","instanceType":"ecs.g7.large","family":"ecs.g7","cpu":2,"memoryMiB":8192,"imageId":"aliyun_3_x64_20G_alibase_20240528.vhd","osName":"Alibaba Cloud Linux  3.2104 LTS 64位","osNameEn":"Alibaba Cloud Linux  3.2104 LTS 64 bit","osType":"linux","status":"Running","chargeType":"PostPaid","internetChargeType":"PayByTraffic","bandwidthOut":0,"created":"2026-11-30T08:01:02.003Z","started":"2026-11-30T08:01:02.003Z","protected":false,"spotStrategy":"NoSpot","securityGroups":["sg-bp1c0ffee0l2kqz7x9ab"],"vpcId":"vpc-bp1d3adb33fq1x2y3z4w","vSwitchId":"vsw-bp1abcde12345fghij67","privateIp":"172.16.3.9","tags":[{"key":"team","value":"web"}]}`)
	packAttrs = []store.Attr{{Name: "status", Value: "Running"}, {Name: "zone", Value: "cn-hangzhou-h"}, {Name: "vpc", Value: "vpc-bp1d3adb33fq1x2y3z4w"},
		{Name: "vswitch", Value: "vsw-bp1abcde12345fghij67"}, {Name: "privateIp", Value: "172.16.3.9"}, {Name: "tag", Value: "team=web"}, {Name: "", Value: ""}}
)

func TestPack(t *testing.T) {
	for _, c := range []struct {
		doc   []byte
		attrs []store.Attr
	}{{packDoc, packAttrs}, {[]byte(`{}`), nil}, {nil, nil}, {bytes.Repeat([]byte("x"), 100000), packAttrs[:1]}} {
		blob := pack(c.doc, c.attrs)
		doc, attrs, err := unpack(blob, true)
		want := slices.Clone(c.attrs)
		slices.SortFunc(want, compareAttr)
		if err != nil || !bytes.Equal(doc, c.doc) || !slices.Equal(attrs, want) {
			t.Errorf("unpack(pack(%.40q, %v)) = %.40q, %v, %v", c.doc, c.attrs, doc, attrs, err)
		}
		if doc, err := Document(blob); err != nil || !bytes.Equal(doc, c.doc) {
			t.Errorf("Document: %.40q, %v", doc, err)
		}
	}
	t.Logf("instance document %d bytes, packed with %d pairs %d", len(packDoc), len(packAttrs), len(pack(packDoc, packAttrs)))
	for _, bad := range [][]byte{nil, []byte(`{"id":"x"}`), {packV1}, {packV1, 200}, pack(packDoc, packAttrs)[:20]} {
		if _, _, err := unpack(bad, true); err == nil {
			t.Errorf("unpack(%q): no error", bad)
		}
	}
}

// BenchmarkUnpack is what a read pays per record for the packing.
func BenchmarkUnpack(b *testing.B) {
	blob := pack(packDoc, packAttrs)
	for b.Loop() {
		if _, _, err := unpack(blob, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPack(b *testing.B) {
	for b.Loop() {
		pack(packDoc, packAttrs)
	}
}
