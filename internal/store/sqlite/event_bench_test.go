package sqlite

import (
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// BenchmarkEventEncode: one describe10 call's event, as the log writes it.
func BenchmarkEventEncode(b *testing.B) {
	t0 := time.Date(2026, 12, 7, 17, 14, 43, 123456789, time.UTC)
	e := store.Event{Seq: 123456, Time: t0, Wall: t0.Add(time.Millisecond), Account: "2146396516187069", Region: "cn-hangzhou",
		Product: "Ecs", Action: "DescribeInstances", Code: "OK", HTTPStatus: 200, RequestID: "7C5B5956-61BD-4E60-886C-BF1B17723446", ElapsedMS: 0.187,
		Params: map[string]string{"AccessKeyId": "test", "Action": "DescribeInstances", "Format": "JSON", "PageSize": "10", "RegionId": "cn-hangzhou",
			"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "1f3a9c0e5b7d4e21", "SignatureVersion": "1.0", "Timestamp": "2026-12-07T17:14:43Z", "Version": "2014-05-26"}}
	var enc eventEncoder
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = enc.append(buf[:0], &e)
	}
	b.ReportMetric(float64(len(buf)), "bytes/row")
}
