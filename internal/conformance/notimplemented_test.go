package conformance

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/apidef"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// Official actions ecslocal does not build; the test checks both facts.
const (
	unbuiltECS = "DescribeReservedInstances"
	unbuiltVPC = "DescribeVpnGateways"
	unbuiltSLB = "DescribeDomainExtensions"
)

func wantNotImplementedMessage(t *testing.T, msg, product, version, action string) {
	t.Helper()
	if !strings.Contains(msg, product+" "+version+" action "+action) || !strings.Contains(msg, "docs/coverage.md") {
		t.Errorf("message %q does not name %s %s %s and docs/coverage.md", msg, product, version, action)
	}
}

// TestNotImplemented: an official action not built answers NotImplemented
// (501) in the Alibaba envelope through both Go SDKs, JSON and XML; a name
// in no official list keeps InvalidAction.NotFound; the metrics and the
// audit log count the calls per action.
func TestNotImplemented(t *testing.T) {
	defs := apidef.MustLoad()
	tbl := Table()
	for _, c := range []struct{ version, action string }{{rpc.VersionECS, unbuiltECS}, {rpc.VersionVPC, unbuiltVPC}, {rpc.VersionSLB, unbuiltSLB}} {
		if !defs.Official("", c.version, c.action) || tbl.Bind(c.version, c.action, rpc.NewRecorder(nil)) {
			t.Fatalf("%s %s must be official and not built for this test", c.version, c.action)
		}
	}
	s := ecslocaltest.New(t, ecslocaltest.Options{})

	t.Run("v7 SDK", func(t *testing.T) {
		for _, alg := range []string{"", "ACS3-HMAC-SHA256"} {
			_, err := sdktest.ECS(t, s, alg).DescribeReservedInstances(&ecs.DescribeReservedInstancesRequest{RegionId: dara.String(sdktest.Region)})
			sdktest.WantFail(t, err, 501, "NotImplemented")
			wantNotImplementedMessage(t, err.Error(), "Ecs", rpc.VersionECS, unbuiltECS)
		}
	})
	t.Run("classic SDK JSON and XML", func(t *testing.T) {
		c := sdktest.ClassicECS(t, s)
		_, err := c.DescribeReservedInstances(classicecs.CreateDescribeReservedInstancesRequest())
		sdktest.WantFail(t, err, 501, "NotImplemented")
		var se *classicerrors.ServerError
		if !errorsAs(err, &se) {
			t.Fatalf("not a server error: %v", err)
		}
		wantNotImplementedMessage(t, se.Message(), "Ecs", rpc.VersionECS, unbuiltECS)
		// The classic SDK decodes JSON error bodies only: with XML it hands
		// over the raw envelope, which must still carry the code.
		req := classicecs.CreateDescribeReservedInstancesRequest()
		req.AcceptFormat = "XML"
		_, err = c.DescribeReservedInstances(req)
		if !errorsAs(err, &se) || se.HttpStatus() != 501 || !strings.Contains(se.Message(), "<Code>NotImplemented</Code>") {
			t.Fatalf("XML: %v", err)
		}
		wantNotImplementedMessage(t, se.Message(), "Ecs", rpc.VersionECS, unbuiltECS)
		_, err = sdktest.ClassicVPC(t, s).DescribeVpnGateways(classicvpc.CreateDescribeVpnGatewaysRequest())
		sdktest.WantFail(t, err, 501, "NotImplemented")
		wantNotImplementedMessage(t, err.Error(), "Vpc", rpc.VersionVPC, unbuiltVPC)
	})
	t.Run("SLB generic client", func(t *testing.T) {
		_, err := sdktest.GenericSLB(t, s).Call(unbuiltSLB, nil)
		sdktest.WantFail(t, err, 501, "NotImplemented")
		wantNotImplementedMessage(t, err.Error(), "Slb", rpc.VersionSLB, unbuiltSLB)
	})
	t.Run("a name in no official list", func(t *testing.T) {
		r := requests.NewCommonRequest()
		r.Product, r.Version, r.ApiName, r.Domain, r.Scheme = "Ecs", rpc.VersionECS, "DescribeNothingAtAll", s.Endpoint, "http"
		_, err := sdktest.ClassicECS(t, s).ProcessCommonRequest(r)
		sdktest.WantFail(t, err, 404, "InvalidAction.NotFound")
		// A VPC-only action asked of ECS is in no ECS list either.
		r.ApiName = "DescribeCommonBandwidthPackages"
		_, err = sdktest.ClassicECS(t, s).ProcessCommonRequest(r)
		sdktest.WantFail(t, err, 404, "InvalidAction.NotFound")
	})

	t.Run("counted", func(t *testing.T) {
		body := httpGet(t, s.URL+"/metrics")
		for _, want := range []string{
			`ecslocal_not_implemented_total{action="DescribeReservedInstances",product="Ecs"} 4`,
			`ecslocal_not_implemented_total{action="DescribeVpnGateways",product="Vpc"} 1`,
			`ecslocal_not_implemented_total{action="DescribeDomainExtensions",product="Slb"} 1`,
			`ecslocal_requests_total{action="DescribeReservedInstances",code="NotImplemented",product="Ecs"} 4`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		var events struct {
			Events []struct{ Action, Code string } `json:"events"`
		}
		if err := json.Unmarshal([]byte(httpGet(t, s.URL+"/_ecslocal/events?code=NotImplemented&action="+unbuiltECS)), &events); err != nil {
			t.Fatal(err)
		}
		if len(events.Events) != 4 {
			t.Errorf("audit log: %d NotImplemented events of %s, want 4: %+v", len(events.Events), unbuiltECS, events.Events)
		}
	})
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
