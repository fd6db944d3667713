package ecs

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerDedicatedHosts(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "AllocateDedicatedHosts", s.AllocateDedicatedHosts)
	rpc.Handle(t, v, "ReleaseDedicatedHost", s.ReleaseDedicatedHost)
	rpc.Handle(t, v, "DescribeDedicatedHosts", s.DescribeDedicatedHosts)
	rpc.Handle(t, v, "DescribeDedicatedHostTypes", s.DescribeDedicatedHostTypes)
	rpc.Handle(t, v, "ModifyDedicatedHostAttribute", s.ModifyDedicatedHostAttribute)
	rpc.Handle(t, v, "ModifyDedicatedHostAutoReleaseTime", s.ModifyDedicatedHostAutoReleaseTime)
	rpc.Handle(t, v, "ModifyDedicatedHostAutoRenewAttribute", s.ModifyDedicatedHostAutoRenewAttribute)
	rpc.Handle(t, v, "DescribeDedicatedHostAutoRenew", s.DescribeDedicatedHostAutoRenew)
	rpc.Handle(t, v, "ModifyDedicatedHostsChargeType", s.ModifyDedicatedHostsChargeType)
	rpc.Handle(t, v, "RenewDedicatedHosts", s.RenewDedicatedHosts)
	rpc.Handle(t, v, "RedeployDedicatedHost", s.RedeployDedicatedHost)
	rpc.Handle(t, v, "CreateDedicatedHostCluster", s.CreateDedicatedHostCluster)
	rpc.Handle(t, v, "DeleteDedicatedHostCluster", s.DeleteDedicatedHostCluster)
	rpc.Handle(t, v, "DescribeDedicatedHostClusters", s.DescribeDedicatedHostClusters)
	rpc.Handle(t, v, "ModifyDedicatedHostClusterAttribute", s.ModifyDedicatedHostClusterAttribute)
}

// validHostName: empty, or 2 to 128 characters starting with a letter, not
// with http:// or https:// (the dedicated host and cluster naming rule).
func validHostName(name string) bool { return validDeploymentSetName(name) }

// tagItems answers stored tags as TagKey/TagValue pairs.
func tagItems(tags []cloud.Tag) []TagItem {
	out := []TagItem{}
	for _, t := range tags {
		out = append(out, TagItem{TagKey: t.Key, TagValue: t.Value})
	}
	return out
}

// zoneOffersFamily tells whether a zone sells some type of the family.
func (s *Service) zoneOffersFamily(zone string, families []string) bool {
	for _, t := range s.catalog.InstanceTypes() {
		if slices.Contains(families, t.InstanceTypeFamily) && s.catalog.ZoneOffers(zone, t.InstanceTypeID) {
			return true
		}
	}
	return false
}

// bindUDPTimeouts reads NetworkAttributes.* (15 to 310 seconds).
func bindUDPTimeouts(p *rpc.Params) (udp, slb *int) {
	return p.OptInt("NetworkAttributes.UdpTimeout", 15, 310), p.OptInt("NetworkAttributes.SlbUdpTimeout", 15, 310)
}

// bindRatio reads CpuOverCommitRatio (a float), nil when absent.
func bindRatio(p *rpc.Params) *float64 {
	if !p.Has("CpuOverCommitRatio") {
		return nil
	}
	v, err := strconv.ParseFloat(p.String("CpuOverCommitRatio"), 64)
	if err != nil {
		p.Fail(apierr.InvalidParameter.New("CpuOverCommitRatio"))
		return nil
	}
	return &v
}

// checkRatio refuses an overcommit ratio the host type does not offer:
// the catalogue's types allow none but 1.
func checkRatio(ht cloud.DedicatedHostType, r *float64) error {
	if r != nil && *r != 1 && !ht.SupportsRatio {
		return apierr.DedicatedHostCPURatio.New(strconv.FormatFloat(*r, 'f', -1, 64))
	}
	return nil
}

// AllocateDedicatedHostsRequest is AllocateDedicatedHosts' parameters.
type AllocateDedicatedHostsRequest struct {
	RegionID, ZoneID, Type, Name, Description, ClusterID, ResourceGroupID   string
	ActionOnMaintenance, AutoPlacement, ChargeType, PeriodUnit, AutoRelease string
	Period, AutoRenewPeriod, Quantity                                       int
	AutoRenew                                                               bool
	Ratio                                                                   *float64
	UDP, SLBUDP                                                             *int
	Tags                                                                    []rpc.Tag
	ClientToken, fingerprint                                                string
}

// Bind implements rpc.Binder.
func (r *AllocateDedicatedHostsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Type = p.Required("DedicatedHostType")
	r.ZoneID = p.String("ZoneId")
	r.Name = p.String("DedicatedHostName")
	if !validHostName(r.Name) {
		p.Fail(apierr.InvalidParameter.New("DedicatedHostName"))
	}
	r.Description = p.String("Description")
	r.ClusterID = p.String("DedicatedHostClusterId")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.ActionOnMaintenance = p.Enum("ActionOnMaintenance", "Migrate", "Migrate", "Stop")
	r.AutoPlacement = p.Enum("AutoPlacement", "on", "on", "off")
	r.ChargeType = p.Enum("ChargeType", cloud.PostPaid, cloud.PostPaid, cloud.PrePaid)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	r.Period = p.Int("Period", 1, 1, 1000)
	r.AutoRenew = p.Bool("AutoRenew", false)
	r.AutoRenewPeriod = p.Int("AutoRenewPeriod", 1, 1, 36)
	r.AutoRelease = p.String("AutoReleaseTime")
	r.Quantity = p.Int("Quantity", 1, 1, 100)
	min := p.Int("MinQuantity", 1, 1, 100)
	if min > r.Quantity && p.Err() == nil {
		p.Fail(apierr.InvalidParameter.New("MinQuantity"))
	}
	r.Ratio = bindRatio(p)
	r.UDP, r.SLBUDP = bindUDPTimeouts(p)
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// AllocateDedicatedHostsResponse names the new hosts.
type AllocateDedicatedHostsResponse struct {
	rpc.Base
	OrderID             string `json:"OrderId,omitempty"`
	DedicatedHostIDSets struct {
		DedicatedHostID []string `json:"DedicatedHostId"`
	} `json:"DedicatedHostIdSets"`
}

// AllocateDedicatedHosts stores Quantity Available hosts of one type in one zone.
func (s *Service) AllocateDedicatedHosts(ctx context.Context, call *rpc.Call, req *AllocateDedicatedHostsRequest) (*AllocateDedicatedHostsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	ht, ok := cloud.HostType(req.Type)
	if !ok {
		return nil, apierr.DedicatedHostTypeNotFound.New()
	}
	if err := checkRatio(ht, req.Ratio); err != nil {
		return nil, err
	}
	if req.ChargeType == cloud.PrePaid && !cloud.ValidPeriod(req.Period, req.PeriodUnit) {
		return nil, apierr.InvalidPeriod.New()
	}
	resp := &AllocateDedicatedHostsResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		zone := req.ZoneID
		if req.ClusterID != "" {
			c, err := store.GetIn[cloud.DedicatedHostCluster](ctx, tx, req.RegionID, req.ClusterID)
			if err != nil {
				return notFound(err, apierr.DedicatedHostClusterNotFound)
			}
			if zone == "" {
				zone = c.Zone
			} else if zone != c.Zone {
				return apierr.DedicatedHostClusterZone.New()
			}
		}
		if zone == "" {
			// The first zone of the region that sells the host type's families [choice].
			for _, z := range s.catalog.Zones(req.RegionID) {
				if s.zoneOffersFamily(z.ZoneID, ht.Families) {
					zone = z.ZoneID
					break
				}
			}
		}
		if z, ok := s.catalog.Zone(zone); !ok || z.RegionID != req.RegionID {
			return apierr.InvalidZoneID.New()
		}
		if !s.zoneOffersFamily(zone, ht.Families) {
			return apierr.InvalidInstanceTypeZone.New(zone)
		}
		var autoRelease time.Time
		if req.AutoRelease != "" {
			if req.ChargeType == cloud.PrePaid {
				return apierr.DedicatedHostAutoReleasePrePaid.New()
			}
			t, ok := cloud.ParseAPITime(req.AutoRelease)
			if !ok {
				return apierr.InvalidAutoReleaseTime.New()
			}
			if err := cloud.CheckAutoReleaseTime(t, tx.Now()); err != nil {
				return err
			}
			autoRelease = t.Truncate(time.Minute)
		}
		now := tx.Now()
		for n := 0; n < req.Quantity; n++ {
			h := cloud.DedicatedHost{ID: s.ids.ID("dh", req.RegionID), Region: req.RegionID, Zone: zone, Name: req.Name,
				Description: req.Description, Type: ht.Type, Status: cloud.HostAvailable, ClusterID: req.ClusterID,
				ChargeType: req.ChargeType, ActionOnMaintenance: req.ActionOnMaintenance, AutoPlacement: req.AutoPlacement,
				CPUOverCommitRatio: 1, UDPTimeout: 60, SLBUDPTimeout: 60, AutoRelease: autoRelease, RenewalStatus: "Normal",
				ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags), Created: now}
			if req.UDP != nil {
				h.UDPTimeout = *req.UDP
			}
			if req.SLBUDP != nil {
				h.SLBUDPTimeout = *req.SLBUDP
			}
			if req.ChargeType == cloud.PrePaid {
				h.Period, h.PeriodUnit = req.Period, req.PeriodUnit
				h.Expires = cloud.AddPeriod(now, req.Period, req.PeriodUnit)
				if req.AutoRenew {
					h.AutoRenew, h.AutoRenewPeriod, h.RenewalStatus = true, req.AutoRenewPeriod, "AutoRenewal"
				}
			}
			if err := store.Put(ctx, tx, h); err != nil {
				return err
			}
			resp.DedicatedHostIDSets.DedicatedHostID = append(resp.DedicatedHostIDSets.DedicatedHostID, h.ID)
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DedicatedHostRequest names one host.
type DedicatedHostRequest struct{ RegionID, ID string }

func (r *DedicatedHostRequest) bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("DedicatedHostId")
}

// ReleaseDedicatedHostRequest names the host.
type ReleaseDedicatedHostRequest struct{ DedicatedHostRequest }

// Bind implements rpc.Binder.
func (r *ReleaseDedicatedHostRequest) Bind(p *rpc.Params) {
	r.bind(p)
	p.Bool("TerminateSubscription", false)
}

// ReleaseDedicatedHostResponse is RequestId only.
type ReleaseDedicatedHostResponse struct{ rpc.Base }

// ReleaseDedicatedHost removes an empty pay-as-you-go or expired host.
func (s *Service) ReleaseDedicatedHost(ctx context.Context, call *rpc.Call, req *ReleaseDedicatedHostRequest) (*ReleaseDedicatedHostResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DedicatedHostNotFound)
		}
		if err := h.CheckRelease(tx.Now()); err != nil {
			return err
		}
		return store.Delete[cloud.DedicatedHost](ctx, tx, h.ID)
	})
	if err != nil {
		return nil, err
	}
	return &ReleaseDedicatedHostResponse{}, nil
}

// DescribeDedicatedHostsRequest filters the region's hosts.
type DescribeDedicatedHostsRequest struct {
	RegionID, ZoneID, Name, Type, Status, ClusterID, ResourceGroupID, LockReason string
	IDs                                                                          []string
	TagF                                                                         []store.Filter
	PageNumber, PageSize                                                         int
}

// Bind implements rpc.Binder.
func (r *DescribeDedicatedHostsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("DedicatedHostIds")
	r.ZoneID = p.String("ZoneId")
	r.Name = p.String("DedicatedHostName")
	r.Type = p.String("DedicatedHostType")
	r.Status = p.String("Status")
	r.ClusterID = p.String("DedicatedHostClusterId")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.LockReason = p.String("LockReason")
	r.TagF = tagFilters(p)
	p.Bool("QueryInventory", false)
	p.String("SocketDetails")
	p.Int("MaxResults", 0, 0, 100)
	p.String("NextToken")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// HostCapacity is a host's total and free capacity.
type HostCapacity struct {
	TotalVcpus            int     `json:"TotalVcpus"`
	AvailableVcpus        int     `json:"AvailableVcpus"`
	TotalMemory           float64 `json:"TotalMemory"`
	AvailableMemory       float64 `json:"AvailableMemory"`
	TotalLocalStorage     int     `json:"TotalLocalStorage"`
	AvailableLocalStorage int     `json:"AvailableLocalStorage"`
}

// HostInstance is one instance on a host.
type HostInstance struct {
	InstanceID   string `json:"InstanceId"`
	InstanceType string `json:"InstanceType"`
}

// DedicatedHostItem is one host as DescribeDedicatedHosts answers it.
type DedicatedHostItem struct {
	DedicatedHostID        string       `json:"DedicatedHostId"`
	DedicatedHostName      string       `json:"DedicatedHostName"`
	DedicatedHostType      string       `json:"DedicatedHostType"`
	DedicatedHostClusterID string       `json:"DedicatedHostClusterId"`
	Description            string       `json:"Description"`
	RegionID               string       `json:"RegionId"`
	ZoneID                 string       `json:"ZoneId"`
	Status                 string       `json:"Status"`
	ChargeType             string       `json:"ChargeType"`
	SaleCycle              string       `json:"SaleCycle"`
	CreationTime           string       `json:"CreationTime"`
	ExpiredTime            string       `json:"ExpiredTime"`
	AutoReleaseTime        string       `json:"AutoReleaseTime"`
	ActionOnMaintenance    string       `json:"ActionOnMaintenance"`
	AutoPlacement          string       `json:"AutoPlacement"`
	CPUOverCommitRatio     float64      `json:"CpuOverCommitRatio"`
	Sockets                int          `json:"Sockets"`
	Cores                  int          `json:"Cores"`
	PhysicalGpus           int          `json:"PhysicalGpus"`
	GPUSpec                string       `json:"GPUSpec"`
	ResourceGroupID        string       `json:"ResourceGroupId"`
	Capacity               HostCapacity `json:"Capacity"`
	NetworkAttributes      struct {
		UDPTimeout    int `json:"UdpTimeout"`
		SLBUDPTimeout int `json:"SlbUdpTimeout"`
	} `json:"NetworkAttributes"`
	Instances struct {
		Instance []HostInstance `json:"Instance"`
	} `json:"Instances"`
	SupportedInstanceTypeFamilies struct {
		SupportedInstanceTypeFamily []string `json:"SupportedInstanceTypeFamily"`
	} `json:"SupportedInstanceTypeFamilies"`
	OperationLocks struct {
		OperationLock []struct{} `json:"OperationLock"`
	} `json:"OperationLocks"`
	Tags struct {
		Tag []TagItem `json:"Tag"`
	} `json:"Tags"`
}

// DescribeDedicatedHostsResponse pages DedicatedHosts.DedicatedHost[].
type DescribeDedicatedHostsResponse struct {
	rpc.Base
	TotalCount     int `json:"TotalCount"`
	PageNumber     int `json:"PageNumber"`
	PageSize       int `json:"PageSize"`
	DedicatedHosts struct {
		DedicatedHost []DedicatedHostItem `json:"DedicatedHost"`
	} `json:"DedicatedHosts"`
}

// hostItem answers one stored host.
func hostItem(h cloud.DedicatedHost) DedicatedHostItem {
	ht, _ := cloud.HostType(h.Type)
	vcpus, mem := h.Used()
	item := DedicatedHostItem{DedicatedHostID: h.ID, DedicatedHostName: h.Name, DedicatedHostType: h.Type,
		DedicatedHostClusterID: h.ClusterID, Description: h.Description, RegionID: h.Region, ZoneID: h.Zone,
		Status: h.Status, ChargeType: h.ChargeType, SaleCycle: h.PeriodUnit, CreationTime: apiTime(h.Created),
		ActionOnMaintenance: h.ActionOnMaintenance, AutoPlacement: h.AutoPlacement, CPUOverCommitRatio: h.CPUOverCommitRatio,
		Sockets: ht.Sockets, Cores: ht.Cores, ResourceGroupID: h.ResourceGroup,
		Capacity: HostCapacity{TotalVcpus: ht.TotalVcpus, AvailableVcpus: ht.TotalVcpus - vcpus,
			TotalMemory: ht.MemoryGiB, AvailableMemory: ht.MemoryGiB - mem}}
	if !h.Expires.IsZero() {
		item.ExpiredTime = apiTime(h.Expires)
	}
	if !h.AutoRelease.IsZero() {
		item.AutoReleaseTime = apiTime(h.AutoRelease)
	}
	item.NetworkAttributes.UDPTimeout, item.NetworkAttributes.SLBUDPTimeout = h.UDPTimeout, h.SLBUDPTimeout
	item.Instances.Instance = []HostInstance{}
	for _, m := range h.Instances {
		item.Instances.Instance = append(item.Instances.Instance, HostInstance{InstanceID: m.ID, InstanceType: m.Type})
	}
	item.SupportedInstanceTypeFamilies.SupportedInstanceTypeFamily = slices.Clone(ht.Families)
	item.OperationLocks.OperationLock = []struct{}{}
	item.Tags.Tag = tagItems(h.Tags)
	return item
}

// DescribeDedicatedHosts lists the region's hosts with their capacity.
func (s *Service) DescribeDedicatedHosts(ctx context.Context, call *rpc.Call, req *DescribeDedicatedHostsRequest) (*DescribeDedicatedHostsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	for idx, v := range map[cloud.IndexName]string{cloud.IdxZone: req.ZoneID, cloud.IdxName: req.Name, cloud.IdxType: req.Type,
		cloud.IdxStatus: req.Status, cloud.IdxDedicatedHostCluster: req.ClusterID, cloud.IdxResourceGroup: req.ResourceGroupID} {
		if v != "" {
			q.Filters = append(q.Filters, store.Where(string(idx), v))
		}
	}
	q.Filters = append(q.Filters, req.TagF...)
	resp := &DescribeDedicatedHostsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.DedicatedHosts.DedicatedHost = []DedicatedHostItem{}
	if req.LockReason != "" {
		return resp, nil // hosts are never locked here
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.DedicatedHost](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, h := range list {
			resp.DedicatedHosts.DedicatedHost = append(resp.DedicatedHosts.DedicatedHost, hostItem(h))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeDedicatedHostTypesRequest filters the catalogue.
type DescribeDedicatedHostTypesRequest struct{ RegionID, Type, Family string }

// Bind implements rpc.Binder.
func (r *DescribeDedicatedHostTypesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Type = p.String("DedicatedHostType")
	r.Family = p.String("SupportedInstanceTypeFamily")
}

// DedicatedHostTypeItem is one catalogue entry.
type DedicatedHostTypeItem struct {
	DedicatedHostType             string  `json:"DedicatedHostType"`
	Sockets                       int     `json:"Sockets"`
	Cores                         int     `json:"Cores"`
	TotalVcpus                    int     `json:"TotalVcpus"`
	MemorySize                    float64 `json:"MemorySize"`
	PhysicalGpus                  int     `json:"PhysicalGpus"`
	TotalVgpus                    int     `json:"TotalVgpus"`
	GPUSpec                       string  `json:"GPUSpec"`
	LocalStorageAmount            int     `json:"LocalStorageAmount"`
	LocalStorageCapacity          int64   `json:"LocalStorageCapacity"`
	LocalStorageCategory          string  `json:"LocalStorageCategory"`
	SupportCPUOverCommitRatio     bool    `json:"SupportCpuOverCommitRatio"`
	CPUOverCommitRatioRange       string  `json:"CpuOverCommitRatioRange"`
	SupportedInstanceTypeFamilies struct {
		SupportedInstanceTypeFamily []string `json:"SupportedInstanceTypeFamily"`
	} `json:"SupportedInstanceTypeFamilies"`
	SupportedInstanceTypesList struct {
		SupportedInstanceTypesList []string `json:"SupportedInstanceTypesList"`
	} `json:"SupportedInstanceTypesList"`
}

// DescribeDedicatedHostTypesResponse lists DedicatedHostTypes.DedicatedHostType[].
type DescribeDedicatedHostTypesResponse struct {
	rpc.Base
	DedicatedHostTypes struct {
		DedicatedHostType []DedicatedHostTypeItem `json:"DedicatedHostType"`
	} `json:"DedicatedHostTypes"`
}

// DescribeDedicatedHostTypes answers the catalogue of host types.
func (s *Service) DescribeDedicatedHostTypes(_ context.Context, _ *rpc.Call, req *DescribeDedicatedHostTypesRequest) (*DescribeDedicatedHostTypesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeDedicatedHostTypesResponse{}
	resp.DedicatedHostTypes.DedicatedHostType = []DedicatedHostTypeItem{}
	for _, ht := range cloud.DedicatedHostTypes {
		if req.Type != "" && req.Type != ht.Type || req.Family != "" && !slices.Contains(ht.Families, req.Family) {
			continue
		}
		item := DedicatedHostTypeItem{DedicatedHostType: ht.Type, Sockets: ht.Sockets, Cores: ht.Cores, TotalVcpus: ht.TotalVcpus,
			MemorySize: ht.MemoryGiB, SupportCPUOverCommitRatio: ht.SupportsRatio}
		item.SupportedInstanceTypeFamilies.SupportedInstanceTypeFamily = slices.Clone(ht.Families)
		item.SupportedInstanceTypesList.SupportedInstanceTypesList = []string{}
		for _, t := range s.catalog.InstanceTypes() {
			if slices.Contains(ht.Families, t.InstanceTypeFamily) {
				item.SupportedInstanceTypesList.SupportedInstanceTypesList = append(item.SupportedInstanceTypesList.SupportedInstanceTypesList, t.InstanceTypeID)
			}
		}
		resp.DedicatedHostTypes.DedicatedHostType = append(resp.DedicatedHostTypes.DedicatedHostType, item)
	}
	return resp, nil
}

// ModifyDedicatedHostAttributeRequest changes what is set.
type ModifyDedicatedHostAttributeRequest struct {
	DedicatedHostRequest
	Name, Description, ActionOnMaintenance, AutoPlacement, ClusterID *string
	Ratio                                                            *float64
	UDP, SLBUDP                                                      *int
}

// Bind implements rpc.Binder.
func (r *ModifyDedicatedHostAttributeRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Name = optString(p, "DedicatedHostName")
	if r.Name != nil && !validHostName(*r.Name) {
		p.Fail(apierr.InvalidParameter.New("DedicatedHostName"))
	}
	r.Description = optString(p, "Description")
	if p.Has("ActionOnMaintenance") {
		v := p.Enum("ActionOnMaintenance", "", "Migrate", "Stop")
		r.ActionOnMaintenance = &v
	}
	if p.Has("AutoPlacement") {
		v := p.Enum("AutoPlacement", "", "on", "off")
		r.AutoPlacement = &v
	}
	r.ClusterID = optString(p, "DedicatedHostClusterId")
	r.Ratio = bindRatio(p)
	r.UDP, r.SLBUDP = bindUDPTimeouts(p)
}

// ModifyDedicatedHostAttributeResponse is RequestId only.
type ModifyDedicatedHostAttributeResponse struct{ rpc.Base }

// ModifyDedicatedHostAttribute changes names, policies and the cluster.
func (s *Service) ModifyDedicatedHostAttribute(ctx context.Context, call *rpc.Call, req *ModifyDedicatedHostAttributeRequest) (*ModifyDedicatedHostAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DedicatedHostNotFound)
		}
		ht, _ := cloud.HostType(h.Type)
		if err := checkRatio(ht, req.Ratio); err != nil {
			return err
		}
		if req.ClusterID != nil && *req.ClusterID != "" {
			c, err := store.GetIn[cloud.DedicatedHostCluster](ctx, tx, req.RegionID, *req.ClusterID)
			if err != nil {
				return notFound(err, apierr.DedicatedHostClusterNotFound)
			}
			if c.Zone != h.Zone {
				return apierr.DedicatedHostClusterZone.New()
			}
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&h.Name, req.Name)
		set(&h.Description, req.Description)
		set(&h.ActionOnMaintenance, req.ActionOnMaintenance)
		set(&h.AutoPlacement, req.AutoPlacement)
		set(&h.ClusterID, req.ClusterID)
		if req.UDP != nil {
			h.UDPTimeout = *req.UDP
		}
		if req.SLBUDP != nil {
			h.SLBUDPTimeout = *req.SLBUDP
		}
		return store.Put(ctx, tx, h)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyDedicatedHostAttributeResponse{}, nil
}

// ModifyDedicatedHostAutoReleaseTimeRequest sets or (empty) cancels the time.
type ModifyDedicatedHostAutoReleaseTimeRequest struct {
	DedicatedHostRequest
	AutoRelease string
}

// Bind implements rpc.Binder.
func (r *ModifyDedicatedHostAutoReleaseTimeRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.AutoRelease = p.String("AutoReleaseTime")
}

// ModifyDedicatedHostAutoReleaseTimeResponse is RequestId only.
type ModifyDedicatedHostAutoReleaseTimeResponse struct{ rpc.Base }

// ModifyDedicatedHostAutoReleaseTime schedules the release of a
// pay-as-you-go host; it happens when the host then holds no instance.
func (s *Service) ModifyDedicatedHostAutoReleaseTime(ctx context.Context, call *rpc.Call, req *ModifyDedicatedHostAutoReleaseTimeRequest) (*ModifyDedicatedHostAutoReleaseTimeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DedicatedHostNotFound)
		}
		if h.ChargeType != cloud.PostPaid {
			return apierr.DedicatedHostAutoReleasePrePaid.New()
		}
		h.AutoRelease = time.Time{}
		if req.AutoRelease != "" {
			t, ok := cloud.ParseAPITime(req.AutoRelease)
			if !ok {
				return apierr.InvalidAutoReleaseTime.New()
			}
			if err := cloud.CheckAutoReleaseTime(t, tx.Now()); err != nil {
				return err
			}
			h.AutoRelease = t.Truncate(time.Minute)
		}
		return store.Put(ctx, tx, h)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyDedicatedHostAutoReleaseTimeResponse{}, nil
}

// hostsOf reads the hosts a DedicatedHostIds list (comma-separated or a
// JSON array) names, refusing an unknown one.
func hostsOf(ctx context.Context, tx store.Tx, region string, ids []string) ([]cloud.DedicatedHost, error) {
	out := make([]cloud.DedicatedHost, 0, len(ids))
	for _, id := range ids {
		h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, region, id)
		if err != nil {
			return nil, notFound(err, apierr.DedicatedHostNotFound)
		}
		out = append(out, h)
	}
	return out, nil
}

// hostIDList reads DedicatedHostIds: a JSON array or comma-separated ids.
func hostIDList(p *rpc.Params, required bool) []string {
	var raw string
	if required {
		raw = p.Required("DedicatedHostIds")
	} else {
		raw = p.String("DedicatedHostIds")
	}
	if strings.HasPrefix(strings.TrimSpace(raw), "[") {
		return p.JSONList("DedicatedHostIds")
	}
	var out []string
	for _, id := range strings.Split(raw, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// ModifyDedicatedHostAutoRenewAttributeRequest sets the hosts' renewal.
type ModifyDedicatedHostAutoRenewAttributeRequest struct {
	RegionID, PeriodUnit, RenewalStatus, WithEcs string
	IDs                                          []string
	AutoRenew                                    *bool
	Duration                                     int
}

// Bind implements rpc.Binder.
func (r *ModifyDedicatedHostAutoRenewAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = hostIDList(p, true)
	r.AutoRenew = p.OptBool("AutoRenew")
	r.Duration = p.Int("Duration", 0, 1, 36)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	r.RenewalStatus = p.Enum("RenewalStatus", "", "AutoRenewal", "Normal", "NotRenewal")
	r.WithEcs = p.Enum("AutoRenewWithEcs", "", "StopRenewWithEcs", "AutoRenewWithEcs")
}

// ModifyDedicatedHostAutoRenewAttributeResponse is RequestId only.
type ModifyDedicatedHostAutoRenewAttributeResponse struct{ rpc.Base }

// ModifyDedicatedHostAutoRenewAttribute sets the renewal of subscription hosts.
func (s *Service) ModifyDedicatedHostAutoRenewAttribute(ctx context.Context, call *rpc.Call, req *ModifyDedicatedHostAutoRenewAttributeRequest) (*ModifyDedicatedHostAutoRenewAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		hosts, err := hostsOf(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, h := range hosts {
			if h.ChargeType != cloud.PrePaid {
				return apierr.DedicatedHostChargeTypeViolation.New()
			}
			status := req.RenewalStatus
			if status == "" && req.AutoRenew != nil {
				status = map[bool]string{true: "AutoRenewal", false: "Normal"}[*req.AutoRenew]
			}
			if status != "" {
				h.RenewalStatus = status
				h.AutoRenew = status == "AutoRenewal"
			}
			if h.AutoRenew && req.Duration == 0 && h.AutoRenewPeriod == 0 {
				return apierr.MissingParameter.New("Duration")
			}
			if req.Duration > 0 {
				h.AutoRenewPeriod = req.Duration
				h.PeriodUnit = req.PeriodUnit
			}
			if req.WithEcs != "" {
				h.AutoRenewWithEcs = req.WithEcs
			}
			if err := store.Put(ctx, tx, h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ModifyDedicatedHostAutoRenewAttributeResponse{}, nil
}

// DescribeDedicatedHostAutoRenewRequest names the hosts.
type DescribeDedicatedHostAutoRenewRequest struct {
	RegionID string
	IDs      []string
}

// Bind implements rpc.Binder.
func (r *DescribeDedicatedHostAutoRenewRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = hostIDList(p, true)
}

// HostRenewItem is one host's renewal.
type HostRenewItem struct {
	DedicatedHostID  string `json:"DedicatedHostId"`
	AutoRenewEnabled bool   `json:"AutoRenewEnabled"`
	AutoRenewWithEcs string `json:"AutoRenewWithEcs"`
	Duration         int    `json:"Duration"`
	PeriodUnit       string `json:"PeriodUnit"`
	RenewalStatus    string `json:"RenewalStatus"`
}

// DescribeDedicatedHostAutoRenewResponse lists the renewals.
type DescribeDedicatedHostAutoRenewResponse struct {
	rpc.Base
	DedicatedHostRenewAttributes struct {
		DedicatedHostRenewAttribute []HostRenewItem `json:"DedicatedHostRenewAttribute"`
	} `json:"DedicatedHostRenewAttributes"`
}

// DescribeDedicatedHostAutoRenew answers each named host's renewal.
func (s *Service) DescribeDedicatedHostAutoRenew(ctx context.Context, call *rpc.Call, req *DescribeDedicatedHostAutoRenewRequest) (*DescribeDedicatedHostAutoRenewResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeDedicatedHostAutoRenewResponse{}
	resp.DedicatedHostRenewAttributes.DedicatedHostRenewAttribute = []HostRenewItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		hosts, err := hostsOf(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, h := range hosts {
			resp.DedicatedHostRenewAttributes.DedicatedHostRenewAttribute = append(resp.DedicatedHostRenewAttributes.DedicatedHostRenewAttribute,
				HostRenewItem{DedicatedHostID: h.ID, AutoRenewEnabled: h.AutoRenew, AutoRenewWithEcs: h.AutoRenewWithEcs,
					Duration: h.AutoRenewPeriod, PeriodUnit: h.PeriodUnit, RenewalStatus: h.RenewalStatus})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyDedicatedHostsChargeTypeRequest switches hosts' billing.
type ModifyDedicatedHostsChargeTypeRequest struct {
	RegionID, ChargeType, PeriodUnit string
	IDs                              []string
	Period                           int
	DryRun                           bool
	ClientToken, fingerprint         string
}

// Bind implements rpc.Binder.
func (r *ModifyDedicatedHostsChargeTypeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = hostIDList(p, true)
	r.ChargeType = p.Enum("DedicatedHostChargeType", cloud.PrePaid, cloud.PrePaid, cloud.PostPaid)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	r.Period = p.Int("Period", 1, 1, 1000)
	p.Bool("AutoPay", true)
	p.Bool("DetailFee", false)
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// ModifyDedicatedHostsChargeTypeResponse carries the (free) order.
type ModifyDedicatedHostsChargeTypeResponse struct {
	rpc.Base
	OrderID        string `json:"OrderId"`
	FeeOfInstances struct {
		FeeOfInstance []struct{} `json:"FeeOfInstance"`
	} `json:"FeeOfInstances"`
}

// ModifyDedicatedHostsChargeType turns hosts to subscription or back.
func (s *Service) ModifyDedicatedHostsChargeType(ctx context.Context, call *rpc.Call, req *ModifyDedicatedHostsChargeTypeRequest) (*ModifyDedicatedHostsChargeTypeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.ChargeType == cloud.PrePaid && !cloud.ValidPeriod(req.Period, req.PeriodUnit) {
		return nil, apierr.InvalidPeriod.New()
	}
	resp := &ModifyDedicatedHostsChargeTypeResponse{}
	resp.FeeOfInstances.FeeOfInstance = []struct{}{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		hosts, err := hostsOf(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, h := range hosts {
			if h.ChargeType == req.ChargeType {
				return apierr.DedicatedHostChargeTypeViolation.New()
			}
		}
		if req.DryRun {
			return dryRun()
		}
		now := tx.Now()
		for _, h := range hosts {
			h.ChargeType = req.ChargeType
			if req.ChargeType == cloud.PrePaid {
				h.Period, h.PeriodUnit, h.Expires, h.AutoRelease = req.Period, req.PeriodUnit, cloud.AddPeriod(now, req.Period, req.PeriodUnit), time.Time{}
			} else {
				h.Period, h.PeriodUnit, h.Expires, h.AutoRenew, h.AutoRenewPeriod, h.RenewalStatus = 0, "", time.Time{}, false, 0, "Normal"
			}
			if err := store.Put(ctx, tx, h); err != nil {
				return err
			}
		}
		resp.OrderID = s.ids.Digits(15)
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RenewDedicatedHostsRequest extends subscriptions.
type RenewDedicatedHostsRequest struct {
	RegionID, PeriodUnit     string
	IDs                      []string
	Period                   int
	ClientToken, fingerprint string
}

// Bind implements rpc.Binder.
func (r *RenewDedicatedHostsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = hostIDList(p, true)
	p.Required("Period")
	r.Period = p.Int("Period", 1, 1, 1000)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// RenewDedicatedHostsResponse carries the (free) order.
type RenewDedicatedHostsResponse struct {
	rpc.Base
	OrderID string `json:"OrderId"`
}

// RenewDedicatedHosts moves each subscription host's expiry by the period.
func (s *Service) RenewDedicatedHosts(ctx context.Context, call *rpc.Call, req *RenewDedicatedHostsRequest) (*RenewDedicatedHostsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if !cloud.ValidPeriod(req.Period, req.PeriodUnit) {
		return nil, apierr.InvalidPeriod.New()
	}
	resp := &RenewDedicatedHostsResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		hosts, err := hostsOf(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, h := range hosts {
			if h.ChargeType != cloud.PrePaid {
				return apierr.DedicatedHostChargeTypeViolation.New()
			}
			from := h.Expires
			if now := tx.Now(); from.Before(now) {
				from = now
			}
			h.Expires = cloud.AddPeriod(from, req.Period, req.PeriodUnit)
			if err := store.Put(ctx, tx, h); err != nil {
				return err
			}
		}
		resp.OrderID = s.ids.Digits(15)
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RedeployDedicatedHostRequest names the host.
type RedeployDedicatedHostRequest struct{ DedicatedHostRequest }

// Bind implements rpc.Binder.
func (r *RedeployDedicatedHostRequest) Bind(p *rpc.Params) {
	r.bind(p)
	p.Enum("MigrationType", "stop", "stop", "reboot")
}

// RedeployDedicatedHostResponse is RequestId only.
type RedeployDedicatedHostResponse struct{ rpc.Base }

// RedeployDedicatedHost moves a failing host's instances to new hardware.
// Only a host UnderAssessment is redeployed; hosts here never fail, so an
// Available host is refused, as the cloud refuses it.
func (s *Service) RedeployDedicatedHost(ctx context.Context, call *rpc.Call, req *RedeployDedicatedHostRequest) (*RedeployDedicatedHostResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DedicatedHostNotFound)
		}
		if h.Status != cloud.HostUnderAssessment {
			return apierr.IncorrectHostStatus.New()
		}
		h.Status = cloud.HostAvailable
		return store.Put(ctx, tx, h)
	})
	if err != nil {
		return nil, err
	}
	return &RedeployDedicatedHostResponse{}, nil
}

// CreateDedicatedHostClusterRequest is CreateDedicatedHostCluster's parameters.
type CreateDedicatedHostClusterRequest struct {
	RegionID, ZoneID, Name, Description, ResourceGroupID string
	Tags                                                 []rpc.Tag
	DryRun                                               bool
}

// Bind implements rpc.Binder.
func (r *CreateDedicatedHostClusterRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = p.Required("ZoneId")
	r.Name = p.String("DedicatedHostClusterName")
	if !validHostName(r.Name) {
		p.Fail(apierr.InvalidParameter.New("DedicatedHostClusterName"))
	}
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.DryRun = p.Bool("DryRun", false)
}

// CreateDedicatedHostClusterResponse names the cluster.
type CreateDedicatedHostClusterResponse struct {
	rpc.Base
	DedicatedHostClusterID string `json:"DedicatedHostClusterId"`
}

// CreateDedicatedHostCluster stores an empty cluster in a zone.
func (s *Service) CreateDedicatedHostCluster(ctx context.Context, call *rpc.Call, req *CreateDedicatedHostClusterRequest) (*CreateDedicatedHostClusterResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if z, ok := s.catalog.Zone(req.ZoneID); !ok || z.RegionID != req.RegionID {
		return nil, apierr.InvalidZoneID.New()
	}
	if req.DryRun {
		return nil, dryRun()
	}
	resp := &CreateDedicatedHostClusterResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c := cloud.DedicatedHostCluster{ID: s.ids.ID("dc", req.RegionID), Region: req.RegionID, Zone: req.ZoneID, Name: req.Name,
			Description: req.Description, ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
			Tags: cloudTags(req.Tags), Created: tx.Now()}
		resp.DedicatedHostClusterID = c.ID
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteDedicatedHostClusterRequest names the cluster.
type DeleteDedicatedHostClusterRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *DeleteDedicatedHostClusterRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("DedicatedHostClusterId")
}

// DeleteDedicatedHostClusterResponse is RequestId only.
type DeleteDedicatedHostClusterResponse struct{ rpc.Base }

// DeleteDedicatedHostCluster removes a cluster that holds no host.
func (s *Service) DeleteDedicatedHostCluster(ctx context.Context, call *rpc.Call, req *DeleteDedicatedHostClusterRequest) (*DeleteDedicatedHostClusterResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := store.GetIn[cloud.DedicatedHostCluster](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DedicatedHostClusterNotFound)
		}
		hosts, err := store.All[cloud.DedicatedHost](ctx, tx, req.RegionID, store.Where(string(cloud.IdxDedicatedHostCluster), c.ID))
		if err != nil {
			return err
		}
		if len(hosts) > 0 {
			return apierr.DedicatedHostClusterHasHosts.New()
		}
		return store.Delete[cloud.DedicatedHostCluster](ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteDedicatedHostClusterResponse{}, nil
}

// DescribeDedicatedHostClustersRequest filters the region's clusters.
type DescribeDedicatedHostClustersRequest struct {
	RegionID, ZoneID, Name, ResourceGroupID, LockReason, Status string
	IDs                                                         []string
	TagF                                                        []store.Filter
	PageNumber, PageSize                                        int
}

// Bind implements rpc.Binder.
func (r *DescribeDedicatedHostClustersRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("DedicatedHostClusterIds")
	r.ZoneID = p.String("ZoneId")
	r.Name = p.String("DedicatedHostClusterName")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.LockReason = p.String("LockReason")
	r.Status = p.String("Status")
	r.TagF = tagFilters(p)
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// HostClusterCapacity is the sum of a cluster's hosts.
type HostClusterCapacity struct {
	TotalVcpus      int `json:"TotalVcpus"`
	AvailableVcpus  int `json:"AvailableVcpus"`
	TotalMemory     int `json:"TotalMemory"`
	AvailableMemory int `json:"AvailableMemory"`
}

// DedicatedHostClusterItem is one cluster.
type DedicatedHostClusterItem struct {
	DedicatedHostClusterID       string              `json:"DedicatedHostClusterId"`
	DedicatedHostClusterName     string              `json:"DedicatedHostClusterName"`
	Description                  string              `json:"Description"`
	RegionID                     string              `json:"RegionId"`
	ZoneID                       string              `json:"ZoneId"`
	ResourceGroupID              string              `json:"ResourceGroupId"`
	DedicatedHostClusterCapacity HostClusterCapacity `json:"DedicatedHostClusterCapacity"`
	DedicatedHostIDs             struct {
		DedicatedHostID []string `json:"DedicatedHostId"`
	} `json:"DedicatedHostIds"`
	Tags struct {
		Tag []TagItem `json:"Tag"`
	} `json:"Tags"`
}

// DescribeDedicatedHostClustersResponse pages DedicatedHostClusters.DedicatedHostCluster[].
type DescribeDedicatedHostClustersResponse struct {
	rpc.Base
	TotalCount            int `json:"TotalCount"`
	PageNumber            int `json:"PageNumber"`
	PageSize              int `json:"PageSize"`
	DedicatedHostClusters struct {
		DedicatedHostCluster []DedicatedHostClusterItem `json:"DedicatedHostCluster"`
	} `json:"DedicatedHostClusters"`
}

// DescribeDedicatedHostClusters lists clusters with their hosts and capacity.
func (s *Service) DescribeDedicatedHostClusters(ctx context.Context, call *rpc.Call, req *DescribeDedicatedHostClustersRequest) (*DescribeDedicatedHostClustersResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	for idx, v := range map[cloud.IndexName]string{cloud.IdxZone: req.ZoneID, cloud.IdxName: req.Name, cloud.IdxResourceGroup: req.ResourceGroupID} {
		if v != "" {
			q.Filters = append(q.Filters, store.Where(string(idx), v))
		}
	}
	q.Filters = append(q.Filters, req.TagF...)
	resp := &DescribeDedicatedHostClustersResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.DedicatedHostClusters.DedicatedHostCluster = []DedicatedHostClusterItem{}
	if req.LockReason != "" || req.Status != "" && req.Status != "Available" {
		return resp, nil // clusters are always Available and never locked here
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.DedicatedHostCluster](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, c := range list {
			item := DedicatedHostClusterItem{DedicatedHostClusterID: c.ID, DedicatedHostClusterName: c.Name, Description: c.Description,
				RegionID: c.Region, ZoneID: c.Zone, ResourceGroupID: c.ResourceGroup}
			item.DedicatedHostIDs.DedicatedHostID = []string{}
			hosts, err := store.All[cloud.DedicatedHost](ctx, tx, req.RegionID, store.Where(string(cloud.IdxDedicatedHostCluster), c.ID))
			if err != nil {
				return err
			}
			for _, h := range hosts {
				ht, _ := cloud.HostType(h.Type)
				vcpus, mem := h.Used()
				item.DedicatedHostIDs.DedicatedHostID = append(item.DedicatedHostIDs.DedicatedHostID, h.ID)
				cp := &item.DedicatedHostClusterCapacity
				cp.TotalVcpus += ht.TotalVcpus
				cp.AvailableVcpus += ht.TotalVcpus - vcpus
				cp.TotalMemory += int(ht.MemoryGiB)
				cp.AvailableMemory += int(ht.MemoryGiB - mem)
			}
			item.Tags.Tag = tagItems(c.Tags)
			resp.DedicatedHostClusters.DedicatedHostCluster = append(resp.DedicatedHostClusters.DedicatedHostCluster, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyDedicatedHostClusterAttributeRequest renames or redescribes a cluster.
type ModifyDedicatedHostClusterAttributeRequest struct {
	RegionID, ID      string
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifyDedicatedHostClusterAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("DedicatedHostClusterId")
	r.Name = optString(p, "DedicatedHostClusterName")
	if r.Name != nil && !validHostName(*r.Name) {
		p.Fail(apierr.InvalidParameter.New("DedicatedHostClusterName"))
	}
	r.Description = optString(p, "Description")
}

// ModifyDedicatedHostClusterAttributeResponse is RequestId only.
type ModifyDedicatedHostClusterAttributeResponse struct{ rpc.Base }

// ModifyDedicatedHostClusterAttribute changes the name or description.
func (s *Service) ModifyDedicatedHostClusterAttribute(ctx context.Context, call *rpc.Call, req *ModifyDedicatedHostClusterAttributeRequest) (*ModifyDedicatedHostClusterAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := store.GetIn[cloud.DedicatedHostCluster](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.DedicatedHostClusterNotFound)
		}
		rename(&c.Name, &c.Description, req.Name, req.Description)
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyDedicatedHostClusterAttributeResponse{}, nil
}

// HostAttribute is DescribeInstances' DedicatedHostAttribute.
type HostAttribute struct {
	DedicatedHostID        string `json:"DedicatedHostId"`
	DedicatedHostName      string `json:"DedicatedHostName"`
	DedicatedHostClusterID string `json:"DedicatedHostClusterId"`
}

// hostAttributes fills the DedicatedHostAttribute of the instances on hosts.
func hostAttributes(ctx context.Context, tx store.Tx, items []InstanceItem, list []cloud.Instance) error {
	for n, i := range list {
		if i.DedicatedHostID == "" {
			continue
		}
		attr := &HostAttribute{DedicatedHostID: i.DedicatedHostID}
		h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, i.Region, i.DedicatedHostID)
		switch {
		case err == nil:
			attr.DedicatedHostName, attr.DedicatedHostClusterID = h.Name, h.ClusterID
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		items[n].DedicatedHostAttribute = attr
	}
	return nil
}

// checkHostLaunch checks a launch onto a dedicated host before anything is
// made (a DryRun too): the host exists, is in the vSwitch's zone, bills like
// the instance, serves the type and has room for one instance of it.
func checkHostLaunch(ctx context.Context, tx store.Tx, l *launchParams, zone string, itype cloud.InstanceType) error {
	if l.DedicatedHostID == "" {
		return nil
	}
	h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, l.RegionID, l.DedicatedHostID)
	if err != nil {
		return notFound(err, apierr.DedicatedHostNotFoundLaunch)
	}
	if h.Zone != zone {
		return apierr.DedicatedHostZoneMismatch.New()
	}
	if l.ChargeType == cloud.PrePaid && h.ChargeType == cloud.PostPaid {
		return apierr.PrePaidOnPostPaidDedicatedHost.New()
	}
	_, err = h.Place(itype, "")
	return err
}

// placeOnHost puts every instance of a launch on its dedicated host, all
// within the host's free vCPUs and memory, or none is made.
func placeOnHost(ctx context.Context, tx store.Tx, base cloud.Launch, ids []string) error {
	if base.DedicatedHostID == "" {
		return nil
	}
	h, err := store.GetIn[cloud.DedicatedHost](ctx, tx, base.Region, base.DedicatedHostID)
	if err != nil {
		return notFound(err, apierr.DedicatedHostNotFoundLaunch)
	}
	if h, err = h.Place(base.Type, ids...); err != nil {
		return err
	}
	return store.Put(ctx, tx, h)
}
