package ecs

import (
	"context"
	"encoding/base64"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// IPList is the {"IpAddress": [...]} wrapper of protocol.md §9.
type IPList struct {
	IPAddress []string `json:"IpAddress"`
}

func ips(v ...string) IPList {
	out := IPList{IPAddress: []string{}}
	for _, s := range v {
		if s != "" {
			out.IPAddress = append(out.IPAddress, s)
		}
	}
	return out
}

// TagItem is a tag in a response (TagKey/TagValue).
type TagItem struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// Tags is the {"Tag": [...]} wrapper.
type Tags struct {
	Tag []TagItem `json:"Tag"`
}

func tagsOf(tags []cloud.Tag) Tags {
	out := Tags{Tag: []TagItem{}}
	for _, t := range tags {
		out.Tag = append(out.Tag, TagItem{TagKey: t.Key, TagValue: t.Value})
	}
	return out
}

// LockItem is one OperationLocks entry of an instance.
type LockItem struct {
	LockReason string `json:"LockReason"`
	LockMsg    string `json:"LockMsg"`
}

// InstanceItem is one instance as DescribeInstances shows it (protocol.md §9).
type InstanceItem struct {
	// written, when set, is the item's JSON from the item cache, and the
	// fields below are not filled in; keep is where the JSON goes once
	// written (itemcache.go).
	written []byte
	keep    *itemKeep

	InstanceID              string         `json:"InstanceId"`
	InstanceName            string         `json:"InstanceName"`
	Description             string         `json:"Description"`
	HostName                string         `json:"HostName"`
	ImageID                 string         `json:"ImageId"`
	InstanceType            string         `json:"InstanceType"`
	InstanceTypeFamily      string         `json:"InstanceTypeFamily"`
	CPU                     int            `json:"Cpu"`
	Memory                  int            `json:"Memory"`
	GPUAmount               int            `json:"GPUAmount"`
	GPUSpec                 string         `json:"GPUSpec"`
	OSName                  string         `json:"OSName"`
	OSNameEn                string         `json:"OSNameEn"`
	OSType                  string         `json:"OSType"`
	Status                  string         `json:"Status"`
	RegionID                string         `json:"RegionId"`
	ZoneID                  string         `json:"ZoneId"`
	InstanceNetworkType     string         `json:"InstanceNetworkType"`
	InstanceChargeType      string         `json:"InstanceChargeType"`
	InternetChargeType      string         `json:"InternetChargeType"`
	InternetMaxBandwidthIn  int            `json:"InternetMaxBandwidthIn"`
	InternetMaxBandwidthOut int            `json:"InternetMaxBandwidthOut"`
	CreationTime            string         `json:"CreationTime"`
	StartTime               string         `json:"StartTime"`
	ExpiredTime             string         `json:"ExpiredTime"`
	AutoReleaseTime         string         `json:"AutoReleaseTime"`
	StoppedMode             string         `json:"StoppedMode"`
	SaleCycle               string         `json:"SaleCycle"`
	SpotStrategy            string         `json:"SpotStrategy"`
	SpotPriceLimit          float64        `json:"SpotPriceLimit"`
	KeyPairName             string         `json:"KeyPairName"`
	DeploymentSetID         string         `json:"DeploymentSetId,omitempty"` // absent when none, as the recorded sessions have it
	DedicatedHostAttribute  *HostAttribute `json:"DedicatedHostAttribute,omitempty"`
	ResourceGroupID         string         `json:"ResourceGroupId"`
	SerialNumber            string         `json:"SerialNumber"`
	IoOptimized             bool           `json:"IoOptimized"`
	DeviceAvailable         bool           `json:"DeviceAvailable"`
	DeletionProtection      bool           `json:"DeletionProtection"`
	Recyclable              bool           `json:"Recyclable"`
	CreditSpecification     string         `json:"CreditSpecification"`
	InnerIPAddress          IPList         `json:"InnerIpAddress"`
	PublicIPAddress         IPList         `json:"PublicIpAddress"`
	RdmaIPAddress           IPList         `json:"RdmaIpAddress"`
	SecurityGroupIDs        struct {
		SecurityGroupID []string `json:"SecurityGroupId"`
	} `json:"SecurityGroupIds"`
	VpcAttributes struct {
		VpcID            string `json:"VpcId"`
		VSwitchID        string `json:"VSwitchId"`
		NatIPAddress     string `json:"NatIpAddress"`
		PrivateIPAddress IPList `json:"PrivateIpAddress"`
	} `json:"VpcAttributes"`
	EipAddress struct {
		AllocationID         string `json:"AllocationId"`
		IPAddress            string `json:"IpAddress"`
		Bandwidth            int    `json:"Bandwidth"`
		InternetChargeType   string `json:"InternetChargeType"`
		IsSupportUnassociate bool   `json:"IsSupportUnassociate"`
	} `json:"EipAddress"`
	OperationLocks struct {
		LockReason []LockItem `json:"LockReason"`
	} `json:"OperationLocks"`
	Tags              Tags `json:"Tags"`
	NetworkInterfaces struct {
		NetworkInterface []InstanceENI `json:"NetworkInterface"`
	} `json:"NetworkInterfaces"`
	MetadataOptions struct {
		HTTPEndpoint            string `json:"HttpEndpoint"`
		HTTPTokens              string `json:"HttpTokens"`
		HTTPPutResponseHopLimit int    `json:"HttpPutResponseHopLimit"`
	} `json:"MetadataOptions"`
	CPUOptions struct {
		CoreCount      int    `json:"CoreCount"`
		ThreadsPerCore int    `json:"ThreadsPerCore"`
		Numa           string `json:"Numa"`
	} `json:"CpuOptions"`
	HibernationOptions struct {
		Configured bool `json:"Configured"`
	} `json:"HibernationOptions"`
}

// InstanceENI is one ENI in an instance's NetworkInterfaces.
type InstanceENI struct {
	NetworkInterfaceID string `json:"NetworkInterfaceId"`
	MacAddress         string `json:"MacAddress"`
	PrimaryIPAddress   string `json:"PrimaryIpAddress"`
	Type               string `json:"Type"`
	PrivateIPSets      struct {
		PrivateIPSet []PrivateIPSet `json:"PrivateIpSet"`
	} `json:"PrivateIpSets"`
}

// PrivateIPSet is one private address of an ENI.
type PrivateIPSet struct {
	PrivateIPAddress string `json:"PrivateIpAddress"`
	Primary          bool   `json:"Primary"`
}

// postPaidExpiredTime is what every pay-as-you-go instance reports.
var postPaidExpiredTime = cloud.FormatMinute(cloud.PostPaidInstanceExpiry)

func instanceItem(i cloud.Instance, enis []cloud.ENI) InstanceItem {
	return instanceItemWith(i, instanceENIItems(enis))
}

// instanceItemWith is instanceItem with the instance's ENI items made.
func instanceItemWith(i cloud.Instance, eniItems []InstanceENI) InstanceItem {
	p := itemParts{
		creation: cloud.FormatMinute(i.Created), start: cloud.FormatMinute(i.Started),
		expired: postPaidExpiredTime, autoRelease: cloud.FormatSecond(i.AutoRelease),
		serial: serialNumber(i.ID), privateIP: ips(i.PrivateIP).IPAddress, publicIP: ips(i.PublicIP).IPAddress,
		groups: append([]string{}, i.SecurityGroups...),
	}
	if i.ChargeType == cloud.PrePaid {
		p.expired = cloud.FormatMinute(i.Expires)
	}
	return instanceItemOf(&i, eniItems, &p)
}

// itemParts are the strings and lists an instance's item makes of its
// own: instanceItems makes a page's from a few shared allocations.
type itemParts struct {
	creation, start, expired, autoRelease, serial string
	// privateIP and publicIP are ips' lists; groups the security groups.
	privateIP, publicIP, groups []string
}

// instanceItemOf is instanceItemWith with the item's own parts made.
func instanceItemOf(i *cloud.Instance, eniItems []InstanceENI, p *itemParts) InstanceItem {
	it := InstanceItem{
		InstanceID: i.ID, InstanceName: i.Name, Description: i.Description, HostName: i.HostName,
		ImageID: i.ImageID, InstanceType: i.InstanceType, InstanceTypeFamily: i.Family, CPU: i.CPU,
		Memory: i.MemoryMiB, OSName: i.OSName, OSNameEn: i.OSNameEn, OSType: i.OSType, Status: i.Status,
		RegionID: i.Region, ZoneID: i.Zone, InstanceNetworkType: "vpc", InstanceChargeType: i.ChargeType,
		InternetChargeType: i.InternetChargeType, InternetMaxBandwidthIn: 100, InternetMaxBandwidthOut: i.BandwidthOut,
		CreationTime: p.creation, StartTime: p.start,
		ExpiredTime: p.expired, AutoReleaseTime: p.autoRelease,
		StoppedMode: "Not-applicable", SpotStrategy: i.SpotStrategy, KeyPairName: i.KeyPairName, DeploymentSetID: i.DeploymentSetID,
		ResourceGroupID: i.ResourceGroup,
		SerialNumber:    p.serial, IoOptimized: true, DeviceAvailable: true, DeletionProtection: i.Protected,
		InnerIPAddress: ips(), PublicIPAddress: IPList{p.publicIP}, RdmaIPAddress: ips(),
	}
	if i.ChargeType == cloud.PrePaid {
		it.SaleCycle = i.PeriodUnit
	}
	if i.Status == cloud.StatusStopped {
		it.StoppedMode = "KeepCharging"
		if i.StoppedMode != "" {
			it.StoppedMode = i.StoppedMode
		}
	}
	if i.Family == "ecs.t6" {
		it.CreditSpecification = "Standard"
	}
	it.SecurityGroupIDs.SecurityGroupID = p.groups
	it.VpcAttributes.VpcID, it.VpcAttributes.VSwitchID = i.VpcID, i.VSwitchID
	it.VpcAttributes.PrivateIPAddress = IPList{p.privateIP}
	if e := i.EIP; e != nil {
		it.EipAddress.AllocationID, it.EipAddress.IPAddress, it.EipAddress.IsSupportUnassociate = e.AllocationID, e.IPAddress, true
		it.EipAddress.Bandwidth, it.EipAddress.InternetChargeType = e.Bandwidth, e.InternetChargeType
	}
	it.OperationLocks.LockReason = []LockItem{}
	for _, l := range i.Locks {
		it.OperationLocks.LockReason = append(it.OperationLocks.LockReason, LockItem{LockReason: l.Reason, LockMsg: l.Msg})
	}
	it.Tags = tagsOf(i.Tags)
	it.NetworkInterfaces.NetworkInterface = eniItems
	md := i.MetadataOf()
	it.MetadataOptions.HTTPEndpoint, it.MetadataOptions.HTTPTokens, it.MetadataOptions.HTTPPutResponseHopLimit = md.Endpoint, md.Tokens, md.HopLimit
	it.CPUOptions.CoreCount, it.CPUOptions.ThreadsPerCore = max(i.CPU/2, 1), min(i.CPU, 2)
	return it
}

// serialNumber is a stable UUID-shaped serial derived from the instance id:
// hex digits from base64(id + "ecslocal-serial"), zero-padded to 32.
func serialNumber(id string) string {
	var b [36]byte
	return string(appendSerial(b[:0], id))
}

// appendSerial appends serialNumber(id) to b.
func appendSerial(b []byte, id string) []byte {
	var src [24]byte // 24 bytes make the 32 digits used
	n := copy(src[:], id)
	n += copy(src[n:], "ecslocal-serial")
	var enc [32]byte
	base64.RawURLEncoding.Encode(enc[:], src[:n])
	m := base64.RawURLEncoding.EncodedLen(n)
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		c := byte('0')
		if i < m {
			c = "0123456789abcdef"[int(enc[i])%16]
		}
		b = append(b, c)
	}
	return b
}

// DescribeInstancesRequest is §5.4: every filter is an indexed lookup.
type DescribeInstancesRequest struct {
	RegionID   string
	IDs        []string
	Filters    []store.Filter
	PageNumber int
	PageSize   int
	// MaxResults/NextToken paging, when NextToken or MaxResults is present.
	Keyset     bool
	MaxResults int
	AfterSeq   int64
}

// filterParams maps DescribeInstances parameters to instance indexes.
var filterParams = []struct{ param, index string }{
	{"VpcId", "vpc"}, {"VSwitchId", "vswitch"}, {"ZoneId", "zone"}, {"InstanceChargeType", "chargeType"},
	{"InstanceName", "name"}, {"LockReason", "lock"}, {"SecurityGroupId", "sg"}, {"InstanceType", "type"},
	{"InstanceTypeFamily", "family"}, {"ImageId", "image"}, {"KeyPairName", "keyPair"},
	{"ResourceGroupId", "resourceGroup"},
}

// Bind implements rpc.Binder.
func (r *DescribeInstancesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("InstanceIds")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidInstanceIDsTooMany.New())
	}
	if p.Has("InstanceIds") && r.IDs == nil {
		r.IDs = []string{}
	}
	if st := p.Enum("Status", "", cloud.StatusPending, cloud.StatusStarting, cloud.StatusRunning, cloud.StatusStopping, cloud.StatusStopped); st != "" {
		r.Filters = append(r.Filters, store.Where("status", st))
	}
	for _, f := range filterParams {
		if v := p.String(f.param); v != "" {
			r.Filters = append(r.Filters, store.Where(f.index, v))
		}
	}
	for _, list := range []struct{ param, index string }{{"PrivateIpAddresses", "privateIp"}, {"PublicIpAddresses", "publicIp"}, {"InnerIpAddresses", "privateIp"}} {
		if v := p.JSONList(list.param); len(v) > 0 {
			r.Filters = append(r.Filters, store.Where(list.index, v...))
		}
	}
	r.Filters = append(r.Filters, tagFilters(p)...)
	r.PageNumber, r.PageSize = paging(p, 10, 100)
	if p.Has("MaxResults") || p.String("NextToken") != "" {
		r.Keyset = true
		r.MaxResults = p.Int("MaxResults", 10, 1, 100)
		r.AfterSeq = nextToken(p)
	}
}

// tagFilters reads Tag.N.Key/Value as filters: a key alone matches any value.
func tagFilters(p *rpc.Params) []store.Filter { return tagging.Filters(p.Tags("Tag")) }

// nextToken decodes an opaque NextToken: the creation sequence to resume
// after (tagging.BindSeqToken, the one decoder of such tokens).
func nextToken(p *rpc.Params) int64 { return tagging.BindSeqToken(p, apierr.InvalidNextToken) }

// encodeNextToken is the token nextToken reads.
func encodeNextToken(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seq, 10)))
}

// DescribeInstancesResponse wraps Instances.Instance[].
type DescribeInstancesResponse struct {
	rpc.Base
	TotalCount int    `json:"TotalCount"`
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	NextToken  string `json:"NextToken"`
	Instances  struct {
		Instance []InstanceItem `json:"Instance"`
	} `json:"Instances"`
}

// DescribeInstances lists instances; unknown or released ids are simply
// absent, never an error (§5.4).
func (s *Service) DescribeInstances(ctx context.Context, call *rpc.Call, req *DescribeInstancesRequest) (*DescribeInstancesResponse, error) {
	resp := &DescribeInstancesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Instances.Instance = []InstanceItem{}
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Count: true}
	if req.Keyset {
		q.AfterSeq, q.Limit = req.AfterSeq, req.MaxResults
		resp.PageSize = req.MaxResults
	} else {
		q.Offset, q.Limit = (req.PageNumber-1)*req.PageSize, req.PageSize
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		// Read only, into a fresh answer: no copies of the stored values.
		list, page, err := store.FindShared[cloud.Instance](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		var enis []cloud.ENI
		var eniRecs []store.Record
		if len(list) > 0 {
			ids, seqs := make([]string, len(list)), make([]int64, len(list))
			for n, i := range list {
				ids[n], seqs[n] = i.ID, page.Records[n].Seq
			}
			// With the instances' seqs, SQLite finds the ENIs a launch
			// wrote beside them without their index rows.
			var ep store.Page
			if enis, ep, err = store.FindShared[cloud.ENI](ctx, tx, store.Query{Region: q.Region, Filters: []store.Filter{store.WhereOwned("instance", ids, seqs)}, Limit: 1 << 30}); err != nil {
				return err
			}
			eniRecs = ep.Records
		}
		resp.Instances.Instance = s.items.cachedItems(call.Account, list, page.Records, enis, eniRecs)
		if err := hostAttributes(ctx, tx, resp.Instances.Instance, list); err != nil {
			return err
		}
		if req.Keyset && page.More && len(page.Records) > 0 {
			resp.NextToken = encodeNextToken(page.Records[len(page.Records)-1].Seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceStatusRequest is §5.4.
type DescribeInstanceStatusRequest struct {
	RegionID, ZoneID     string
	IDs                  []string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceStatusRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = p.String("ZoneId")
	r.IDs = p.List("InstanceId")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("InstanceId"))
	}
	r.PageNumber, r.PageSize = paging(p, 10, 50)
}

// InstanceStatusItem is one {InstanceId, Status}.
type InstanceStatusItem struct {
	InstanceID string `json:"InstanceId"`
	Status     string `json:"Status"`
}

// DescribeInstanceStatusResponse wraps InstanceStatuses.InstanceStatus[].
type DescribeInstanceStatusResponse struct {
	rpc.Base
	TotalCount       int `json:"TotalCount"`
	PageNumber       int `json:"PageNumber"`
	PageSize         int `json:"PageSize"`
	InstanceStatuses struct {
		InstanceStatus []InstanceStatusItem `json:"InstanceStatus"`
	} `json:"InstanceStatuses"`
}

// DescribeInstanceStatus lists instance statuses.
func (s *Service) DescribeInstanceStatus(ctx context.Context, call *rpc.Call, req *DescribeInstanceStatusRequest) (*DescribeInstanceStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceStatusResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.InstanceStatuses.InstanceStatus = []InstanceStatusItem{}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	if req.ZoneID != "" {
		q.Filters = []store.Filter{store.Where("zone", req.ZoneID)}
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.Instance](ctx, tx, q)
		resp.TotalCount = page.Total
		for _, i := range list {
			resp.InstanceStatuses.InstanceStatus = append(resp.InstanceStatuses.InstanceStatus, InstanceStatusItem{InstanceID: i.ID, Status: i.Status})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceAttributeRequest takes one InstanceId and no RegionId.
type DescribeInstanceAttributeRequest struct{ InstanceID string }

// Bind implements rpc.Binder.
func (r *DescribeInstanceAttributeRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
}

// DescribeInstanceAttributeResponse is the instance's fields at top level:
// the members of the official answer model, which are fewer than
// DescribeInstances' (no tags, ENIs or OS names) and spell IoOptimized as
// a string.
type DescribeInstanceAttributeResponse struct {
	rpc.Base
	InstanceID              string `json:"InstanceId"`
	InstanceName            string `json:"InstanceName"`
	Description             string `json:"Description"`
	HostName                string `json:"HostName"`
	ImageID                 string `json:"ImageId"`
	InstanceType            string `json:"InstanceType"`
	CPU                     int    `json:"Cpu"`
	Memory                  int    `json:"Memory"`
	Status                  string `json:"Status"`
	RegionID                string `json:"RegionId"`
	ZoneID                  string `json:"ZoneId"`
	InstanceNetworkType     string `json:"InstanceNetworkType"`
	InstanceChargeType      string `json:"InstanceChargeType"`
	InternetChargeType      string `json:"InternetChargeType"`
	InternetMaxBandwidthIn  int    `json:"InternetMaxBandwidthIn"`
	InternetMaxBandwidthOut int    `json:"InternetMaxBandwidthOut"`
	CreationTime            string `json:"CreationTime"`
	ExpiredTime             string `json:"ExpiredTime"`
	StoppedMode             string `json:"StoppedMode"`
	SerialNumber            string `json:"SerialNumber"`
	CreditSpecification     string `json:"CreditSpecification"`
	// IoOptimized is "optimized" or "none" here, a boolean in DescribeInstances.
	IoOptimized      string `json:"IoOptimized"`
	InnerIPAddress   IPList `json:"InnerIpAddress"`
	PublicIPAddress  IPList `json:"PublicIpAddress"`
	SecurityGroupIDs struct {
		SecurityGroupID []string `json:"SecurityGroupId"`
	} `json:"SecurityGroupIds"`
	VpcAttributes struct {
		VpcID            string `json:"VpcId"`
		VSwitchID        string `json:"VSwitchId"`
		NatIPAddress     string `json:"NatIpAddress"`
		PrivateIPAddress IPList `json:"PrivateIpAddress"`
	} `json:"VpcAttributes"`
	EipAddress struct {
		AllocationID       string `json:"AllocationId"`
		IPAddress          string `json:"IpAddress"`
		Bandwidth          int    `json:"Bandwidth"`
		InternetChargeType string `json:"InternetChargeType"`
	} `json:"EipAddress"`
	OperationLocks struct {
		LockReason []struct {
			LockReason string `json:"LockReason"`
		} `json:"LockReason"`
	} `json:"OperationLocks"`
	ClusterID              string `json:"ClusterId"`
	VlanID                 string `json:"VlanId"`
	DedicatedHostAttribute struct {
		DedicatedHostID   string `json:"DedicatedHostId"`
		DedicatedHostName string `json:"DedicatedHostName"`
	} `json:"DedicatedHostAttribute"`
}

// attributeOf narrows a DescribeInstances item to the attribute answer.
func attributeOf(it InstanceItem) *DescribeInstanceAttributeResponse {
	r := &DescribeInstanceAttributeResponse{
		InstanceID: it.InstanceID, InstanceName: it.InstanceName, Description: it.Description, HostName: it.HostName,
		ImageID: it.ImageID, InstanceType: it.InstanceType, CPU: it.CPU, Memory: it.Memory, Status: it.Status,
		RegionID: it.RegionID, ZoneID: it.ZoneID, InstanceNetworkType: it.InstanceNetworkType,
		InstanceChargeType: it.InstanceChargeType, InternetChargeType: it.InternetChargeType,
		InternetMaxBandwidthIn: it.InternetMaxBandwidthIn, InternetMaxBandwidthOut: it.InternetMaxBandwidthOut,
		CreationTime: it.CreationTime, ExpiredTime: it.ExpiredTime, StoppedMode: it.StoppedMode,
		SerialNumber: it.SerialNumber, CreditSpecification: it.CreditSpecification, IoOptimized: "none",
		InnerIPAddress: it.InnerIPAddress, PublicIPAddress: it.PublicIPAddress,
	}
	if it.IoOptimized {
		r.IoOptimized = "optimized"
	}
	r.SecurityGroupIDs.SecurityGroupID = it.SecurityGroupIDs.SecurityGroupID
	r.VpcAttributes.VpcID, r.VpcAttributes.VSwitchID = it.VpcAttributes.VpcID, it.VpcAttributes.VSwitchID
	r.VpcAttributes.NatIPAddress, r.VpcAttributes.PrivateIPAddress = it.VpcAttributes.NatIPAddress, it.VpcAttributes.PrivateIPAddress
	r.EipAddress.AllocationID, r.EipAddress.IPAddress = it.EipAddress.AllocationID, it.EipAddress.IPAddress
	r.EipAddress.Bandwidth, r.EipAddress.InternetChargeType = it.EipAddress.Bandwidth, it.EipAddress.InternetChargeType
	r.OperationLocks.LockReason = make([]struct {
		LockReason string `json:"LockReason"`
	}, 0, len(it.OperationLocks.LockReason))
	for _, l := range it.OperationLocks.LockReason {
		r.OperationLocks.LockReason = append(r.OperationLocks.LockReason, struct {
			LockReason string `json:"LockReason"`
		}{l.LockReason})
	}
	return r
}

// DescribeInstanceAttribute shows one instance; 404 once it is released.
func (s *Service) DescribeInstanceAttribute(ctx context.Context, call *rpc.Call, req *DescribeInstanceAttributeRequest) (*DescribeInstanceAttributeResponse, error) {
	var resp *DescribeInstanceAttributeResponse
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		enis, err := enisOf(ctx, tx, inst.Region, inst.ID)
		if err != nil {
			return err
		}
		resp = attributeOf(instanceItem(inst, enis[inst.ID]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
