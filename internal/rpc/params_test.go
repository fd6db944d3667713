package rpc_test

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/rpc"
)

// violation is the error a binder recorded, reduced to what clients see.
type violation struct {
	Status        int
	Code, Message string
}

// noViolation is the zero violation: binding succeeded.
var noViolation violation

func missing(name string) violation {
	return violation{http.StatusBadRequest, "MissingParameter",
		`The input parameter "` + name + `" that is mandatory for processing this request is not supplied.`}
}

func invalid(name string) violation {
	return violation{http.StatusBadRequest, "InvalidParameter", `The specified parameter "` + name + `" is not valid.`}
}

// entry is the violation of a catalog entry that takes no argument.
func entry(e apierr.Entry) violation { return violation{e.Status, e.Code, e.Message} }

// violationOf turns Params.Err into a violation, failing on non-catalog errors.
func violationOf(tb testing.TB, err error) violation {
	tb.Helper()
	if err == nil {
		return noViolation
	}
	var ae *apierr.Error
	if !errors.As(err, &ae) || ae == nil {
		tb.Fatalf("binder error %v (%T) is not a catalog error", err, err)
	}
	return violation{ae.Status, ae.Code, ae.Message}
}

// bind runs fn over values and returns what it read and the violation.
func bind[T any](tb testing.TB, values map[string]string, fn func(p *rpc.Params) T) (T, violation) {
	tb.Helper()
	p := rpc.NewParams(values)
	got := fn(p)
	return got, violationOf(tb, p.Err())
}

// checkBind compares a binding's result and violation with the expectation.
func checkBind[T any](tb testing.TB, values map[string]string, fn func(p *rpc.Params) T, want T, wantErr violation) {
	tb.Helper()
	got, gotErr := bind(tb, values, fn)
	if gotErr != wantErr {
		tb.Fatalf("violation = %+v, want %+v", gotErr, wantErr)
	}
	if wantErr == noViolation && !reflect.DeepEqual(got, want) {
		tb.Fatalf("value = %#v, want %#v", got, want)
	}
}

func TestParams_Required(t *testing.T) {
	tests := []struct {
		name    string
		values  map[string]string
		want    string
		wantErr violation
	}{
		{"present", map[string]string{"RegionId": "cn-hangzhou"}, "cn-hangzhou", noViolation},
		{"kept verbatim", map[string]string{"RegionId": " cn-hangzhou "}, " cn-hangzhou ", noViolation},
		{"missing", map[string]string{"Other": "x"}, "", missing("RegionId")},
		{"empty", map[string]string{"RegionId": ""}, "", missing("RegionId")},
		{"blank", map[string]string{"RegionId": " \t "}, "", missing("RegionId")},
		{"case sensitive name", map[string]string{"regionid": "cn-hangzhou"}, "", missing("RegionId")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, func(p *rpc.Params) string { return p.Required("RegionId") }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_String(t *testing.T) {
	p := rpc.NewParams(map[string]string{"Description": "a b", "Empty": ""})
	if got := p.String("Description"); got != "a b" {
		t.Fatalf("String = %q", got)
	}
	if got := p.String("Absent"); got != "" {
		t.Fatalf("absent String = %q", got)
	}
	if !p.Has("Empty") || p.Has("Absent") {
		t.Fatalf("Has: Empty %v Absent %v", p.Has("Empty"), p.Has("Absent"))
	}
	if v, ok := p.Raw("Empty"); v != "" || !ok {
		t.Fatalf("Raw(Empty) = %q, %v", v, ok)
	}
	if err := p.Err(); err != nil {
		t.Fatalf("Err = %v", err)
	}
}

func TestParams_Bool(t *testing.T) {
	tests := []struct {
		name    string
		values  map[string]string
		def     bool
		want    bool
		wantErr violation
	}{
		{"true", map[string]string{"DryRun": "true"}, false, true, noViolation},
		{"false", map[string]string{"DryRun": "false"}, true, false, noViolation},
		{"absent is default false", nil, false, false, noViolation},
		{"absent is default true", nil, true, true, noViolation},
		{"empty is default", map[string]string{"DryRun": ""}, true, true, noViolation},
		{"upper case", map[string]string{"DryRun": "TRUE"}, false, false, invalid("DryRun")},
		{"title case", map[string]string{"DryRun": "True"}, false, false, invalid("DryRun")},
		{"one", map[string]string{"DryRun": "1"}, false, false, invalid("DryRun")},
		{"zero", map[string]string{"DryRun": "0"}, false, false, invalid("DryRun")},
		{"yes", map[string]string{"DryRun": "yes"}, false, false, invalid("DryRun")},
		{"padded", map[string]string{"DryRun": " true"}, false, false, invalid("DryRun")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, func(p *rpc.Params) bool { return p.Bool("DryRun", tt.def) }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_OptBool(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name    string
		values  map[string]string
		want    *bool
		wantErr violation
	}{
		{"absent", nil, nil, noViolation},
		{"empty", map[string]string{"DeletionProtection": ""}, nil, noViolation},
		{"true", map[string]string{"DeletionProtection": "true"}, &yes, noViolation},
		{"false", map[string]string{"DeletionProtection": "false"}, &no, noViolation},
		{"malformed", map[string]string{"DeletionProtection": "on"}, nil, invalid("DeletionProtection")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, func(p *rpc.Params) *bool { return p.OptBool("DeletionProtection") }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_Int(t *testing.T) {
	tests := []struct {
		name    string
		value   *string
		want    int
		wantErr violation
	}{
		{"absent is default", nil, 10, noViolation},
		{"empty is default", ptr(""), 10, noViolation},
		{"inside", ptr("50"), 50, noViolation},
		{"min", ptr("1"), 1, noViolation},
		{"max", ptr("100"), 100, noViolation},
		{"spaces trimmed", ptr(" 7 "), 7, noViolation},
		{"below min", ptr("0"), 0, invalid("PageSize")},
		{"above max", ptr("101"), 0, invalid("PageSize")},
		{"negative", ptr("-1"), 0, invalid("PageSize")},
		{"not a number", ptr("ten"), 0, invalid("PageSize")},
		{"fraction", ptr("1.5"), 0, invalid("PageSize")},
		{"hex", ptr("0x10"), 0, invalid("PageSize")},
		{"overflow", ptr("99999999999999999999999"), 0, invalid("PageSize")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := map[string]string{}
			if tt.value != nil {
				values["PageSize"] = *tt.value
			}
			checkBind(t, values, func(p *rpc.Params) int { return p.Int("PageSize", 10, 1, 100) }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_OptInt(t *testing.T) {
	tests := []struct {
		name    string
		values  map[string]string
		want    *int
		wantErr violation
	}{
		{"absent", nil, nil, noViolation},
		{"empty", map[string]string{"Size": ""}, nil, noViolation},
		{"inside", map[string]string{"Size": "40"}, ptr(40), noViolation},
		{"outside", map[string]string{"Size": "20"}, nil, invalid("Size")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, func(p *rpc.Params) *int { return p.OptInt("Size", 40, 32768) }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_Enum(t *testing.T) {
	tests := []struct {
		name    string
		values  map[string]string
		want    string
		wantErr violation
	}{
		{"absent is default", nil, "PostPaid", noViolation},
		{"empty is default", map[string]string{"InstanceChargeType": ""}, "PostPaid", noViolation},
		{"allowed", map[string]string{"InstanceChargeType": "PrePaid"}, "PrePaid", noViolation},
		{"other case", map[string]string{"InstanceChargeType": "prepaid"}, "", invalid("InstanceChargeType")},
		{"unknown", map[string]string{"InstanceChargeType": "Free"}, "", invalid("InstanceChargeType")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, func(p *rpc.Params) string {
				return p.Enum("InstanceChargeType", "PostPaid", "PrePaid", "PostPaid")
			}, tt.want, tt.wantErr)
		})
	}
}

func TestParams_List(t *testing.T) {
	tests := []struct {
		name    string
		values  map[string]string
		want    []string
		wantErr violation
	}{
		{"absent", map[string]string{"InstanceIds": `["i-x"]`}, nil, noViolation},
		{"numeric order", map[string]string{"InstanceId.10": "c", "InstanceId.2": "b", "InstanceId.1": "a"}, []string{"a", "b", "c"}, noViolation},
		{"gaps", map[string]string{"InstanceId.3": "c", "InstanceId.1": "a"}, []string{"a", "c"}, noViolation},
		{"empty values skipped", map[string]string{"InstanceId.1": "", "InstanceId.2": "b"}, []string{"b"}, noViolation},
		{"largest index", map[string]string{"InstanceId.1000": "z"}, []string{"z"}, noViolation},
		{"other names ignored", map[string]string{"InstanceId.1": "a", "InstanceIdX.2": "b", "InstanceIds": "c", "InstanceId": "d"}, []string{"a"}, noViolation},
		{"word index ignored", map[string]string{"InstanceId.x": "a", "InstanceId.1": "b"}, []string{"b"}, noViolation},
		{"empty index ignored", map[string]string{"InstanceId.": "a"}, nil, noViolation},
		{"zero index", map[string]string{"InstanceId.0": "a"}, nil, invalid("InstanceId.0")},
		{"negative index", map[string]string{"InstanceId.-1": "a"}, nil, invalid("InstanceId.-1")},
		{"index over bound", map[string]string{"InstanceId.99999": "a"}, nil, invalid("InstanceId.99999")},
		{"digits then junk", map[string]string{"InstanceId.1x": "a"}, nil, invalid("InstanceId.1x")},
		{"huge index", map[string]string{"InstanceId.99999999999999999999999": "a"}, nil, invalid("InstanceId.99999999999999999999999")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, func(p *rpc.Params) []string { return p.List("InstanceId") }, tt.want, tt.wantErr)
		})
	}
}

// disk is what a test reads out of one DataDisk.N object.
type disk struct {
	Size     int
	Category string
}

func TestParams_Objects(t *testing.T) {
	read := func(p *rpc.Params) []disk {
		var out []disk
		for _, o := range p.Objects("DataDisk") {
			out = append(out, disk{Size: o.Int("Size", 0, 20, 32768), Category: o.Enum("Category", "cloud_efficiency", "cloud_efficiency", "cloud_essd")})
		}
		return out
	}
	tests := []struct {
		name    string
		values  map[string]string
		want    []disk
		wantErr violation
	}{
		{"absent", map[string]string{"SystemDisk.Size": "40"}, nil, noViolation},
		{"two disks", map[string]string{"DataDisk.1.Size": "40", "DataDisk.1.Category": "cloud_essd", "DataDisk.2.Size": "50"},
			[]disk{{40, "cloud_essd"}, {50, "cloud_efficiency"}}, noViolation},
		{"numeric order", map[string]string{"DataDisk.10.Size": "30", "DataDisk.2.Size": "20"}, []disk{{20, "cloud_efficiency"}, {30, "cloud_efficiency"}}, noViolation},
		{"bad field names full wire name", map[string]string{"DataDisk.1.Size": "40", "DataDisk.2.Size": "big"}, nil, invalid("DataDisk.2.Size")},
		{"bad enum names full wire name", map[string]string{"DataDisk.3.Category": "floppy"}, nil, invalid("DataDisk.3.Category")},
		{"zero index", map[string]string{"DataDisk.0.Size": "40"}, nil, invalid("DataDisk.0.Size")},
		{"index over bound", map[string]string{"DataDisk.99999.Size": "40"}, nil, invalid("DataDisk.99999.Size")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, read, tt.want, tt.wantErr)
		})
	}
}

func TestParams_ObjectsRequiredNamesWireName(t *testing.T) {
	_, got := bind(t, map[string]string{"NetworkInterface.1.VSwitchId": "vsw-1", "NetworkInterface.2.Description": "x"},
		func(p *rpc.Params) []string {
			var out []string
			for _, o := range p.Objects("NetworkInterface") {
				out = append(out, o.Required("VSwitchId"))
			}
			return out
		})
	if want := missing("NetworkInterface.2.VSwitchId"); got != want {
		t.Fatalf("violation = %+v, want %+v", got, want)
	}
}

func TestParams_NestedList(t *testing.T) {
	read := func(p *rpc.Params) [][]string {
		var out [][]string
		for _, o := range p.Objects("NetworkInterface") {
			out = append(out, o.List("SecurityGroupIds"))
		}
		return out
	}
	tests := []struct {
		name    string
		values  map[string]string
		want    [][]string
		wantErr violation
	}{
		{"two interfaces", map[string]string{
			"NetworkInterface.1.SecurityGroupIds.1": "sg-3",
			"NetworkInterface.1.SecurityGroupIds.2": "sg-4",
			"NetworkInterface.2.SecurityGroupIds.1": "sg-5",
			"NetworkInterface.2.VSwitchId":          "vsw-1",
		}, [][]string{{"sg-3", "sg-4"}, {"sg-5"}}, noViolation},
		{"interface without groups", map[string]string{"NetworkInterface.1.VSwitchId": "vsw-1"}, [][]string{nil}, noViolation},
		{"inner order", map[string]string{
			"NetworkInterface.1.SecurityGroupIds.10": "sg-c",
			"NetworkInterface.1.SecurityGroupIds.9":  "sg-b",
			"NetworkInterface.1.SecurityGroupIds.1":  "sg-a",
		}, [][]string{{"sg-a", "sg-b", "sg-c"}}, noViolation},
		{"bad inner index", map[string]string{"NetworkInterface.1.SecurityGroupIds.0": "sg-3"}, nil, invalid("NetworkInterface.1.SecurityGroupIds.0")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, read, tt.want, tt.wantErr)
		})
	}
}

func TestParams_Object(t *testing.T) {
	read := func(p *rpc.Params) disk {
		o := p.Object("SystemDisk")
		return disk{Size: o.Int("Size", 40, 20, 2048), Category: o.Enum("Category", "cloud_efficiency", "cloud_efficiency", "cloud_essd")}
	}
	tests := []struct {
		name    string
		values  map[string]string
		want    disk
		wantErr violation
	}{
		{"absent", nil, disk{40, "cloud_efficiency"}, noViolation},
		{"fields", map[string]string{"SystemDisk.Category": "cloud_essd", "SystemDisk.Size": "100"}, disk{100, "cloud_essd"}, noViolation},
		{"unprefixed names ignored", map[string]string{"Category": "cloud_essd", "Size": "100"}, disk{40, "cloud_efficiency"}, noViolation},
		{"bad category", map[string]string{"SystemDisk.Category": "floppy"}, disk{}, invalid("SystemDisk.Category")},
		{"bad size", map[string]string{"SystemDisk.Size": "10"}, disk{}, invalid("SystemDisk.Size")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, read, tt.want, tt.wantErr)
		})
	}

	t.Run("wire names", func(t *testing.T) {
		o := rpc.NewParams(map[string]string{"SystemDisk.Category": ""}).Object("SystemDisk")
		if got := o.Name("Category"); got != "SystemDisk.Category" {
			t.Fatalf("Name = %q", got)
		}
		if !o.Has("Category") || o.Has("Size") {
			t.Fatalf("Has: Category %v Size %v", o.Has("Category"), o.Has("Size"))
		}
		o.Required("Category")
		if got, want := violationOf(t, o.Err()), missing("SystemDisk.Category"); got != want {
			t.Fatalf("violation = %+v, want %+v", got, want)
		}
	})
}

func TestParams_JSONList(t *testing.T) {
	tests := []struct {
		name    string
		value   *string
		want    []string
		wantErr violation
	}{
		{"absent", nil, nil, noViolation},
		{"empty", ptr(""), nil, noViolation},
		{"blank", ptr("  "), nil, noViolation},
		{"strings", ptr(`["i-1","i-2"]`), []string{"i-1", "i-2"}, noViolation},
		{"empty array", ptr(`[]`), []string{}, noViolation},
		{"spaces around", ptr(` [ "i-1" ] `), []string{"i-1"}, noViolation},
		{"numbers", ptr(`[1, 2.5, 100000000]`), []string{"1", "2.5", "100000000"}, noViolation},
		{"mixed", ptr(`["i-1", 7]`), []string{"i-1", "7"}, noViolation},
		{"not json", ptr(`i-1,i-2`), nil, invalid("InstanceIds")},
		{"truncated", ptr(`["i-1"`), nil, invalid("InstanceIds")},
		{"object", ptr(`{"i-1":true}`), nil, invalid("InstanceIds")},
		{"scalar string", ptr(`"i-1"`), nil, invalid("InstanceIds")},
		{"null element", ptr(`["i-1", null]`), nil, invalid("InstanceIds")},
		{"bool element", ptr(`[true]`), nil, invalid("InstanceIds")},
		{"nested array", ptr(`[["i-1"]]`), nil, invalid("InstanceIds")},
		{"object element", ptr(`[{"Id":"i-1"}]`), nil, invalid("InstanceIds")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := map[string]string{}
			if tt.value != nil {
				values["InstanceIds"] = *tt.value
			}
			checkBind(t, values, func(p *rpc.Params) []string { return p.JSONList("InstanceIds") }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_JSONInts(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		want    []int
		wantErr violation
	}{
		{"numbers", `[1, 2]`, []int{1, 2}, noViolation},
		{"digit strings", `["3", "4"]`, []int{3, 4}, noViolation},
		{"out of range", `[0]`, nil, invalid("Ports")},
		{"fraction", `[1.5]`, nil, invalid("Ports")},
		{"word", `["x"]`, nil, invalid("Ports")},
		{"not json", `1,2`, nil, invalid("Ports")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, map[string]string{"Ports": tt.value}, func(p *rpc.Params) []int { return p.JSONInts("Ports", 1, 65535) }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_Tags(t *testing.T) {
	tags := func(n int) map[string]string {
		m := map[string]string{}
		for i := 1; i <= n; i++ {
			m[fmt.Sprintf("Tag.%d.Key", i)] = fmt.Sprintf("k%d", i)
			m[fmt.Sprintf("Tag.%d.Value", i)] = fmt.Sprintf("v%d", i)
		}
		return m
	}
	twenty := make([]rpc.Tag, 20)
	for i := range twenty {
		twenty[i] = rpc.Tag{Key: fmt.Sprintf("k%d", i+1), Value: fmt.Sprintf("v%d", i+1)}
	}
	tests := []struct {
		name    string
		values  map[string]string
		want    []rpc.Tag
		wantErr violation
	}{
		{"absent", nil, nil, noViolation},
		{"pairs in index order", map[string]string{"Tag.2.Key": "team", "Tag.2.Value": "ops", "Tag.1.Key": "env", "Tag.1.Value": "测试"},
			[]rpc.Tag{{"env", "测试"}, {"team", "ops"}}, noViolation},
		{"key without value", map[string]string{"Tag.1.Key": "env"}, []rpc.Tag{{"env", ""}}, noViolation},
		{"both empty skipped", map[string]string{"Tag.1.Key": "", "Tag.1.Value": "", "Tag.2.Key": "env"}, []rpc.Tag{{"env", ""}}, noViolation},
		{"twenty", tags(20), twenty, noViolation},
		{"twenty one", tags(21), nil, invalid("Tag")},
		{"value without key", map[string]string{"Tag.1.Value": "prod"}, nil, entry(apierr.InvalidTagKey)},
		{"aliyun prefix", map[string]string{"Tag.1.Key": "aliyun:env"}, nil, entry(apierr.InvalidTagKey)},
		{"acs prefix", map[string]string{"Tag.1.Key": "acs:env"}, nil, entry(apierr.InvalidTagKey)},
		{"key 128 long", map[string]string{"Tag.1.Key": strings.Repeat("k", 128)}, []rpc.Tag{{strings.Repeat("k", 128), ""}}, noViolation},
		{"key 129 long", map[string]string{"Tag.1.Key": strings.Repeat("k", 129)}, nil, entry(apierr.InvalidTagKey)},
		{"bad index", map[string]string{"Tag.0.Key": "env"}, nil, invalid("Tag.0.Key")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBind(t, tt.values, func(p *rpc.Params) []rpc.Tag { return p.Tags("Tag") }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_ClientToken(t *testing.T) {
	tests := []struct {
		name    string
		value   *string
		want    string
		wantErr violation
	}{
		{"absent", nil, "", noViolation},
		{"uuid", ptr("123e4567-e89b-12d3-a456-426655440000"), "123e4567-e89b-12d3-a456-426655440000", noViolation},
		{"printable ascii", ptr("a b~!@#$%^&*()"), "a b~!@#$%^&*()", noViolation},
		{"64 long", ptr(strings.Repeat("t", 64)), strings.Repeat("t", 64), noViolation},
		{"65 long", ptr(strings.Repeat("t", 65)), "", entry(apierr.InvalidClientToken)},
		{"non ascii", ptr("令牌"), "", entry(apierr.InvalidClientToken)},
		{"control character", ptr("tok\ten"), "", entry(apierr.InvalidClientToken)},
		{"DEL", ptr("tok\x7f"), "", entry(apierr.InvalidClientToken)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := map[string]string{}
			if tt.value != nil {
				values["ClientToken"] = *tt.value
			}
			checkBind(t, values, func(p *rpc.Params) string { return p.ClientToken() }, tt.want, tt.wantErr)
		})
	}
}

func TestParams_Fingerprint(t *testing.T) {
	business := map[string]string{"RegionId": "cn-hangzhou", "InstanceType": "ecs.g7.large", "Tag.1.Key": "env", "ClientToken": "token-0"}
	with := func(base map[string]string, extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	common := map[string]string{
		"Action": "RunInstances", "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": "testid",
		"Signature": "abc=", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": "n-1",
		"SignatureType": "", "Timestamp": "2024-01-01T12:00:00Z", "SecurityToken": "sts", "BearerToken": "b",
		"ClientToken": "token-1", "OwnerId": "1", "OwnerAccount": "o", "ResourceOwnerId": "2", "ResourceOwnerAccount": "r",
	}
	base := rpc.NewParams(business).Fingerprint()
	if again := rpc.NewParams(business).Fingerprint(); again != base || len(base) != 64 {
		t.Fatalf("Fingerprint is not stable: %s then %s", base, again)
	}
	// Without a ClientToken nothing reads it (store.Replay, store.Remember).
	for _, token := range []string{"", "absent"} {
		values := with(business, nil)
		if token == "" {
			values["ClientToken"] = ""
		} else {
			delete(values, "ClientToken")
		}
		if got := rpc.NewParams(values).Fingerprint(); got != "" {
			t.Errorf("Fingerprint without a ClientToken (%s) = %q, want none", token, got)
		}
	}

	same := []struct {
		name   string
		values map[string]string
	}{
		{"common parameters ignored", with(business, common)},
		{"other signature, timestamp, nonce, token", with(business, map[string]string{
			"Signature": "other=", "Timestamp": "2024-01-01T12:05:00Z", "SignatureNonce": "n-2", "ClientToken": "token-2", "Format": "XML"})},
		{"insertion order", map[string]string{"ClientToken": "token-3", "Tag.1.Key": "env", "InstanceType": "ecs.g7.large", "RegionId": "cn-hangzhou"}},
	}
	for _, tt := range same {
		t.Run("same/"+tt.name, func(t *testing.T) {
			if got := rpc.NewParams(tt.values).Fingerprint(); got != base {
				t.Fatalf("Fingerprint = %s, want %s", got, base)
			}
		})
	}

	differ := []struct {
		name   string
		values map[string]string
	}{
		{"value changed", with(business, map[string]string{"InstanceType": "ecs.g7.xlarge"})},
		{"parameter added", with(business, map[string]string{"Tag.1.Value": "prod"})},
		{"empty parameter added", with(business, map[string]string{"Description": ""})},
		{"parameter removed", map[string]string{"RegionId": "cn-hangzhou", "InstanceType": "ecs.g7.large", "ClientToken": "token-0"}},
		{"key and value boundary", map[string]string{"RegionId": "cn-hangzhou", "InstanceType": "ecs.g7.large", "Tag.1.Ke": "yenv", "ClientToken": "token-0"}},
	}
	for _, tt := range differ {
		t.Run("differ/"+tt.name, func(t *testing.T) {
			if got := rpc.NewParams(tt.values).Fingerprint(); got == base {
				t.Fatalf("Fingerprint of %v equals that of %v", tt.values, business)
			}
		})
	}
}

func TestParams_FirstViolationWins(t *testing.T) {
	values := map[string]string{"PageSize": "0", "DryRun": "maybe", "SystemDisk.Size": "1", "DataDisk.1.Size": "x"}
	tests := []struct {
		name string
		bind func(p *rpc.Params)
		want violation
	}{
		{"missing before invalid", func(p *rpc.Params) {
			p.Required("RegionId")
			p.Int("PageSize", 10, 1, 100)
		}, missing("RegionId")},
		{"invalid before missing", func(p *rpc.Params) {
			p.Int("PageSize", 10, 1, 100)
			p.Required("RegionId")
		}, invalid("PageSize")},
		{"object shares the error", func(p *rpc.Params) {
			p.Object("SystemDisk").Int("Size", 40, 20, 2048)
			p.Bool("DryRun", false)
		}, invalid("SystemDisk.Size")},
		{"objects share the error", func(p *rpc.Params) {
			for _, o := range p.Objects("DataDisk") {
				o.Int("Size", 0, 20, 32768)
			}
			p.Required("RegionId")
		}, invalid("DataDisk.1.Size")},
		{"top level before object", func(p *rpc.Params) {
			p.Bool("DryRun", false)
			p.Object("SystemDisk").Int("Size", 40, 20, 2048)
		}, invalid("DryRun")},
		{"Fail keeps the earlier violation", func(p *rpc.Params) {
			p.Required("RegionId")
			p.Fail(apierr.InvalidRegionID.New())
		}, missing("RegionId")},
		{"Fail records the first", func(p *rpc.Params) {
			p.Fail(apierr.InvalidRegionID.New())
			p.Required("RegionId")
		}, entry(apierr.InvalidRegionID)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := bind(t, values, func(p *rpc.Params) struct{} { tt.bind(p); return struct{}{} })
			if got != tt.want {
				t.Fatalf("violation = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// FuzzParams feeds random keys and values to every getter: binding must never
// panic, and whatever it refuses must be a 4xx catalog error.
func FuzzParams(f *testing.F) {
	f.Add("InstanceId.1=a&InstanceId.10=b&InstanceId.x=c", "InstanceId")
	f.Add("DataDisk.1.Size=40&DataDisk.2.Category=cloud_essd&DataDisk.0.Size=1", "DataDisk")
	f.Add("NetworkInterface.1.SecurityGroupIds.1=sg-1&NetworkInterface.99999.X=1", "NetworkInterface")
	f.Add(`InstanceIds=["i-1",2,null]&Ports=[1,"2"]`, "InstanceIds")
	f.Add("Tag.1.Key=aliyun&Tag.1.Value=v&Tag.2.Value=x", "Tag")
	f.Add("SystemDisk.Size=abc&SystemDisk.Category=", "SystemDisk")
	f.Add("ClientToken=\x00\xff&DryRun=TRUE&PageSize=-1", "PageSize")
	f.Add("A.1.B.1.C.1=x&A..=y&A.-0=z&A.+1=w&A.01=v", "A")
	f.Fuzz(func(t *testing.T, pairs, name string) {
		values := map[string]string{}
		// A bounded number of keys keeps the nested loops below cheap.
		for _, kv := range strings.SplitN(pairs, "&", 16) {
			k, v, _ := strings.Cut(kv, "=")
			values[k] = v
		}
		// Names to read: the fuzzed one, every key and every dotted prefix of a key.
		names := map[string]bool{name: true}
		for k := range values {
			names[k] = true
			for i := 0; i < len(k) && len(names) < 64; i++ {
				if k[i] == '.' {
					names[k[:i]] = true
				}
			}
		}
		p := rpc.NewParams(values)
		for n := range names {
			exercise(t, p, n)
			for _, o := range p.Objects(n) {
				for m := range names {
					exercise(t, o, m)
				}
				for _, inner := range o.Objects(n) {
					exercise(t, inner, n)
				}
			}
			obj := p.Object(n)
			for m := range names {
				exercise(t, obj, m)
			}
		}
		p.ClientToken()
		want := 64 // a ClientToken's; none without one
		if values["ClientToken"] == "" {
			want = 0
		}
		if fp := p.Fingerprint(); fp != rpc.NewParams(values).Fingerprint() || len(fp) != want {
			t.Fatalf("Fingerprint unstable or malformed: %q", fp)
		}
		if err := p.Err(); err != nil {
			var ae *apierr.Error
			if !errors.As(err, &ae) || ae == nil || ae.Status < 400 || ae.Status > 499 || ae.Code == "" {
				t.Fatalf("binder error %v (%T) is not a 4xx catalog error", err, err)
			}
		}
	})
}

// exercise calls every getter of p on name and checks the cheap invariants.
func exercise(tb testing.TB, p *rpc.Params, name string) {
	tb.Helper()
	p.String(name)
	p.Required(name)
	p.Has(name)
	p.Raw(name)
	if p.Name(name) == "" && name != "" {
		tb.Fatalf("Name(%q) is empty", name)
	}
	p.Bool(name, true)
	p.OptBool(name)
	if n := p.Int(name, 5, 1, 100); n < 1 || n > 100 {
		tb.Fatalf("Int(%q) = %d outside [1, 100]", name, n)
	}
	if n := p.OptInt(name, -3, 3); n != nil && (*n < -3 || *n > 3) {
		tb.Fatalf("OptInt(%q) = %d outside [-3, 3]", name, *n)
	}
	if v := p.Enum(name, "d", "a", "b"); v != "a" && v != "b" && v != "d" {
		tb.Fatalf("Enum(%q) = %q", name, v)
	}
	list := p.List(name)
	if len(list) > 1000 {
		tb.Fatalf("List(%q) has %d items, more than the index bound", name, len(list))
	}
	for _, v := range list {
		if v == "" {
			tb.Fatalf("List(%q) holds an empty value", name)
		}
	}
	p.JSONList(name)
	p.JSONInts(name, 0, 10)
	if tags := p.Tags(name); len(tags) > 0 {
		for _, tag := range tags {
			if tag.Key == "" {
				tb.Fatalf("Tags(%q) holds an empty key", name)
			}
		}
	}
	p.Objects(name)
}

// TestRecorder: recording mode lists every name a binder asks for, lists
// and objects with "N" for the index, and what it requires.
func TestRecorder(t *testing.T) {
	p := rpc.NewRecorder(nil)
	p.Required("RegionId")
	p.List("InstanceId")
	p.Tags("Tag")
	for _, o := range p.Objects("DataDisk") {
		o.Int("Size", 0, 1, 100)
		o.Required("Category")
	}
	p.Object("SystemDisk").String("Category")
	p.JSONList("InstanceIds")
	p.Has("DryRun")
	want := []string{"DataDisk.N.Category", "DataDisk.N.Size", "DryRun", "InstanceId.N", "InstanceIds", "RegionId",
		"SystemDisk.Category", "Tag.N.Key", "Tag.N.Value"}
	if got := p.Names(); !slices.Equal(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
	if got := p.RequiredNames(); !slices.Equal(got, []string{"DataDisk.N.Category", "RegionId"}) {
		t.Errorf("RequiredNames = %v", got)
	}
	// Outside recording mode nothing is collected.
	q := rpc.NewParams(map[string]string{"RegionId": "cn-hangzhou"})
	q.Required("RegionId")
	if len(q.Names()) != 0 || len(q.RequiredNames()) != 0 {
		t.Error("a plain Params records names")
	}
}
