package ecs

import "github.com/ecslocal/ecslocal/internal/rpc"

// registerLongTail adds the instance's and the account's long tail of
// actions: resource groups, instance changes, prices and quotas.
func (s *Service) registerLongTail(t *rpc.Table) {
	v := rpc.VersionECS
	s.registerPrefixLists(t)
	s.registerPortRangeLists(t)
	s.registerENIPermissions(t)
	rpc.Handle(t, v, "ConvertNatPublicIpToEip", s.ConvertNatPublicIpToEip)
	rpc.Handle(t, v, "DescribeBandwidthLimitation", s.DescribeBandwidthLimitation)
	rpc.Handle(t, v, "DescribeDeploymentSetSupportedInstanceTypeFamily", s.DescribeDeploymentSetSupportedInstanceTypeFamily)
	rpc.Handle(t, v, "DescribeInstanceMonitorData", s.DescribeInstanceMonitorData)
	rpc.Handle(t, v, "DescribeEniMonitorData", s.DescribeEniMonitorData)
	rpc.Handle(t, v, "DescribeResourceByTags", s.DescribeResourceByTags)
	rpc.Handle(t, v, "DescribeSpotPriceHistory", s.DescribeSpotPriceHistory)
	rpc.Handle(t, v, "DescribeSpotAdvice", s.DescribeSpotAdvice)
	rpc.Handle(t, v, "DescribeRecommendInstanceType", s.DescribeRecommendInstanceType)
	rpc.Handle(t, v, "EnableNetworkInterfaceQoS", s.EnableNetworkInterfaceQoS)
	rpc.Handle(t, v, "DisableNetworkInterfaceQoS", s.DisableNetworkInterfaceQoS)
	rpc.Handle(t, v, "DescribeAccountAttributes", s.DescribeAccountAttributes)
	rpc.Handle(t, v, "DescribeLimitation", s.DescribeLimitation)
	rpc.Handle(t, v, "JoinResourceGroup", s.JoinResourceGroup)
	rpc.Handle(t, v, "ModifyInstanceSpec", s.ModifyInstanceSpec)
	rpc.Handle(t, v, "ModifyPrepayInstanceSpec", s.ModifyPrepayInstanceSpec)
	rpc.Handle(t, v, "ModifyInstanceNetworkSpec", s.ModifyInstanceNetworkSpec)
	rpc.Handle(t, v, "ModifyInstanceVpcAttribute", s.ModifyInstanceVpcAttribute)
	rpc.Handle(t, v, "ModifyInstanceMaintenanceAttributes", s.ModifyInstanceMaintenanceAttributes)
	rpc.Handle(t, v, "ModifyInstanceAutoRenewAttribute", s.ModifyInstanceAutoRenewAttribute)
	rpc.Handle(t, v, "ModifyInstanceVncPasswd", s.ModifyInstanceVncPasswd)
	rpc.Handle(t, v, "DescribeInstanceVncUrl", s.DescribeInstanceVncUrl)
	rpc.Handle(t, v, "GetInstanceConsoleOutput", s.GetInstanceConsoleOutput)
	rpc.Handle(t, v, "GetInstanceScreenshot", s.GetInstanceScreenshot)
	rpc.Handle(t, v, "DescribeInstancesFullStatus", s.DescribeInstancesFullStatus)
	rpc.Handle(t, v, "RedeployInstance", s.RedeployInstance)
	rpc.Handle(t, v, "ReActivateInstances", s.ReActivateInstances)
	rpc.Handle(t, v, "ModifyInstanceClockOptions", s.ModifyInstanceClockOptions)
	rpc.Handle(t, v, "ModifyInstanceNetworkOptions", s.ModifyInstanceNetworkOptions)
	rpc.Handle(t, v, "ModifyInstanceAttachmentAttributes", s.ModifyInstanceAttachmentAttributes)
	rpc.Handle(t, v, "DescribePrice", s.DescribePrice)
	rpc.Handle(t, v, "DescribeRenewalPrice", s.DescribeRenewalPrice)
	rpc.Handle(t, v, "DescribeInstanceModificationPrice", s.DescribeInstanceModificationPrice)
}
