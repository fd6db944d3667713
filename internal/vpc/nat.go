package vpc

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerNat adds the NAT gateway actions and their SNAT and DNAT entries.
func (s *Service) registerNat(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateNatGateway", s.CreateNatGateway)
	rpc.Handle(t, v, "DescribeNatGateways", s.DescribeNatGateways)
	rpc.Handle(t, v, "ModifyNatGatewayAttribute", s.ModifyNatGatewayAttribute)
	rpc.Handle(t, v, "DeleteNatGateway", s.DeleteNatGateway)
	rpc.Handle(t, v, "CreateSnatEntry", s.CreateSnatEntry)
	rpc.Handle(t, v, "DescribeSnatTableEntries", s.DescribeSnatTableEntries)
	rpc.Handle(t, v, "ModifySnatEntry", s.ModifySnatEntry)
	rpc.Handle(t, v, "DeleteSnatEntry", s.DeleteSnatEntry)
	rpc.Handle(t, v, "CreateForwardEntry", s.CreateForwardEntry)
	rpc.Handle(t, v, "DescribeForwardTableEntries", s.DescribeForwardTableEntries)
	rpc.Handle(t, v, "ModifyForwardEntry", s.ModifyForwardEntry)
	rpc.Handle(t, v, "DeleteForwardEntry", s.DeleteForwardEntry)
}

// Enhanced is the only NatType sold today (Normal gateways can no longer be
// bought).
const natEnhanced = "Enhanced"

// CreateNatGatewayRequest is VPC CreateNatGateway.
type CreateNatGatewayRequest struct {
	RegionID, VpcID, VSwitchID, Name, Description, NatType, NetworkType string
	InstanceChargeType, InternetChargeType, Spec, EipBindMode           string
	ClientToken                                                         string
	IcmpReplyEnabled                                                    bool
	Tags                                                                []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateNatGatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VpcID = p.Required("VpcId")
	// An enhanced gateway lives in a vSwitch, so VSwitchId is required here.
	r.VSwitchID = p.Required("VSwitchId")
	r.NatType = p.Enum("NatType", natEnhanced, natEnhanced)
	r.NetworkType = p.Enum("NetworkType", "internet", "internet", "intranet")
	r.InstanceChargeType = p.Enum("InstanceChargeType", cloud.PostPaid, cloud.PostPaid)
	r.InternetChargeType = p.Enum("InternetChargeType", "PayByLcu", "PayByLcu", "PayBySpec")
	r.Spec = p.String("Spec")
	r.EipBindMode = p.Enum("EipBindMode", "MULTI_BINDED", "MULTI_BINDED", "NAT")
	r.IcmpReplyEnabled = p.Bool("IcmpReplyEnabled", true)
	r.Name = p.String("Name")
	r.Description = p.String("Description")
	r.Tags = tagging.BindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
}

// CreateNatGatewayResponse carries the gateway and its tables.
type CreateNatGatewayResponse struct {
	rpc.Base
	NatGatewayID string `json:"NatGatewayId"`
	SnatTableIDs struct {
		SnatTableID []string `json:"SnatTableId"`
	} `json:"SnatTableIds"`
	ForwardTableIDs struct {
		ForwardTableID []string `json:"ForwardTableId"`
	} `json:"ForwardTableIds"`
	FullNatTableIDs struct {
		FullNatTableID []string `json:"FullNatTableId"`
	} `json:"FullNatTableIds"`
}

// CreateNatGateway makes an enhanced gateway in a vSwitch of the VPC, with
// an address of the vSwitch and its own SNAT and forward tables; it is
// Creating until the VPC delay passes.
func (s *Service) CreateNatGateway(ctx context.Context, call *rpc.Call, req *CreateNatGatewayRequest) (*CreateNatGatewayResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateNatGatewayResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		v, err := store.GetIn[cloud.VPC](ctx, tx, req.RegionID, req.VpcID)
		if err != nil {
			return notFound(err, apierr.InvalidVpcIDNotFound)
		}
		if v.Status != cloud.NetAvailable {
			return apierr.IncorrectVpcStatus.New()
		}
		w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, req.VSwitchID)
		if err != nil {
			return notFound(err, apierr.InvalidVSwitchIDNotFound)
		}
		if w.VpcID != v.ID {
			return apierr.NatVSwitchMismatch.New().WithDetail("%s is in %s", w.ID, w.VpcID)
		}
		w, ip, ok := w.AllocateIP()
		if !ok {
			return apierr.VSwitchIPNotEnough.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		n := cloud.NatGateway{
			ID: s.ids.ID("ngw", req.RegionID), Region: req.RegionID, VpcID: v.ID, VSwitchID: w.ID, Zone: w.Zone,
			Name: req.Name, Description: req.Description, NatType: req.NatType, NetworkType: req.NetworkType,
			InstanceChargeType: req.InstanceChargeType, InternetChargeType: req.InternetChargeType, Spec: req.Spec,
			PrivateIP: ip, SnatTableID: s.ids.ID("stb", req.RegionID), ForwardTableID: s.ids.ID("ftb", req.RegionID),
			EipBindMode: req.EipBindMode, IcmpReplyEnabled: req.IcmpReplyEnabled,
			Status: cloud.NatCreating, Created: now, ReadyAt: now.Add(cfg.Delays.VPC.D()),
			ResourceGroup: v.ResourceGroup, Tags: tagging.Cloud(req.Tags),
		}
		if n.NetworkType == cloud.NatIntranet {
			n.FullNatTableID = s.ids.ID("fulltb", req.RegionID)
		}
		if err := store.Put(ctx, tx, w); err != nil {
			return err
		}
		if err := store.Put(ctx, tx, n); err != nil {
			return err
		}
		if err := s.putDefaultNatIPs(ctx, tx, n, w); err != nil {
			return err
		}
		resp.NatGatewayID = n.ID
		resp.SnatTableIDs.SnatTableID = []string{n.SnatTableID}
		resp.ForwardTableIDs.ForwardTableID = []string{n.ForwardTableID}
		resp.FullNatTableIDs.FullNatTableID = fullNatTables(n)
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeNatGatewaysRequest is VPC DescribeNatGateways.
type DescribeNatGatewaysRequest struct {
	RegionID             string
	IDs                  []string
	Filters              []store.Filter
	DryRun               bool
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeNatGatewaysRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = idList(p.String("NatGatewayId"))
	r.Filters = append(r.Filters, bindWhere(p, []where{
		{"VpcId", "vpc"}, {"ZoneId", "zone"}, {"Status", "status"}, {"Name", "name"}, {"NatType", "type"},
		{"NetworkType", "networkType"}, {"InstanceChargeType", "chargeType"}, {"Spec", "spec"}, {"ResourceGroupId", "resourceGroup"},
	})...)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tag"))...)
	r.DryRun = p.Bool("DryRun", false)
	r.PageNumber, r.PageSize = paging(p)
}

// NatGatewayItem is one gateway of DescribeNatGateways.
type NatGatewayItem struct {
	NatGatewayID              string `json:"NatGatewayId"`
	RegionID                  string `json:"RegionId"`
	VpcID                     string `json:"VpcId"`
	Name                      string `json:"Name"`
	Description               string `json:"Description"`
	NatType                   string `json:"NatType"`
	NetworkType               string `json:"NetworkType"`
	Spec                      string `json:"Spec"`
	InstanceChargeType        string `json:"InstanceChargeType"`
	InternetChargeType        string `json:"InternetChargeType"`
	Status                    string `json:"Status"`
	BusinessStatus            string `json:"BusinessStatus"`
	CreationTime              string `json:"CreationTime"`
	ExpiredTime               string `json:"ExpiredTime"`
	ResourceGroupID           string `json:"ResourceGroupId"`
	EipBindMode               string `json:"EipBindMode"`
	IcmpReplyEnabled          bool   `json:"IcmpReplyEnabled"`
	DeletionProtection        bool   `json:"DeletionProtection"`
	AutoPay                   bool   `json:"AutoPay"`
	EcsMetricEnabled          bool   `json:"EcsMetricEnabled"`
	EnableSessionLog          string `json:"EnableSessionLog"`
	PrivateLinkEnabled        bool   `json:"PrivateLinkEnabled"`
	SecurityProtectionEnabled bool   `json:"SecurityProtectionEnabled"`
	SnatTableIDs              struct {
		SnatTableID []string `json:"SnatTableId"`
	} `json:"SnatTableIds"`
	ForwardTableIDs struct {
		ForwardTableID []string `json:"ForwardTableId"`
	} `json:"ForwardTableIds"`
	FullNatTableIDs struct {
		FullNatTableID []string `json:"FullNatTableId"`
	} `json:"FullNatTableIds"`
	IPLists struct {
		IPList []NatIPItem `json:"IpList"`
	} `json:"IpLists"`
	NatGatewayPrivateInfo struct {
		VswitchID        string `json:"VswitchId"`
		PrivateIPAddress string `json:"PrivateIpAddress"`
		IzNo             string `json:"IzNo"`
		EniInstanceID    string `json:"EniInstanceId"`
		EniType          string `json:"EniType"`
		MaxBandwidth     int    `json:"MaxBandwidth"`
	} `json:"NatGatewayPrivateInfo"`
	Tags struct {
		Tag []NatTagItem `json:"Tag"`
	} `json:"Tags"`
}

// NatIPItem is one EIP of a gateway's IpLists.
type NatIPItem struct {
	AllocationID     string `json:"AllocationId"`
	IPAddress        string `json:"IpAddress"`
	UsingStatus      string `json:"UsingStatus"`
	SnatEntryEnabled bool   `json:"SnatEntryEnabled"`
	PrivateIPAddress string `json:"PrivateIpAddress"`
}

// NatTagItem is one tag as DescribeNatGateways shows it (TagKey/TagValue).
type NatTagItem struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// DescribeNatGatewaysResponse wraps NatGateways.NatGateway[].
type DescribeNatGatewaysResponse struct {
	rpc.Base
	TotalCount  int `json:"TotalCount"`
	PageNumber  int `json:"PageNumber"`
	PageSize    int `json:"PageSize"`
	NatGateways struct {
		NatGateway []NatGatewayItem `json:"NatGateway"`
	} `json:"NatGateways"`
}

// DescribeNatGateways lists a region's gateways; every filter is an index
// lookup, and each gateway shows the EIPs associated with it.
func (s *Service) DescribeNatGateways(ctx context.Context, call *rpc.Call, req *DescribeNatGatewaysRequest) (*DescribeNatGatewaysResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	resp := &DescribeNatGatewaysResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.NatGateways.NatGateway = []NatGatewayItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		list, page, err := store.Find[cloud.NatGateway](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, n := range list {
			item, err := natItem(ctx, tx, n)
			if err != nil {
				return err
			}
			resp.NatGateways.NatGateway = append(resp.NatGateways.NatGateway, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func natItem(ctx context.Context, tx store.Tx, n cloud.NatGateway) (NatGatewayItem, error) {
	item := NatGatewayItem{
		NatGatewayID: n.ID, RegionID: n.Region, VpcID: n.VpcID, Name: n.Name, Description: n.Description, NatType: n.NatType,
		NetworkType: n.NetworkType, Spec: n.Spec, InstanceChargeType: n.InstanceChargeType, InternetChargeType: n.InternetChargeType,
		Status: n.Status, BusinessStatus: "Normal", CreationTime: cloud.FormatSecond(n.Created), ResourceGroupID: n.ResourceGroup,
		EipBindMode: n.EipBindMode, IcmpReplyEnabled: n.IcmpReplyEnabled, EnableSessionLog: "false",
		DeletionProtection: n.DeletionProtection,
	}
	item.SnatTableIDs.SnatTableID = []string{n.SnatTableID}
	item.ForwardTableIDs.ForwardTableID = []string{n.ForwardTableID}
	item.FullNatTableIDs.FullNatTableID = fullNatTables(n)
	item.NatGatewayPrivateInfo.VswitchID, item.NatGatewayPrivateInfo.PrivateIPAddress = n.VSwitchID, n.PrivateIP
	item.NatGatewayPrivateInfo.IzNo, item.NatGatewayPrivateInfo.EniType = n.Zone, "indirect"
	item.Tags.Tag = []NatTagItem{}
	for _, t := range n.Tags {
		item.Tags.Tag = append(item.Tags.Tag, NatTagItem{TagKey: t.Key, TagValue: t.Value})
	}
	item.IPLists.IPList = []NatIPItem{}
	eips, err := store.All[cloud.EIP](ctx, tx, n.Region, store.Where("instance", n.ID))
	if err != nil {
		return item, err
	}
	for _, e := range eips {
		snat, err := store.Count[cloud.SnatEntry](ctx, tx, n.Region, store.Where("natGateway", n.ID), store.Where("ip", e.IPAddress))
		if err != nil {
			return item, err
		}
		fwd, err := store.Count[cloud.ForwardEntry](ctx, tx, n.Region, store.Where("natGateway", n.ID), store.Where("ip", e.IPAddress))
		if err != nil {
			return item, err
		}
		using := "Idle"
		if snat+fwd > 0 {
			using = "UsedBySnatTable"
			if snat == 0 {
				using = "UsedByForwardTable"
			}
		}
		item.IPLists.IPList = append(item.IPLists.IPList, NatIPItem{
			AllocationID: e.ID, IPAddress: e.IPAddress, UsingStatus: using, SnatEntryEnabled: snat > 0,
		})
	}
	return item, nil
}

// ModifyNatGatewayAttributeRequest is VPC ModifyNatGatewayAttribute.
type ModifyNatGatewayAttributeRequest struct {
	RegionID, NatGatewayID string
	Name, Description      *string
	EipBindMode            string
	IcmpReplyEnabled       *bool
}

// Bind implements rpc.Binder.
func (r *ModifyNatGatewayAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	if p.Has("Name") {
		v := p.String("Name")
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Description = &v
	}
	r.EipBindMode = p.Enum("EipBindMode", "", "MULTI_BINDED", "NAT")
	r.IcmpReplyEnabled = p.OptBool("IcmpReplyEnabled")
}

// ModifyNatGatewayAttributeResponse is {RequestId}.
type ModifyNatGatewayAttributeResponse struct{ rpc.Base }

// ModifyNatGatewayAttribute changes the name, description, EIP binding
// mode or ICMP reply switch of an Available gateway.
func (s *Service) ModifyNatGatewayAttribute(ctx context.Context, call *rpc.Call, req *ModifyNatGatewayAttributeRequest) (*ModifyNatGatewayAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := store.GetIn[cloud.NatGateway](ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return notFound(err, apierr.InvalidNatGatewayIDNotFound)
		}
		if err := cloud.CheckNatReady(n); err != nil {
			return err
		}
		rename(&n.Name, &n.Description, req.Name, req.Description)
		if req.EipBindMode != "" {
			n.EipBindMode = req.EipBindMode
		}
		if req.IcmpReplyEnabled != nil {
			n.IcmpReplyEnabled = *req.IcmpReplyEnabled
		}
		return store.Put(ctx, tx, n)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyNatGatewayAttributeResponse{}, nil
}

// DeleteNatGatewayRequest is VPC DeleteNatGateway.
type DeleteNatGatewayRequest struct {
	RegionID, NatGatewayID string
	Force                  bool
}

// Bind implements rpc.Binder.
func (r *DeleteNatGatewayRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.Force = p.Bool("Force", false)
}

// DeleteNatGatewayResponse is {RequestId}.
type DeleteNatGatewayResponse struct{ rpc.Base }

// DeleteNatGateway removes a gateway at once. Without Force it is refused
// while SNAT entries, DNAT entries or EIPs remain; with Force the entries
// go with it and its EIPs become Available.
func (s *Service) DeleteNatGateway(ctx context.Context, call *rpc.Call, req *DeleteNatGatewayRequest) (*DeleteNatGatewayResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := store.GetIn[cloud.NatGateway](ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return notFound(err, apierr.InvalidNatGatewayIDNotFound)
		}
		of := store.Where("natGateway", n.ID)
		snat, err := store.All[cloud.SnatEntry](ctx, tx, n.Region, of)
		if err != nil {
			return err
		}
		fwd, err := store.All[cloud.ForwardEntry](ctx, tx, n.Region, of)
		if err != nil {
			return err
		}
		eips, err := store.All[cloud.EIP](ctx, tx, n.Region, store.Where("instance", n.ID))
		if err != nil {
			return err
		}
		if err := cloud.CheckDeleteNat(n, cloud.NatDependents{Snat: len(snat), Forward: len(fwd), EIPs: len(eips)}, req.Force); err != nil {
			return err
		}
		if err := deleteNatAddressSpace(ctx, tx, n, req.Force); err != nil {
			return err
		}
		for _, e := range snat {
			if err := store.Delete[cloud.SnatEntry](ctx, tx, e.ID); err != nil {
				return err
			}
		}
		for _, e := range fwd {
			if err := store.Delete[cloud.ForwardEntry](ctx, tx, e.ID); err != nil {
				return err
			}
		}
		for _, e := range eips {
			if err := store.Put(ctx, tx, cloud.DetachEIP(e)); err != nil {
				return err
			}
		}
		return store.Delete[cloud.NatGateway](ctx, tx, n.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteNatGatewayResponse{}, nil
}

// natOfTable finds the gateway owning a SNAT or forward table id; a table
// no gateway owns answers notFound.
func natOfTable(ctx context.Context, tx store.Tx, region, table string, notFound apierr.Entry) (cloud.NatGateway, error) {
	list, err := store.All[cloud.NatGateway](ctx, tx, region, store.Where("table", table))
	if err != nil {
		return cloud.NatGateway{}, err
	}
	if len(list) == 0 {
		return cloud.NatGateway{}, notFound.New().WithDetail("%s not found in %s", table, region)
	}
	return list[0], nil
}

// natEIP finds the EIP of address ip associated with gateway n; any other
// address is NatIPNotOwned.
func natEIP(ctx context.Context, tx store.Tx, n cloud.NatGateway, ip string) (cloud.EIP, error) {
	if n.NetworkType == cloud.NatIntranet {
		// A VPC NAT gateway translates to its NAT IPs, not to EIPs.
		k, err := store.Count[cloud.NatIP](ctx, tx, n.Region, store.Where("natGateway", n.ID), store.Where("ip", ip))
		if err != nil || k > 0 {
			return cloud.EIP{}, err
		}
		return cloud.EIP{}, apierr.NatIPNotOwned.New().WithDetail("%s is no NAT IP of %s", ip, n.ID)
	}
	list, err := store.All[cloud.EIP](ctx, tx, n.Region, store.Where("ip", ip), store.Where("instance", n.ID))
	if err != nil {
		return cloud.EIP{}, err
	}
	if len(list) == 0 {
		return cloud.EIP{}, apierr.NatIPNotOwned.New().WithDetail("%s is no EIP of %s", ip, n.ID)
	}
	return list[0], nil
}

// checkNatEIPFree refuses to unassociate an EIP from a gateway while an
// SNAT or DNAT entry uses its address (UnassociateEipAddress).
func checkNatEIPFree(ctx context.Context, tx store.Tx, e cloud.EIP) error {
	of, ip := store.Where("natGateway", e.InstanceID), store.Where("ip", e.IPAddress)
	if n, err := store.Count[cloud.SnatEntry](ctx, tx, e.Region, of, ip); err != nil {
		return err
	} else if n > 0 {
		return apierr.EIPUsedBySnat.New().WithDetail("%s is in %d SNAT entries", e.IPAddress, n)
	}
	if n, err := store.Count[cloud.ForwardEntry](ctx, tx, e.Region, of, ip); err != nil {
		return err
	} else if n > 0 {
		return apierr.EIPUsedByForward.New().WithDetail("%s is in %d DNAT entries", e.IPAddress, n)
	}
	return nil
}
