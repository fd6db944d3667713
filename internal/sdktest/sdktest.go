// Package sdktest builds the official Alibaba Cloud SDK clients against an
// ecslocaltest server, for ecslocal's own tests. It lives apart from
// ecslocaltest so that users of that package do not inherit both SDKs.
package sdktest

import (
	"errors"
	"sync"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	classicerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicram "github.com/aliyun/alibaba-cloud-sdk-go/services/ram"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
)

// Region is the region tests use unless they say otherwise.
const Region = "cn-hangzhou"

// classicInit serialises classic client construction: the classic SDK fills
// process-wide endpoint maps without a lock the first time clients are made,
// which parallel tests would otherwise race on.
var classicInit sync.Mutex

func classicConfig() *sdk.Config {
	// No automatic retries: a test must see the first answer, faults included.
	return sdk.NewConfig().WithAutoRetry(false).WithScheme("HTTP")
}

// ClassicECS is the classic Go SDK's ECS client (v1 HMAC-SHA1 signatures).
func ClassicECS(tb testing.TB, s *ecslocaltest.Server) *classicecs.Client {
	tb.Helper()
	return ClassicECSAs(tb, s, s.AccessKeyID, s.AccessKeySecret)
}

// ClassicECSAs is ClassicECS signing with another key pair (another tenant).
func ClassicECSAs(tb testing.TB, s *ecslocaltest.Server, id, secret string) *classicecs.Client {
	tb.Helper()
	classicInit.Lock()
	defer classicInit.Unlock()
	c, err := classicecs.NewClientWithOptions(Region, classicConfig(), credentials.NewAccessKeyCredential(id, secret))
	if err != nil {
		tb.Fatal(err)
	}
	c.Domain = s.Endpoint
	return c
}

// ClassicRAMAs is the classic Go SDK's RAM client signing with a key pair;
// RAM is global, the region only picks the client's endpoint.
func ClassicRAMAs(tb testing.TB, s *ecslocaltest.Server, id, secret string) *classicram.Client {
	tb.Helper()
	classicInit.Lock()
	defer classicInit.Unlock()
	c, err := classicram.NewClientWithOptions(Region, classicConfig(), credentials.NewAccessKeyCredential(id, secret))
	if err != nil {
		tb.Fatal(err)
	}
	c.Domain = s.Endpoint
	return c
}

// ClassicVPC is the classic Go SDK's VPC client.
func ClassicVPC(tb testing.TB, s *ecslocaltest.Server) *classicvpc.Client {
	tb.Helper()
	classicInit.Lock()
	defer classicInit.Unlock()
	c, err := classicvpc.NewClientWithOptions(Region, classicConfig(), credentials.NewAccessKeyCredential(s.AccessKeyID, s.AccessKeySecret))
	if err != nil {
		tb.Fatal(err)
	}
	c.Domain = s.Endpoint
	return c
}

func v7Config(s *ecslocaltest.Server, algorithm string) *openapiutil.Config {
	cfg := &openapiutil.Config{}
	cfg.SetEndpoint(s.Endpoint).SetProtocol("http").SetAccessKeyId(s.AccessKeyID).SetAccessKeySecret(s.AccessKeySecret)
	if algorithm != "" {
		cfg.SetSignatureAlgorithm(algorithm)
	}
	return cfg
}

// ECS is the v7 Go SDK's ECS client: ACS3-HMAC-SHA256 signatures, or v1
// with algorithm "v2".
func ECS(tb testing.TB, s *ecslocaltest.Server, algorithm string) *ecs.Client {
	tb.Helper()
	c, err := ecs.NewClient(v7Config(s, algorithm))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// VPC is the v6 Go SDK's VPC client.
func VPC(tb testing.TB, s *ecslocaltest.Server, algorithm string) *vpc.Client {
	tb.Helper()
	c, err := vpc.NewClient(v7Config(s, algorithm))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Fail is the HTTP status and error code an SDK error carries, whichever
// SDK raised it; (0, "") for nil.
func Fail(err error) (status int, code string) {
	if err == nil {
		return 0, ""
	}
	var se *classicerrors.ServerError
	if errors.As(err, &se) {
		return se.HttpStatus(), se.ErrorCode()
	}
	var de *dara.SDKError
	if errors.As(err, &de) {
		return dara.IntValue(de.StatusCode), dara.StringValue(de.Code)
	}
	var te *tea.SDKError
	if errors.As(err, &te) {
		return tea.IntValue(te.StatusCode), tea.StringValue(te.Code)
	}
	return -1, err.Error()
}

// WantFail fails the test unless err carries status and code.
func WantFail(tb testing.TB, err error, status int, code string) {
	tb.Helper()
	gotStatus, gotCode := Fail(err)
	if gotStatus != status || gotCode != code {
		tb.Fatalf("got %d %s, want %d %s (err: %v)", gotStatus, gotCode, status, code, err)
	}
}

// OK fails the test on err.
func OK(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected error: %v", err)
	}
}
