package ecs

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

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
	}
}
