package ecs

import (
	"strconv"

	"github.com/ecslocal/ecslocal/internal/jsonw"
)

// The answer of DescribeInstances written without reflection: a page of ten
// is some 20 KB of JSON on every call. Each function writes its type's
// fields in declaration order, byte for byte as encoding/json.Marshal does
// (TestEncodeJSONIsMarshal and TestAppendJSONIsMarshal fill every field
// with awkward values and compare), so a field added to a type and not
// here fails those tests.

// AppendJSON implements rpc.JSONAppender.
func (r *DescribeInstancesResponse) AppendJSON(b []byte) ([]byte, error) {
	if r == nil {
		return append(b, "null"...), nil
	}
	b = append(b, `{"RequestId":`...)
	b = jsonw.AppendString(b, r.RequestID)
	b = append(b, `,"TotalCount":`...)
	b = strconv.AppendInt(b, int64(r.TotalCount), 10)
	b = append(b, `,"PageNumber":`...)
	b = strconv.AppendInt(b, int64(r.PageNumber), 10)
	b = append(b, `,"PageSize":`...)
	b = strconv.AppendInt(b, int64(r.PageSize), 10)
	b = append(b, `,"NextToken":`...)
	b = jsonw.AppendString(b, r.NextToken)
	b = append(b, `,"Instances":{"Instance":`...)
	if r.Instances.Instance == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for n := range r.Instances.Instance {
			if n > 0 {
				b = append(b, ',')
			}
			it := &r.Instances.Instance[n]
			if it.written != nil {
				b = append(b, it.written...)
				continue
			}
			from := len(b)
			var err error
			if b, err = it.appendJSON(b); err != nil {
				return b, err
			}
			if k := it.keep; k != nil {
				k.cache.keep(k.id, k.instance, k.enis, b[from:])
			}
		}
		b = append(b, ']')
	}
	return append(b, "}}"...), nil
}

func (l IPList) appendJSON(b []byte) []byte {
	b = append(b, `{"IpAddress":`...)
	b = jsonw.AppendStrings(b, l.IPAddress)
	return append(b, '}')
}

func (it *InstanceItem) appendJSON(b []byte) ([]byte, error) {
	b = jsonw.AppendStringField(b, `{"InstanceId":`, it.InstanceID)
	b = jsonw.AppendStringField(b, `,"InstanceName":`, it.InstanceName)
	b = jsonw.AppendStringField(b, `,"Description":`, it.Description)
	b = jsonw.AppendStringField(b, `,"HostName":`, it.HostName)
	b = jsonw.AppendStringField(b, `,"ImageId":`, it.ImageID)
	b = jsonw.AppendStringField(b, `,"InstanceType":`, it.InstanceType)
	b = jsonw.AppendStringField(b, `,"InstanceTypeFamily":`, it.InstanceTypeFamily)
	b = jsonw.AppendIntField(b, `,"Cpu":`, it.CPU)
	b = jsonw.AppendIntField(b, `,"Memory":`, it.Memory)
	b = jsonw.AppendIntField(b, `,"GPUAmount":`, it.GPUAmount)
	b = jsonw.AppendStringField(b, `,"GPUSpec":`, it.GPUSpec)
	b = jsonw.AppendStringField(b, `,"OSName":`, it.OSName)
	b = jsonw.AppendStringField(b, `,"OSNameEn":`, it.OSNameEn)
	b = jsonw.AppendStringField(b, `,"OSType":`, it.OSType)
	b = jsonw.AppendStringField(b, `,"Status":`, it.Status)
	b = jsonw.AppendStringField(b, `,"RegionId":`, it.RegionID)
	b = jsonw.AppendStringField(b, `,"ZoneId":`, it.ZoneID)
	b = jsonw.AppendStringField(b, `,"InstanceNetworkType":`, it.InstanceNetworkType)
	b = jsonw.AppendStringField(b, `,"InstanceChargeType":`, it.InstanceChargeType)
	b = jsonw.AppendStringField(b, `,"InternetChargeType":`, it.InternetChargeType)
	b = jsonw.AppendIntField(b, `,"InternetMaxBandwidthIn":`, it.InternetMaxBandwidthIn)
	b = jsonw.AppendIntField(b, `,"InternetMaxBandwidthOut":`, it.InternetMaxBandwidthOut)
	b = jsonw.AppendStringField(b, `,"CreationTime":`, it.CreationTime)
	b = jsonw.AppendStringField(b, `,"StartTime":`, it.StartTime)
	b = jsonw.AppendStringField(b, `,"ExpiredTime":`, it.ExpiredTime)
	b = jsonw.AppendStringField(b, `,"AutoReleaseTime":`, it.AutoReleaseTime)
	b = jsonw.AppendStringField(b, `,"StoppedMode":`, it.StoppedMode)
	b = jsonw.AppendStringField(b, `,"SaleCycle":`, it.SaleCycle)
	b = jsonw.AppendStringField(b, `,"SpotStrategy":`, it.SpotStrategy)
	b = append(b, `,"SpotPriceLimit":`...)
	var err error
	if b, err = jsonw.AppendFloat(b, it.SpotPriceLimit); err != nil {
		return b, err
	}
	b = jsonw.AppendStringField(b, `,"KeyPairName":`, it.KeyPairName)
	if it.DeploymentSetID != "" {
		b = jsonw.AppendStringField(b, `,"DeploymentSetId":`, it.DeploymentSetID)
	}
	if h := it.DedicatedHostAttribute; h != nil {
		b = jsonw.AppendStringField(b, `,"DedicatedHostAttribute":{"DedicatedHostId":`, h.DedicatedHostID)
		b = jsonw.AppendStringField(b, `,"DedicatedHostName":`, h.DedicatedHostName)
		b = jsonw.AppendStringField(b, `,"DedicatedHostClusterId":`, h.DedicatedHostClusterID)
		b = append(b, '}')
	}
	b = jsonw.AppendStringField(b, `,"ResourceGroupId":`, it.ResourceGroupID)
	b = jsonw.AppendStringField(b, `,"SerialNumber":`, it.SerialNumber)
	b = jsonw.AppendBoolField(b, `,"IoOptimized":`, it.IoOptimized)
	b = jsonw.AppendBoolField(b, `,"DeviceAvailable":`, it.DeviceAvailable)
	b = jsonw.AppendBoolField(b, `,"DeletionProtection":`, it.DeletionProtection)
	b = jsonw.AppendBoolField(b, `,"Recyclable":`, it.Recyclable)
	b = jsonw.AppendStringField(b, `,"CreditSpecification":`, it.CreditSpecification)
	b = it.InnerIPAddress.appendJSON(append(b, `,"InnerIpAddress":`...))
	b = it.PublicIPAddress.appendJSON(append(b, `,"PublicIpAddress":`...))
	b = it.RdmaIPAddress.appendJSON(append(b, `,"RdmaIpAddress":`...))
	b = append(b, `,"SecurityGroupIds":{"SecurityGroupId":`...)
	b = jsonw.AppendStrings(b, it.SecurityGroupIDs.SecurityGroupID)
	b = jsonw.AppendStringField(b, `},"VpcAttributes":{"VpcId":`, it.VpcAttributes.VpcID)
	b = jsonw.AppendStringField(b, `,"VSwitchId":`, it.VpcAttributes.VSwitchID)
	b = jsonw.AppendStringField(b, `,"NatIpAddress":`, it.VpcAttributes.NatIPAddress)
	b = it.VpcAttributes.PrivateIPAddress.appendJSON(append(b, `,"PrivateIpAddress":`...))
	e := &it.EipAddress
	b = jsonw.AppendStringField(b, `},"EipAddress":{"AllocationId":`, e.AllocationID)
	b = jsonw.AppendStringField(b, `,"IpAddress":`, e.IPAddress)
	b = jsonw.AppendIntField(b, `,"Bandwidth":`, e.Bandwidth)
	b = jsonw.AppendStringField(b, `,"InternetChargeType":`, e.InternetChargeType)
	b = jsonw.AppendBoolField(b, `,"IsSupportUnassociate":`, e.IsSupportUnassociate)
	b = append(b, `},"OperationLocks":{"LockReason":`...)
	if locks := it.OperationLocks.LockReason; locks == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for n, l := range locks {
			if n > 0 {
				b = append(b, ',')
			}
			b = jsonw.AppendStringField(b, `{"LockReason":`, l.LockReason)
			b = jsonw.AppendStringField(b, `,"LockMsg":`, l.LockMsg)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `},"Tags":{"Tag":`...)
	if tags := it.Tags.Tag; tags == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for n, t := range tags {
			if n > 0 {
				b = append(b, ',')
			}
			b = jsonw.AppendStringField(b, `{"TagKey":`, t.TagKey)
			b = jsonw.AppendStringField(b, `,"TagValue":`, t.TagValue)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `},"NetworkInterfaces":{"NetworkInterface":`...)
	if enis := it.NetworkInterfaces.NetworkInterface; enis == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for n := range enis {
			if n > 0 {
				b = append(b, ',')
			}
			b = enis[n].appendJSON(b)
		}
		b = append(b, ']')
	}
	m := &it.MetadataOptions
	b = jsonw.AppendStringField(b, `},"MetadataOptions":{"HttpEndpoint":`, m.HTTPEndpoint)
	b = jsonw.AppendStringField(b, `,"HttpTokens":`, m.HTTPTokens)
	b = jsonw.AppendIntField(b, `,"HttpPutResponseHopLimit":`, m.HTTPPutResponseHopLimit)
	b = jsonw.AppendIntField(b, `},"CpuOptions":{"CoreCount":`, it.CPUOptions.CoreCount)
	b = jsonw.AppendIntField(b, `,"ThreadsPerCore":`, it.CPUOptions.ThreadsPerCore)
	b = jsonw.AppendStringField(b, `,"Numa":`, it.CPUOptions.Numa)
	b = jsonw.AppendBoolField(b, `},"HibernationOptions":{"Configured":`, it.HibernationOptions.Configured)
	return append(b, "}}"...), nil
}

func (e *InstanceENI) appendJSON(b []byte) []byte {
	b = jsonw.AppendStringField(b, `{"NetworkInterfaceId":`, e.NetworkInterfaceID)
	b = jsonw.AppendStringField(b, `,"MacAddress":`, e.MacAddress)
	b = jsonw.AppendStringField(b, `,"PrimaryIpAddress":`, e.PrimaryIPAddress)
	b = jsonw.AppendStringField(b, `,"Type":`, e.Type)
	b = append(b, `,"PrivateIpSets":{"PrivateIpSet":`...)
	if sets := e.PrivateIPSets.PrivateIPSet; sets == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for n, s := range sets {
			if n > 0 {
				b = append(b, ',')
			}
			b = jsonw.AppendStringField(b, `{"PrivateIpAddress":`, s.PrivateIPAddress)
			b = jsonw.AppendBoolField(b, `,"Primary":`, s.Primary)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}}"...)
}
