package vpc_test

import (
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// DescribeVpcAttribute and DescribeVSwitchAttributes show what the lists
// show, with the VPC's vSwitches and the resources it holds.
func TestTerraformReads(t *testing.T) {
	for _, alg := range v6Algorithms {
		s := newServer(t, false)
		c := sdktest.VPC(t, s, alg)
		vpcID := createVpc(t, c, "192.168.0.0/16", "tf")
		s.Clock.Advance(5 * time.Second)
		vswID := createVSwitch(t, c, vpcID, "cn-hangzhou-h", "192.168.1.0/24", "tf-vsw")
		s.Clock.Advance(5 * time.Second)
		runInstance(t, s, vpcID, vswID)

		va, err := c.DescribeVpcAttribute(&vpc.DescribeVpcAttributeRequest{RegionId: dara.String(region), VpcId: dara.String(vpcID)})
		sdktest.OK(t, err)
		b := va.Body
		listed := describeVpc(t, c, vpcID)
		if dara.StringValue(b.VpcId) != vpcID || dara.StringValue(b.VpcName) != "tf" || dara.StringValue(b.Status) != "Available" ||
			dara.StringValue(b.CidrBlock) != "192.168.0.0/16" || dara.StringValue(b.VRouterId) != dara.StringValue(listed.VRouterId) ||
			dara.StringValue(b.ResourceGroupId) != dara.StringValue(listed.ResourceGroupId) || dara.StringValue(b.CreationTime) != dara.StringValue(listed.CreationTime) ||
			len(b.VSwitchIds.VSwitchId) != 1 || dara.StringValue(b.VSwitchIds.VSwitchId[0]) != vswID {
			t.Errorf("%s: DescribeVpcAttribute %s", alg, b)
		}
		counts := map[string]int32{}
		for _, r := range b.CloudResources.CloudResourceSetType {
			counts[dara.StringValue(r.ResourceType)] = dara.Int32Value(r.ResourceCount)
		}
		if counts["VSwitch"] != 1 || counts["ECS"] != 1 || counts["SecurityGroup"] != 1 {
			t.Errorf("%s: CloudResources %v", alg, counts)
		}

		wa, err := c.DescribeVSwitchAttributes(&vpc.DescribeVSwitchAttributesRequest{RegionId: dara.String(region), VSwitchId: dara.String(vswID)})
		sdktest.OK(t, err)
		w, lw := wa.Body, describeVSwitch(t, c, vswID)
		if dara.StringValue(w.VSwitchId) != vswID || dara.StringValue(w.VpcId) != vpcID || dara.StringValue(w.ZoneId) != "cn-hangzhou-h" ||
			dara.StringValue(w.VSwitchName) != "tf-vsw" || dara.Int64Value(w.AvailableIpAddressCount) != dara.Int64Value(lw.AvailableIpAddressCount) ||
			dara.StringValue(w.RouteTable.RouteTableId) != dara.StringValue(lw.RouteTable.RouteTableId) {
			t.Errorf("%s: DescribeVSwitchAttributes %s", alg, w)
		}

		_, err = c.DescribeVpcAttribute(&vpc.DescribeVpcAttributeRequest{RegionId: dara.String(region), VpcId: dara.String("vpc-bp1doesnotexist00")})
		sdktest.WantFail(t, err, 404, "InvalidVpcId.NotFound")
		_, err = c.DescribeVSwitchAttributes(&vpc.DescribeVSwitchAttributesRequest{RegionId: dara.String(region), VSwitchId: dara.String("vsw-bp1doesnotexist00")})
		sdktest.WantFail(t, err, 404, "InvalidVSwitchId.NotFound")
	}
}
