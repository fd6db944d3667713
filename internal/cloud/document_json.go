package cloud

import (
	"strconv"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/ecslocal/ecslocal/internal/jsonw"
)

// The stored documents of the kinds every launch and release writes
// (an instance three times, its disk, its ENI, the vSwitch's address
// cursor) are written by hand, byte for byte as encoding/json writes them
// (store.RecordOf uses DocumentAppender; TestStoredDocumentIsMarshal and
// TestAppendDocumentIsMarshal hold them to json.Marshal): goccy/go-json
// asks each omitzero time whether it is zero through reflection, a third
// of its time on an instance. The parts a launch does not write (an
// instance's tail, its EIP, a disk's pending step) are encoded by
// goccy/go-json, as before. Each member is appended with its key, which
// holds the comma before it: the first member, the id, is never left out.

// DocumentAppender is a stored type that writes its own document.
type DocumentAppender interface {
	AppendDocument(b []byte) ([]byte, error)
}

// strOmit is str with omitempty.
func strOmit(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return jsonw.AppendStringField(b, key, v)
}

func numOmit(b []byte, key string, v int) []byte {
	if v == 0 {
		return b
	}
	return jsonw.AppendIntField(b, key, v)
}

func boolOmit(b []byte, key string, v bool) []byte {
	if !v {
		return b
	}
	return jsonw.AppendBoolField(b, key, v)
}

// tm writes t as time.Time's MarshalJSON; its failure (a year outside
// 0–9999) goes to *err.
func tm(b []byte, key string, t time.Time, err *error) []byte {
	b = append(b, key...)
	b = append(b, '"')
	b, e := t.AppendText(b)
	if e != nil && *err == nil {
		*err = e
	}
	return append(b, '"')
}

// tmOmit is tm with omitzero.
func tmOmit(b []byte, key string, t time.Time, err *error) []byte {
	if t.IsZero() {
		return b
	}
	return tm(b, key, t, err)
}

func strs(b []byte, key string, v []string) []byte {
	return jsonw.AppendStrings(append(b, key...), v)
}

// strsOmit is strs with omitempty.
func strsOmit(b []byte, key string, v []string) []byte {
	if len(v) == 0 {
		return b
	}
	return strs(b, key, v)
}

// value writes v as goccy/go-json encodes it (the same bytes as
// encoding/json: TestStoredDocumentIsMarshal).
func value(b []byte, key string, v any, err *error) []byte {
	raw, e := gojson.Marshal(v)
	if e != nil && *err == nil {
		*err = e
	}
	return append(append(b, key...), raw...)
}

// tags writes a []Tag with omitempty.
func tags(b []byte, key string, tags []Tag) []byte {
	if len(tags) == 0 {
		return b
	}
	b = append(b, key...)
	b = append(b, '[')
	for i, t := range tags {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendStringField(b, `{"key":`, t.Key)
		b = jsonw.AppendStringField(b, `,"value":`, t.Value)
		b = append(b, '}')
	}
	return append(b, ']')
}

// AppendDocument implements DocumentAppender.
func (i Instance) AppendDocument(b []byte) ([]byte, error) {
	var err error
	b = jsonw.AppendStringField(b, `{"id":`, i.ID)
	b = jsonw.AppendStringField(b, `,"region":`, i.Region)
	b = jsonw.AppendStringField(b, `,"zone":`, i.Zone)
	b = jsonw.AppendStringField(b, `,"name":`, i.Name)
	b = strOmit(b, `,"description":`, i.Description)
	b = jsonw.AppendStringField(b, `,"hostName":`, i.HostName)
	b = jsonw.AppendStringField(b, `,"instanceType":`, i.InstanceType)
	b = jsonw.AppendStringField(b, `,"family":`, i.Family)
	b = jsonw.AppendIntField(b, `,"cpu":`, i.CPU)
	b = jsonw.AppendIntField(b, `,"memoryMiB":`, i.MemoryMiB)
	b = jsonw.AppendStringField(b, `,"imageId":`, i.ImageID)
	b = jsonw.AppendStringField(b, `,"osName":`, i.OSName)
	b = jsonw.AppendStringField(b, `,"osNameEn":`, i.OSNameEn)
	b = jsonw.AppendStringField(b, `,"osType":`, i.OSType)
	b = jsonw.AppendStringField(b, `,"status":`, i.Status)
	b = jsonw.AppendStringField(b, `,"chargeType":`, i.ChargeType)
	b = jsonw.AppendStringField(b, `,"internetChargeType":`, i.InternetChargeType)
	b = jsonw.AppendIntField(b, `,"bandwidthOut":`, i.BandwidthOut)
	b = tm(b, `,"created":`, i.Created, &err)
	b = tmOmit(b, `,"started":`, i.Started, &err)
	b = tmOmit(b, `,"expires":`, i.Expires, &err)
	b = numOmit(b, `,"period":`, i.Period)
	b = strOmit(b, `,"periodUnit":`, i.PeriodUnit)
	b = boolOmit(b, `,"autoRenew":`, i.AutoRenew)
	b = boolOmit(b, `,"expired":`, i.Expired)
	b = tmOmit(b, `,"autoRelease":`, i.AutoRelease, &err)
	b = jsonw.AppendBoolField(b, `,"protected":`, i.Protected)
	if len(i.Locks) > 0 {
		b = append(b, `,"locks":`...)
		b = append(b, '[')
		for n, l := range i.Locks {
			if n > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"reason":`...)
			b = jsonw.AppendString(b, l.Reason)
			if l.Msg != "" {
				b = append(b, `,"msg":`...)
				b = jsonw.AppendString(b, l.Msg)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = jsonw.AppendStringField(b, `,"spotStrategy":`, i.SpotStrategy)
	b = strOmit(b, `,"stoppedMode":`, i.StoppedMode)
	b = strs(b, `,"securityGroups":`, i.SecurityGroups)
	b = jsonw.AppendStringField(b, `,"vpcId":`, i.VpcID)
	b = jsonw.AppendStringField(b, `,"vSwitchId":`, i.VSwitchID)
	b = jsonw.AppendStringField(b, `,"privateIp":`, i.PrivateIP)
	b = strOmit(b, `,"publicIp":`, i.PublicIP)
	b = strOmit(b, `,"keyPairName":`, i.KeyPairName)
	b = strOmit(b, `,"ramRoleName":`, i.RAMRoleName)
	if i.Metadata != nil {
		b = append(b, `,"metadata":`...)
		m := i.Metadata
		b = append(b, `{"endpoint":`...)
		b = jsonw.AppendString(b, m.Endpoint)
		b = append(b, `,"tokens":`...)
		b = jsonw.AppendString(b, m.Tokens)
		b = append(b, `,"hopLimit":`...)
		b = strconv.AppendInt(b, int64(m.HopLimit), 10)
		b = append(b, '}')
	}
	b = strOmit(b, `,"deploymentSetId":`, i.DeploymentSetID)
	b = strOmit(b, `,"dedicatedHostId":`, i.DedicatedHostID)
	b = strOmit(b, `,"resourceGroup":`, i.ResourceGroup)
	b = strOmit(b, `,"userData":`, i.UserData)
	b = tags(b, `,"tags":`, i.Tags)
	if len(i.Steps) > 0 {
		b = append(b, `,"steps":`...)
		b = append(b, '[')
		for n, s := range i.Steps {
			if n > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"at":`...)
			b = tm(b, ``, s.At, &err)
			b = append(b, `,"status":`...)
			b = jsonw.AppendString(b, s.Status)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = boolOmit(b, `,"releasing":`, i.Releasing)
	b = tmOmit(b, `,"initializingUntil":`, i.InitializingUntil, &err)
	if i.InitWindow != 0 {
		b = append(b, `,"initWindow":`...)
		b = jsonw.AppendString(b, time.Duration(i.InitWindow).String()) // Duration's MarshalJSON
	}
	b = strOmit(b, `,"chargeTypeTo":`, i.ChargeTypeTo)
	b = tmOmit(b, `,"chargeTypeAt":`, i.ChargeTypeAt, &err)
	if i.EIP != nil {
		b = value(b, `,"eip":`, i.EIP, &err)
	}
	if i.Tail != (InstanceTail{}) {
		b = value(b, `,"tail":`, i.Tail, &err)
	}
	return append(b, '}'), err
}

// AppendDocument implements DocumentAppender.
func (k Disk) AppendDocument(b []byte) ([]byte, error) {
	var err error
	b = jsonw.AppendStringField(b, `{"id":`, k.ID)
	b = jsonw.AppendStringField(b, `,"region":`, k.Region)
	b = jsonw.AppendStringField(b, `,"zone":`, k.Zone)
	b = jsonw.AppendStringField(b, `,"name":`, k.Name)
	b = strOmit(b, `,"description":`, k.Description)
	b = jsonw.AppendStringField(b, `,"type":`, k.Type)
	b = jsonw.AppendStringField(b, `,"category":`, k.Category)
	b = jsonw.AppendIntField(b, `,"size":`, k.Size)
	b = strOmit(b, `,"performanceLevel":`, k.PerformanceLevel)
	b = jsonw.AppendStringField(b, `,"status":`, k.Status)
	b = strOmit(b, `,"instanceId":`, k.InstanceID)
	b = strOmit(b, `,"device":`, k.Device)
	b = strOmit(b, `,"imageId":`, k.ImageID)
	b = strOmit(b, `,"sourceSnapshotId":`, k.SourceSnapshotID)
	b = jsonw.AppendBoolField(b, `,"deleteWithInstance":`, k.DeleteWithInstance)
	b = jsonw.AppendBoolField(b, `,"deleteAutoSnapshot":`, k.DeleteAutoSnapshot)
	b = jsonw.AppendBoolField(b, `,"enableAutoSnapshot":`, k.EnableAutoSnapshot)
	b = strOmit(b, `,"autoSnapshotPolicy":`, k.AutoSnapshotPolicy)
	b = jsonw.AppendStringField(b, `,"chargeType":`, k.ChargeType)
	b = jsonw.AppendBoolField(b, `,"portable":`, k.Portable)
	b = boolOmit(b, `,"encrypted":`, k.Encrypted)
	b = tm(b, `,"created":`, k.Created, &err)
	b = tmOmit(b, `,"attached":`, k.Attached, &err)
	b = tmOmit(b, `,"detached":`, k.Detached, &err)
	b = tmOmit(b, `,"expires":`, k.Expires, &err)
	b = tags(b, `,"tags":`, k.Tags)
	b = strOmit(b, `,"resourceGroup":`, k.ResourceGroup)
	if k.Next != nil {
		b = value(b, `,"next":`, k.Next, &err)
	}
	if k.Rewrite != nil {
		b = value(b, `,"rewrite":`, k.Rewrite, &err)
	}
	b = strOmit(b, `,"kmsKeyId":`, k.KMSKeyID)
	return append(b, '}'), err
}

// AppendDocument implements DocumentAppender.
func (e ENI) AppendDocument(b []byte) ([]byte, error) {
	var err error
	b = jsonw.AppendStringField(b, `{"id":`, e.ID)
	b = jsonw.AppendStringField(b, `,"region":`, e.Region)
	b = jsonw.AppendStringField(b, `,"zone":`, e.Zone)
	b = jsonw.AppendStringField(b, `,"vpcId":`, e.VpcID)
	b = jsonw.AppendStringField(b, `,"vSwitchId":`, e.VSwitchID)
	b = strOmit(b, `,"name":`, e.Name)
	b = strOmit(b, `,"description":`, e.Description)
	b = jsonw.AppendStringField(b, `,"type":`, e.Type)
	b = jsonw.AppendStringField(b, `,"status":`, e.Status)
	b = jsonw.AppendStringField(b, `,"mac":`, e.MAC)
	b = jsonw.AppendStringField(b, `,"privateIp":`, e.PrivateIP)
	b = strsOmit(b, `,"secondaryIps":`, e.SecondaryIPs)
	if e.QoS != nil {
		b = value(b, `,"qos":`, e.QoS, &err)
	}
	b = strs(b, `,"securityGroups":`, e.SecurityGroups)
	b = jsonw.AppendBoolField(b, `,"deleteOnRelease":`, e.DeleteOnRelease)
	if a := e.Attachment; a != nil {
		b = append(b, `,"attachment":`...)
		b = append(b, `{"instanceId":`...)
		b = jsonw.AppendString(b, a.InstanceID)
		b = append(b, `,"deviceIndex":`...)
		b = strconv.AppendInt(b, int64(a.DeviceIndex), 10)
		if a.TrunkNetworkInterfaceID != "" {
			b = append(b, `,"trunkNetworkInterfaceId":`...)
			b = jsonw.AppendString(b, a.TrunkNetworkInterfaceID)
		}
		b = append(b, '}')
	}
	b = tm(b, `,"created":`, e.Created, &err)
	b = tags(b, `,"tags":`, e.Tags)
	b = strOmit(b, `,"resourceGroup":`, e.ResourceGroup)
	if e.Next != nil {
		b = value(b, `,"next":`, e.Next, &err)
	}
	return append(b, '}'), err
}

// AppendDocument implements DocumentAppender.
func (v VSwitch) AppendDocument(b []byte) ([]byte, error) {
	var err error
	b = jsonw.AppendStringField(b, `{"id":`, v.ID)
	b = jsonw.AppendStringField(b, `,"region":`, v.Region)
	b = jsonw.AppendStringField(b, `,"vpcId":`, v.VpcID)
	b = jsonw.AppendStringField(b, `,"zone":`, v.Zone)
	b = jsonw.AppendStringField(b, `,"name":`, v.Name)
	b = strOmit(b, `,"description":`, v.Description)
	b = jsonw.AppendStringField(b, `,"cidrBlock":`, v.CidrBlock)
	b = jsonw.AppendStringField(b, `,"status":`, v.Status)
	b = tm(b, `,"created":`, v.Created, &err)
	b = tmOmit(b, `,"readyAt":`, v.ReadyAt, &err)
	b = jsonw.AppendIntField(b, `,"nextIp":`, v.NextIP)
	b = tags(b, `,"tags":`, v.Tags)
	b = boolOmit(b, `,"isDefault":`, v.IsDefault)
	b = strOmit(b, `,"resourceGroup":`, v.ResourceGroup)
	b = strOmit(b, `,"routeTableId":`, v.RouteTableID)
	b = strOmit(b, `,"networkAclId":`, v.NetworkACLID)
	b = strsOmit(b, `,"reserved":`, v.Reserved)
	return append(b, '}'), err
}
