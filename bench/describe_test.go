// Package bench holds ecslocal's Go benchmarks. Run them with
//
//	go test ./bench -run XXX -bench . -benchtime 200x
//
// and compare the sub-benchmarks of one run with each other: these
// machines are shared and noisy, so only ratios measured together count.
package bench

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/server"
	"github.com/ecslocal/ecslocal/internal/store"
)

// seed puts n Running instances straight into the store, in batches: the
// benchmark measures reads, not creation.
func seed(b *testing.B, st store.Store, account string, n int) {
	b.Helper()
	statuses := []string{cloud.StatusRunning, cloud.StatusStopped}
	for start := 0; start < n; start += 5000 {
		err := st.Update(context.Background(), account, func(tx store.Tx) error {
			for k := start; k < min(start+5000, n); k++ {
				i := cloud.Instance{
					ID: fmt.Sprintf("i-bp1seed%012d", k), Region: "cn-hangzhou", Zone: "cn-hangzhou-h",
					Name: fmt.Sprintf("seed-%d", k), InstanceType: "ecs.g7.large", Family: "ecs.g7",
					Status: statuses[k%2], ChargeType: cloud.PostPaid, VpcID: "vpc-seed", VSwitchID: "vsw-seed",
					SecurityGroups: []string{"sg-seed"}, PrivateIP: fmt.Sprintf("10.%d.%d.%d", k>>16&255, k>>8&255, k&255),
					Created: time.Unix(0, 0), Tags: []cloud.Tag{{Key: "shard", Value: fmt.Sprint(k % (n / 10))}}, // ten per shard at any size
				}
				if err := store.Put(context.Background(), tx, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDescribeInstances shows that the cost of a DescribeInstances call
// grows with its page, not with the number of instances stored: every filter
// is an index lookup. The one part that grows with the matches is
// TotalCount, which the API reports and which counts index entries (the
// status and vswitch cases match half and all of the stored instances).
func BenchmarkDescribeInstances(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		key, _ := server.ParseKey("bench:bench")
		srv, err := server.New(context.Background(), server.Config{Store: "memory", Keys: []rpc.Key{key}, FreezeClock: true})
		if err != nil {
			b.Fatal(err)
		}
		seed(b, srv.Store, key.Account, n)
		hs := httptest.NewServer(srv.Handler)
		client, err := classicecs.NewClientWithOptions("cn-hangzhou", sdk.NewConfig().WithScheme("HTTP"), credentials.NewAccessKeyCredential("bench", "bench"))
		if err != nil {
			b.Fatal(err)
		}
		client.Domain = strings.TrimPrefix(hs.URL, "http://")
		cases := []struct {
			name string
			req  func() *classicecs.DescribeInstancesRequest
		}{
			{"ids", func() *classicecs.DescribeInstancesRequest {
				r := classicecs.CreateDescribeInstancesRequest()
				r.InstanceIds = `["i-bp1seed000000000007","i-bp1seed000000000500"]`
				return r
			}},
			{"status-page10", func() *classicecs.DescribeInstancesRequest {
				r := classicecs.CreateDescribeInstancesRequest()
				r.Status, r.MaxResults = "Stopped", "10"
				return r
			}},
			{"tag", func() *classicecs.DescribeInstancesRequest {
				r := classicecs.CreateDescribeInstancesRequest()
				r.Tag = &[]classicecs.DescribeInstancesTag{{Key: "shard", Value: "7"}}
				return r
			}},
			{"vswitch-page100", func() *classicecs.DescribeInstancesRequest {
				r := classicecs.CreateDescribeInstancesRequest()
				r.VSwitchId, r.MaxResults = "vsw-seed", "100"
				return r
			}},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("%s/stored=%d", c.name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := client.DescribeInstances(c.req()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		hs.Close()
		srv.Close()
	}
}
