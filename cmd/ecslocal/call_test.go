package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// callJSON runs "ecslocal call args…" against s and decodes the answer.
func (s *served) callJSON(t *testing.T, out any, args ...string) {
	t.Helper()
	code, stdout, stderr := run(t, env{}, append([]string{"call"}, append(args, "--addr", s.addr)...)...)
	if code != 0 {
		t.Fatalf("ecslocal call %q: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), out); err != nil {
		t.Fatalf("ecslocal call %q: %q is not JSON: %v", args, stdout, err)
	}
}

func TestCall(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "memory", "--freeze-clock", "--access-key", "ak1:sk1", "--access-key", "ak2:sk2")

	var regions struct {
		RequestId string
		Regions   struct{ Region []struct{ RegionId string } }
	}
	code, stdout, stderr := run(t, env{EnvAccessKeys: "ak1:sk1,ak2:sk2"}, "call", "DescribeRegions", "--addr", s.addr)
	if code != 0 || json.Unmarshal([]byte(stdout), &regions) != nil || len(regions.Regions.Region) == 0 || regions.RequestId == "" {
		t.Fatalf("call DescribeRegions with the first key of ECSLOCAL_ACCESS_KEYS: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}

	// --product picks the version; --region is RegionId; key=value are parameters.
	var vpc struct{ VpcId, RouteTableId string }
	s.callJSON(t, &vpc, "CreateVpc", "--product", "vpc", "--access-key", "ak2:sk2", "--region", "cn-shanghai", "CidrBlock=10.0.0.0/8", "VpcName=from-cli")
	if !strings.HasPrefix(vpc.VpcId, "vpc-") {
		t.Fatalf("CreateVpc: %+v", vpc)
	}
	var vpcs struct {
		TotalCount int
		Vpcs       struct {
			Vpc []struct{ VpcId, VpcName, RegionId string }
		}
	}
	s.callJSON(t, &vpcs, "DescribeVpcs", "--version", "2016-04-28", "--access-key", "ak2:sk2", "RegionId=cn-shanghai")
	if vpcs.TotalCount != 1 || vpcs.Vpcs.Vpc[0].VpcName != "from-cli" || vpcs.Vpcs.Vpc[0].RegionId != "cn-shanghai" {
		t.Errorf("DescribeVpcs: %+v", vpcs)
	}
	// Accounts are apart: the default key (ECSLOCAL_ACCESS_KEYS unset) is
	// not one of this server's.
	code, stdout, stderr = run(t, env{}, "call", "DescribeVpcs", "--product", "vpc", "--addr", s.addr)
	if code != 1 || !strings.Contains(stdout, `"Code"`) || !strings.Contains(stderr, "InvalidAccessKeyId") {
		t.Errorf("call with an unknown key: exit %d stdout %q stderr %q", code, stdout, stderr)
	}

	// An error answer: printed, exit 1, the code on stderr.
	code, stdout, stderr = run(t, env{}, "call", "DeleteInstances", "InstanceId.1=i-bp1doesnotexist00000", "Force=true", "--access-key", "ak1:sk1", "--addr", s.addr)
	var e struct{ Code, RequestId string }
	if code != 1 || json.Unmarshal([]byte(stdout), &e) != nil || e.Code == "" || !strings.Contains(stderr, e.Code) {
		t.Errorf("call refused: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	// The reason travels in a header call prints, and the server logs one line per refusal.
	if !strings.Contains(stderr, "reason: ") || !strings.Contains(stderr, "i-bp1doesnotexist00000") {
		t.Errorf("call refused: stderr %q lacks the reason", stderr)
	}
	if log := s.stderr.String(); !strings.Contains(log, "msg=refused action=DeleteInstances code="+e.Code) || !strings.Contains(log, "requestId="+e.RequestId) {
		t.Errorf("server log lacks the refusal line:\n%s", log)
	}
	code, _, stderr = run(t, env{}, "call", "DescribeRegions", "--access-key", "ak1:wrong", "--addr", s.addr)
	if code != 1 || !strings.Contains(stderr, "SignatureDoesNotMatch") {
		t.Errorf("call with a wrong secret: exit %d stderr %q", code, stderr)
	}

	for _, c := range []struct {
		name    string
		args    []string
		mention string
	}{
		{"no action", []string{"call"}, "ACTION"},
		{"not key=value", []string{"call", "DescribeRegions", "oops"}, "oops"},
		{"bad product", []string{"call", "DescribeRegions", "--product", "rds"}, "rds"},
		{"bad key", []string{"call", "DescribeRegions", "--access-key", "nocolon"}, "--access-key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(t, env{}, append(c.args, "--addr", s.addr)...)
			if code != 2 || !strings.Contains(stderr, c.mention) {
				t.Errorf("exit %d stderr %q; want 2 mentioning %q", code, stderr, c.mention)
			}
		})
	}
}
