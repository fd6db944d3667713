package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
)

// BenchmarkServe measures the server's own cost per call: v1-signed
// requests handed straight to the server's http.Handler, no network, no
// SDK. Profile it with -cpuprofile to find the hot paths; bench/run.sh
// measures the same calls over loopback against the net/http ceiling.
func BenchmarkServe(b *testing.B) {
	for _, st := range []string{"memory", "sqlite"} {
		b.Run(st, func(b *testing.B) {
			spec := st
			if st == "sqlite" {
				spec = "sqlite:" + filepath.Join(b.TempDir(), "x.db")
			}
			key, _ := server.ParseKey("bench:bench")
			srv, err := server.New(context.Background(), server.Config{Store: spec, Keys: []rpc.Key{key}})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			c := &inproc{h: srv.Handler, key: key}
			vsw, sg := c.network(b)
			var ids []string
			for range 2 {
				ids = append(ids, c.run(b, vsw, sg, 50)...)
			}
			b.Run("describe10", func(b *testing.B) {
				for b.Loop() {
					c.must(b, "2014-05-26", "DescribeInstances", url.Values{"PageSize": {"10"}}, nil)
				}
			})
			b.Run("describe-id", func(b *testing.B) {
				for b.Loop() {
					c.must(b, "2014-05-26", "DescribeInstances", url.Values{"InstanceIds": {`["` + ids[7] + `"]`}}, nil)
				}
			})
			b.Run("delete100", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					v := url.Values{"Force": {"true"}}
					for i, id := range c.run(b, vsw, sg, 100) {
						v.Set("InstanceId."+strconv.Itoa(i+1), id)
					}
					b.StartTimer()
					c.must(b, "2014-05-26", "DeleteInstances", v, nil)
				}
			})
			b.Run("run-delete", func(b *testing.B) {
				for b.Loop() {
					id := c.run(b, vsw, sg, 1)[0]
					c.must(b, "2014-05-26", "DeleteInstances", url.Values{"InstanceId.1": {id}, "Force": {"true"}}, nil)
				}
			})
		})
	}
}

// inproc signs calls and serves them in-process.
type inproc struct {
	h     http.Handler
	key   rpc.Key
	nonce atomic.Int64
}

func (c *inproc) must(tb testing.TB, version, action string, v url.Values, out any) {
	tb.Helper()
	v.Set("Format", "JSON")
	v.Set("Version", version)
	v.Set("Action", action)
	v.Set("AccessKeyId", c.key.ID)
	v.Set("SignatureMethod", "HMAC-SHA1")
	v.Set("SignatureVersion", "1.0")
	v.Set("SignatureNonce", "n"+strconv.FormatInt(c.nonce.Add(1), 10)+strconv.FormatInt(time.Now().UnixNano(), 36))
	v.Set("Timestamp", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	if v.Get("RegionId") == "" {
		v.Set("RegionId", "cn-hangzhou")
	}
	v.Set("Signature", rpc.V1Signature(c.key.Secret, rpc.V1StringToSign(http.MethodPost, v)))
	r := httptest.NewRequest(http.MethodPost, "/?"+v.Encode(), nil)
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		tb.Fatalf("%s: %d %s", action, w.Code, w.Body)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			tb.Fatal(err)
		}
	}
}

func (c *inproc) network(tb testing.TB) (vsw, sg string) {
	var vpc struct{ VpcId string }
	c.must(tb, "2016-04-28", "CreateVpc", url.Values{"CidrBlock": {"10.0.0.0/8"}}, &vpc)
	var s struct{ VSwitchId string }
	c.must(tb, "2016-04-28", "CreateVSwitch", url.Values{"VpcId": {vpc.VpcId}, "ZoneId": {"cn-hangzhou-h"}, "CidrBlock": {"10.0.0.0/16"}}, &s)
	var g struct{ SecurityGroupId string }
	c.must(tb, "2014-05-26", "CreateSecurityGroup", url.Values{"VpcId": {vpc.VpcId}}, &g)
	return s.VSwitchId, g.SecurityGroupId
}

func (c *inproc) run(tb testing.TB, vsw, sg string, n int) []string {
	var out struct {
		InstanceIdSets struct{ InstanceIdSet []string }
	}
	c.must(tb, "2014-05-26", "RunInstances", url.Values{"ImageId": {"aliyun_3_x64_20G_alibase_20240528.vhd"}, "InstanceType": {"ecs.g7.large"},
		"VSwitchId": {vsw}, "SecurityGroupId": {sg}, "Amount": {fmt.Sprint(n)}}, &out)
	return out.InstanceIdSets.InstanceIdSet
}
