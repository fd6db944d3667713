package sdktest

import (
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	classicslb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"github.com/ecslocal/ecslocal/ecslocaltest"
)

// ClassicSLB is the classic Go SDK's SLB client (v1 HMAC-SHA1 signatures).
func ClassicSLB(tb testing.TB, s *ecslocaltest.Server) *classicslb.Client {
	tb.Helper()
	classicInit.Lock()
	defer classicInit.Unlock()
	c, err := classicslb.NewClientWithOptions(Region, classicConfig(), credentials.NewAccessKeyCredential(s.AccessKeyID, s.AccessKeySecret))
	if err != nil {
		tb.Fatal(err)
	}
	c.Domain = s.Endpoint
	return c
}

// Generic calls actions of one product version through the new-generation
// generic client (darabonba-openapi CallApi), the second SDK generation
// for products whose generated client is not at hand (SLB).
type Generic struct {
	client  *openapi.Client
	version string
	global  bool // no RegionId (RAM)
}

// GenericSLB is the generic client for SLB 2014-05-15: ACS3-HMAC-SHA256
// signatures, parameters in a form body (the classic SDK covers v1).
func GenericSLB(tb testing.TB, s *ecslocaltest.Server) *Generic {
	tb.Helper()
	c, err := openapi.NewClient(v7Config(s, ""))
	if err != nil {
		tb.Fatal(err)
	}
	return &Generic{client: c, version: "2014-05-15"}
}

// GenericRAM is the generic client for RAM 2015-05-01: ACS3-HMAC-SHA256,
// the version in the x-acs-version header, no RegionId.
func GenericRAM(tb testing.TB, s *ecslocaltest.Server) *Generic {
	tb.Helper()
	c, err := openapi.NewClient(v7Config(s, ""))
	if err != nil {
		tb.Fatal(err)
	}
	return &Generic{client: c, version: "2015-05-01", global: true}
}

// GenericSTS is GenericRAM for STS 2015-04-01.
func GenericSTS(tb testing.TB, s *ecslocaltest.Server) *Generic {
	tb.Helper()
	g := GenericRAM(tb, s)
	g.version = "2015-04-01"
	return g
}

// Call runs action with params (RegionId defaults to Region) and returns
// the decoded JSON body.
func (g *Generic) Call(action string, params map[string]any) (map[string]any, error) {
	body := map[string]any{"RegionId": Region}
	if g.global {
		delete(body, "RegionId")
	}
	for k, v := range params {
		body[k] = v
	}
	p := &openapiutil.Params{
		Action: dara.String(action), Version: dara.String(g.version), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	res, err := g.client.CallApi(p, &openapiutil.OpenApiRequest{Body: body}, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	out, _ := res["body"].(map[string]any)
	return out, nil
}
