package ecs

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// TestInstanceItemsAsInstanceItem: the page builder of DescribeInstances
// makes, for pages of 0 to 30 instances and ENIs attached at random (to
// the page's instances, to others, as trunk members, detached, with equal
// device indexes and secondary addresses), exactly the items that
// instanceItem makes from each instance's ENIs grouped by instance.
func TestInstanceItemsAsInstanceItem(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for round := range 3000 {
		list := make([]cloud.Instance, rng.IntN(31))
		for n := range list {
			list[n] = cloud.Instance{ID: fmt.Sprintf("i-%d", n), Region: "cn-hangzhou", CPU: 2, SecurityGroups: []string{"sg-1"}}
			randomItemParts(rng, &list[n])
		}
		enis := make([]cloud.ENI, rng.IntN(2*len(list)+3))
		for k := range enis {
			e := cloud.ENI{ID: fmt.Sprintf("eni-%d", k), MAC: fmt.Sprint(k), PrivateIP: fmt.Sprintf("10.0.0.%d", k), Type: "Secondary"}
			for range rng.IntN(3) {
				e.SecondaryIPs = append(e.SecondaryIPs, fmt.Sprintf("10.1.%d.%d", k, rng.IntN(9)))
			}
			switch rng.IntN(6) {
			case 0: // detached
			case 1:
				e.Attachment = &cloud.ENIAttachment{InstanceID: "i-other", DeviceIndex: rng.IntN(3)}
			default:
				a := &cloud.ENIAttachment{InstanceID: fmt.Sprintf("i-%d", rng.IntN(len(list)+1)), DeviceIndex: rng.IntN(3)}
				if rng.IntN(5) == 0 {
					a.TrunkNetworkInterfaceID = "eni-trunk"
				}
				e.Attachment = a
			}
			enis[k] = e
		}
		byInstance := map[string][]cloud.ENI{}
		for _, e := range enis {
			byInstance[e.InstanceID()] = append(byInstance[e.InstanceID()], e)
		}
		want := make([]InstanceItem, 0, len(list))
		for _, i := range list {
			want = append(want, instanceItem(i, byInstance[i.ID]))
		}
		got := instanceItems(list, enis)
		wb, _ := json.Marshal(want)
		gb, _ := json.Marshal(got)
		if string(gb) != string(wb) {
			t.Fatalf("round %d:\n got %s\nwant %s", round, gb, wb)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: the items differ where JSON does not show it", round)
		}
	}
}

// randomItemParts gives an instance what its item formats or lists of its
// own, or not: times (zero or not, prepaid or not), addresses and groups.
func randomItemParts(rng *rand.Rand, i *cloud.Instance) {
	when := func() time.Time {
		if rng.IntN(3) == 0 {
			return time.Time{}
		}
		return time.Unix(rng.Int64N(1<<34), rng.Int64N(1e9))
	}
	i.Created, i.Started, i.Expires, i.AutoRelease = when(), when(), when(), when()
	if rng.IntN(2) == 0 {
		i.ChargeType = cloud.PrePaid
	}
	i.SecurityGroups = nil
	for k := range rng.IntN(4) {
		i.SecurityGroups = append(i.SecurityGroups, fmt.Sprintf("sg-%d", k))
	}
	if rng.IntN(3) > 0 {
		i.PrivateIP = fmt.Sprintf("192.168.0.%d", rng.IntN(250))
	}
	if rng.IntN(2) == 0 {
		i.PublicIP = fmt.Sprintf("47.1.0.%d", rng.IntN(250))
	}
	if rng.IntN(4) == 0 { // serial numbers of ids past the 24 bytes they take
		i.ID += strings.Repeat("x", rng.IntN(40))
	}
}

// TestSerialNumber: appendSerial writes what the serial number's first
// form (base64 of the id and a suffix, hex digits of it) wrote, for ids
// shorter and longer than the 24 bytes it takes.
func TestSerialNumber(t *testing.T) {
	first := func(id string) string {
		src := append([]byte(id), "ecslocal-serial"...)
		src = src[:min(len(src), 24)]
		enc := base64.RawURLEncoding.EncodeToString(src)
		var out []byte
		for i := range 32 {
			if i == 8 || i == 12 || i == 16 || i == 20 {
				out = append(out, '-')
			}
			c := byte('0')
			if i < len(enc) {
				c = "0123456789abcdef"[int(enc[i])%16]
			}
			out = append(out, c)
		}
		return string(out)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for n := range 2000 {
		id := make([]byte, n%50)
		for k := range id {
			id[k] = byte(rng.IntN(256))
		}
		if got, want := serialNumber(string(id)), first(string(id)); got != want {
			t.Fatalf("%q: %s, want %s", id, got, want)
		}
		if got, want := string(appendSerial([]byte("x"), string(id))), "x"+first(string(id)); got != want {
			t.Fatalf("%q: appended %s, want %s", id, got, want)
		}
	}
}
