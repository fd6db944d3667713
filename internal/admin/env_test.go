package admin_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	classicvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

const (
	region = sdktest.Region
	image  = "aliyun_3_x64_20G_alibase_20240528.vhd"
	itype  = "ecs.g7.large"
)

// env is a server with the NET setup (a VPC, a vSwitch, a security group)
// and the classic SDK pointed at it, as internal/ecs tests build it.
type env struct {
	s       *ecslocaltest.Server
	classic *classicecs.Client
	vpc     *classicvpc.Client
	vsw, sg string
}

func newEnv(t *testing.T, opts ecslocaltest.Options) *env {
	t.Helper()
	s := ecslocaltest.New(t, opts)
	e := &env{s: s, classic: sdktest.ClassicECS(t, s), vpc: sdktest.ClassicVPC(t, s)}
	cv := classicvpc.CreateCreateVpcRequest()
	cv.CidrBlock = "192.168.0.0/16"
	vr, err := e.vpc.CreateVpc(cv)
	sdktest.OK(t, err)
	s.Clock.Advance(5 * time.Second)
	zones, err := e.classic.DescribeZones(classicecs.CreateDescribeZonesRequest())
	sdktest.OK(t, err)
	zone := ""
	for _, z := range zones.Zones.Zone {
		for _, ty := range z.AvailableInstanceTypes.InstanceTypes {
			if ty == itype && zone == "" {
				zone = z.ZoneId
			}
		}
	}
	cs := classicvpc.CreateCreateVSwitchRequest()
	cs.VpcId, cs.ZoneId, cs.CidrBlock = vr.VpcId, zone, "192.168.1.0/24"
	sr, err := e.vpc.CreateVSwitch(cs)
	sdktest.OK(t, err)
	e.vsw = sr.VSwitchId
	s.Clock.Advance(5 * time.Second)
	cg := classicecs.CreateCreateSecurityGroupRequest()
	cg.VpcId = vr.VpcId
	gr, err := e.classic.CreateSecurityGroup(cg)
	sdktest.OK(t, err)
	e.sg = gr.SecurityGroupId
	return e
}

// run1 launches one PostPaid instance and waits, on the emulated clock,
// until it runs.
func (e *env) run1(t *testing.T, mod func(*classicecs.RunInstancesRequest)) string {
	t.Helper()
	r := classicecs.CreateRunInstancesRequest()
	r.ImageId, r.InstanceType, r.VSwitchId, r.SecurityGroupId = image, itype, e.vsw, e.sg
	if mod != nil {
		mod(r)
	}
	resp, err := e.classic.RunInstances(r)
	sdktest.OK(t, err)
	e.s.Clock.Advance(10 * time.Second)
	return resp.InstanceIdSets.InstanceIdSet[0]
}

// deleteInstances releases ids through the classic SDK.
func (e *env) deleteInstances(ids []string, force, dryRun bool) (*classicecs.DeleteInstancesResponse, error) {
	r := classicecs.CreateDeleteInstancesRequest()
	r.InstanceId = &ids
	r.Force = requests.NewBoolean(force)
	if dryRun {
		r.DryRun = requests.NewBoolean(true)
	}
	return e.classic.DeleteInstances(r)
}

// describe is DescribeInstances' answer without its RequestId.
func (e *env) describe(t *testing.T) string {
	t.Helper()
	resp, err := e.classic.DescribeInstances(classicecs.CreateDescribeInstancesRequest())
	sdktest.OK(t, err)
	var body map[string]any
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil {
		t.Fatal(err)
	}
	delete(body, "RequestId")
	b, _ := json.Marshal(body)
	return string(b)
}

// get fetches a path of the server and answers status and body.
func get(t *testing.T, s *ecslocaltest.Server, path string) (int, string) {
	t.Helper()
	return do(t, s, http.MethodGet, path, "", "")
}

func do(t *testing.T, s *ecslocaltest.Server, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// hasResource tells whether an event concerns id.
func hasResource(e ecslocaltest.Event, id string) bool {
	for _, r := range e.Resources {
		if r == id {
			return true
		}
	}
	return false
}
