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
			var err error
			if b, err = r.Instances.Instance[n].appendJSON(b); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	return append(b, "}}"...), nil
}

func appendStringField(b []byte, key, v string) []byte {
	b = append(b, key...)
	return jsonw.AppendString(b, v)
}

func appendIntField(b []byte, key string, v int) []byte {
	b = append(b, key...)
	return strconv.AppendInt(b, int64(v), 10)
}

func appendBoolField(b []byte, key string, v bool) []byte {
	b = append(b, key...)
	return jsonw.AppendBool(b, v)
}

func (l IPList) appendJSON(b []byte) []byte {
	b = append(b, `{"IpAddress":`...)
	b = jsonw.AppendStrings(b, l.IPAddress)
	return append(b, '}')
}

func (it *InstanceItem) appendJSON(b []byte) ([]byte, error) {
	b = appendStringField(b, `{"InstanceId":`, it.InstanceID)
	b = appendStringField(b, `,"InstanceName":`, it.InstanceName)
	b = appendStringField(b, `,"Description":`, it.Description)
	b = appendStringField(b, `,"HostName":`, it.HostName)
	b = appendStringField(b, `,"ImageId":`, it.ImageID)
	b = appendStringField(b, `,"InstanceType":`, it.InstanceType)
	b = appendStringField(b, `,"InstanceTypeFamily":`, it.InstanceTypeFamily)
	b = appendIntField(b, `,"Cpu":`, it.CPU)
	b = appendIntField(b, `,"Memory":`, it.Memory)
	b = appendIntField(b, `,"GPUAmount":`, it.GPUAmount)
	b = appendStringField(b, `,"GPUSpec":`, it.GPUSpec)
	b = appendStringField(b, `,"OSName":`, it.OSName)
	b = appendStringField(b, `,"OSNameEn":`, it.OSNameEn)
	b = appendStringField(b, `,"OSType":`, it.OSType)
	b = appendStringField(b, `,"Status":`, it.Status)
	b = appendStringField(b, `,"RegionId":`, it.RegionID)
	b = appendStringField(b, `,"ZoneId":`, it.ZoneID)
	b = appendStringField(b, `,"InstanceNetworkType":`, it.InstanceNetworkType)
	b = appendStringField(b, `,"InstanceChargeType":`, it.InstanceChargeType)
	b = appendStringField(b, `,"InternetChargeType":`, it.InternetChargeType)
	b = appendIntField(b, `,"InternetMaxBandwidthIn":`, it.InternetMaxBandwidthIn)
	b = appendIntField(b, `,"InternetMaxBandwidthOut":`, it.InternetMaxBandwidthOut)
	b = appendStringField(b, `,"CreationTime":`, it.CreationTime)
	b = appendStringField(b, `,"StartTime":`, it.StartTime)
	b = appendStringField(b, `,"ExpiredTime":`, it.ExpiredTime)
	b = appendStringField(b, `,"AutoReleaseTime":`, it.AutoReleaseTime)
	b = appendStringField(b, `,"StoppedMode":`, it.StoppedMode)
	b = appendStringField(b, `,"SaleCycle":`, it.SaleCycle)
	b = appendStringField(b, `,"SpotStrategy":`, it.SpotStrategy)
	b = append(b, `,"SpotPriceLimit":`...)
	var err error
	if b, err = jsonw.AppendFloat(b, it.SpotPriceLimit); err != nil {
		return b, err
	}
	b = appendStringField(b, `,"KeyPairName":`, it.KeyPairName)
	if it.DeploymentSetID != "" {
		b = appendStringField(b, `,"DeploymentSetId":`, it.DeploymentSetID)
	}
	if h := it.DedicatedHostAttribute; h != nil {
		b = appendStringField(b, `,"DedicatedHostAttribute":{"DedicatedHostId":`, h.DedicatedHostID)
		b = appendStringField(b, `,"DedicatedHostName":`, h.DedicatedHostName)
		b = appendStringField(b, `,"DedicatedHostClusterId":`, h.DedicatedHostClusterID)
		b = append(b, '}')
	}
	b = appendStringField(b, `,"ResourceGroupId":`, it.ResourceGroupID)
	b = appendStringField(b, `,"SerialNumber":`, it.SerialNumber)
	b = appendBoolField(b, `,"IoOptimized":`, it.IoOptimized)
	b = appendBoolField(b, `,"DeviceAvailable":`, it.DeviceAvailable)
	b = appendBoolField(b, `,"DeletionProtection":`, it.DeletionProtection)
	b = appendBoolField(b, `,"Recyclable":`, it.Recyclable)
	b = appendStringField(b, `,"CreditSpecification":`, it.CreditSpecification)
	b = it.InnerIPAddress.appendJSON(append(b, `,"InnerIpAddress":`...))
	b = it.PublicIPAddress.appendJSON(append(b, `,"PublicIpAddress":`...))
	b = it.RdmaIPAddress.appendJSON(append(b, `,"RdmaIpAddress":`...))
	b = append(b, `,"SecurityGroupIds":{"SecurityGroupId":`...)
	b = jsonw.AppendStrings(b, it.SecurityGroupIDs.SecurityGroupID)
	b = appendStringField(b, `},"VpcAttributes":{"VpcId":`, it.VpcAttributes.VpcID)
	b = appendStringField(b, `,"VSwitchId":`, it.VpcAttributes.VSwitchID)
	b = appendStringField(b, `,"NatIpAddress":`, it.VpcAttributes.NatIPAddress)
	b = it.VpcAttributes.PrivateIPAddress.appendJSON(append(b, `,"PrivateIpAddress":`...))
	e := &it.EipAddress
	b = appendStringField(b, `},"EipAddress":{"AllocationId":`, e.AllocationID)
	b = appendStringField(b, `,"IpAddress":`, e.IPAddress)
	b = appendIntField(b, `,"Bandwidth":`, e.Bandwidth)
	b = appendStringField(b, `,"InternetChargeType":`, e.InternetChargeType)
	b = appendBoolField(b, `,"IsSupportUnassociate":`, e.IsSupportUnassociate)
	b = append(b, `},"OperationLocks":{"LockReason":`...)
	if locks := it.OperationLocks.LockReason; locks == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for n, l := range locks {
			if n > 0 {
				b = append(b, ',')
			}
			b = appendStringField(b, `{"LockReason":`, l.LockReason)
			b = appendStringField(b, `,"LockMsg":`, l.LockMsg)
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
			b = appendStringField(b, `{"TagKey":`, t.TagKey)
			b = appendStringField(b, `,"TagValue":`, t.TagValue)
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
	b = appendStringField(b, `},"MetadataOptions":{"HttpEndpoint":`, m.HTTPEndpoint)
	b = appendStringField(b, `,"HttpTokens":`, m.HTTPTokens)
	b = appendIntField(b, `,"HttpPutResponseHopLimit":`, m.HTTPPutResponseHopLimit)
	b = appendIntField(b, `},"CpuOptions":{"CoreCount":`, it.CPUOptions.CoreCount)
	b = appendIntField(b, `,"ThreadsPerCore":`, it.CPUOptions.ThreadsPerCore)
	b = appendStringField(b, `,"Numa":`, it.CPUOptions.Numa)
	b = appendBoolField(b, `},"HibernationOptions":{"Configured":`, it.HibernationOptions.Configured)
	return append(b, "}}"...), nil
}

func (e *InstanceENI) appendJSON(b []byte) []byte {
	b = appendStringField(b, `{"NetworkInterfaceId":`, e.NetworkInterfaceID)
	b = appendStringField(b, `,"MacAddress":`, e.MacAddress)
	b = appendStringField(b, `,"PrimaryIpAddress":`, e.PrimaryIPAddress)
	b = appendStringField(b, `,"Type":`, e.Type)
	b = append(b, `,"PrivateIpSets":{"PrivateIpSet":`...)
	if sets := e.PrivateIPSets.PrivateIPSet; sets == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for n, s := range sets {
			if n > 0 {
				b = append(b, ',')
			}
			b = appendStringField(b, `{"PrivateIpAddress":`, s.PrivateIPAddress)
			b = appendBoolField(b, `,"Primary":`, s.Primary)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}}"...)
}
