package vpc

// HaVips: high-availability virtual IP addresses of a vSwitch, taken over
// between the instances or ENIs associated with them. ECS 2014-05-26 keeps
// the same actions with a subset of the parameters: one implementation
// serves both.

import (
	"context"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

func (s *Service) registerHaVips(t *rpc.Table) {
	for _, v := range []string{rpc.VersionVPC, rpc.VersionECS} {
		rpc.Handle(t, v, "CreateHaVip", s.CreateHaVip)
		rpc.Handle(t, v, "DeleteHaVip", s.DeleteHaVip)
		rpc.Handle(t, v, "DescribeHaVips", s.DescribeHaVips)
		rpc.Handle(t, v, "ModifyHaVipAttribute", s.ModifyHaVipAttribute)
		rpc.Handle(t, v, "AssociateHaVip", s.AssociateHaVip)
		rpc.Handle(t, v, "UnassociateHaVip", s.UnassociateHaVip)
	}
}

// addrInUse tells whether an ENI (an instance's address is its primary
// ENI's) or a HaVip of the vSwitch holds ip.
func addrInUse(ctx context.Context, tx store.Tx, w cloud.VSwitch, ip string) (bool, error) {
	n, err := store.Count[cloud.ENI](ctx, tx, w.Region, store.Where("vswitch", w.ID), store.Where("privateIp", ip))
	if err != nil || n > 0 {
		return n > 0, err
	}
	n, err = store.Count[cloud.HaVip](ctx, tx, w.Region, store.Where("vswitch", w.ID), store.Where("ip", ip))
	return n > 0, err
}

// CreateHaVipRequest is CreateHaVip.
type CreateHaVipRequest struct {
	RegionID, VSwitchID, IPAddress, Name, Description, ResourceGroupID, ClientToken string
	Tags                                                                            []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateHaVipRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VSwitchID = p.Required("VSwitchId")
	r.IPAddress = p.String("IpAddress")
	r.Name = p.String("Name")
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
}

// CreateHaVipResponse carries the new HaVip and its address.
type CreateHaVipResponse struct {
	rpc.Base
	HaVipID   string `json:"HaVipId"`
	IPAddress string `json:"IpAddress"`
}

// CreateHaVip takes an address of an Available vSwitch: the one asked for,
// or the vSwitch's next free one (cloud.NextFreeIP, reserved ranges skipped).
func (s *Service) CreateHaVip(ctx context.Context, call *rpc.Call, req *CreateHaVipRequest) (*CreateHaVipResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateHaVipResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, req.VSwitchID)
		if err != nil {
			return notFound(err, apierr.VSwitchNotFound)
		}
		if w.Status != cloud.NetAvailable {
			return apierr.VSwitchIncorrectStatus.New()
		}
		ip := req.IPAddress
		if ip != "" {
			if err := cloud.CheckChosenIP(w, ip, "IpAddress"); err != nil {
				return err
			}
			if used, err := addrInUse(ctx, tx, w, ip); err != nil {
				return err
			} else if used {
				return apierr.HaVipIPUsed.New()
			}
		} else {
			var ok bool
			if w, ip, ok, err = cloud.NextFreeIP(w, func(ip string) (bool, error) { return addrInUse(ctx, tx, w, ip) }); err != nil {
				return err
			} else if !ok {
				return apierr.VSwitchIPNotEnough.New()
			}
			if err := store.Put(ctx, tx, w); err != nil {
				return err
			}
		}
		h := cloud.HaVip{
			ID: s.ids.ID("havip", req.RegionID), Region: req.RegionID, VpcID: w.VpcID, VSwitchID: w.ID, IPAddress: ip,
			Name: req.Name, Description: req.Description, Status: cloud.HaVipAvailable, Created: tx.Now(),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags),
		}
		if err := store.Put(ctx, tx, h); err != nil {
			return err
		}
		resp.HaVipID, resp.IPAddress = h.ID, h.IPAddress
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteHaVipRequest is DeleteHaVip.
type DeleteHaVipRequest struct{ rpc.RegionalID }

// Bind implements rpc.Binder.
func (r *DeleteHaVipRequest) Bind(p *rpc.Params) {
	r.BindID(p, "HaVipId")
	p.ClientToken()
}

// DeleteHaVipResponse is the bare RequestId.
type DeleteHaVipResponse struct{ rpc.Base }

// DeleteHaVip removes an Available HaVip (nothing associated) that no route
// entry forwards to; its address is free again.
func (s *Service) DeleteHaVip(ctx context.Context, call *rpc.Call, req *DeleteHaVipRequest) (*DeleteHaVipResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.HaVip](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidHaVipIDNotFound)
		}
		routes, err := store.Count[cloud.RouteEntry](ctx, tx, h.Region, store.Where("nextHopId", h.ID))
		if err != nil {
			return err
		}
		if err := cloud.CheckDeleteHaVip(h, routes); err != nil {
			return err
		}
		return store.Delete[cloud.HaVip](ctx, tx, h.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteHaVipResponse{}, nil
}

// haVipFilters maps DescribeHaVips' Filter keys to indexes (HaVipId is the
// id list).
var haVipFilters = map[string]string{
	"VpcId": "vpc", "VSwitchId": "vswitch", "Status": "status", "HaVipAddress": "ip", "Name": "name",
}

// DescribeHaVipsRequest is DescribeHaVips.
type DescribeHaVipsRequest struct {
	RegionID, ResourceGroupID string
	IDs                       []string
	Filters                   []store.Filter
	Tags                      []rpc.Tag
	PageNumber, PageSize      int
	// none is a HaVipId filter with no value: nothing matches.
	none bool
}

// Bind implements rpc.Binder.
func (r *DescribeHaVipsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	for _, f := range p.Objects("Filter") {
		key, values := f.String("Key"), f.List("Value")
		switch {
		case key == "HaVipId":
			r.IDs = append(r.IDs, values...)
			r.none = r.none || len(values) == 0
		case haVipFilters[key] != "":
			if len(values) > 0 {
				r.Filters = append(r.Filters, store.Where(haVipFilters[key], values...))
			}
		case p.Err() == nil:
			p.Fail(apierr.InvalidParameter.New(f.Name("Key")))
		}
	}
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tags")
	r.PageNumber, r.PageSize = paging(p)
}

// HaVipItem is one HaVip of DescribeHaVips.
type HaVipItem struct {
	HaVipID                string `json:"HaVipId"`
	RegionID               string `json:"RegionId"`
	VpcID                  string `json:"VpcId"`
	VSwitchID              string `json:"VSwitchId"`
	IPAddress              string `json:"IpAddress"`
	Status                 string `json:"Status"`
	MasterInstanceID       string `json:"MasterInstanceId"`
	Description            string `json:"Description"`
	Name                   string `json:"Name"`
	ChargeType             string `json:"ChargeType"`
	CreateTime             string `json:"CreateTime"`
	ResourceGroupID        string `json:"ResourceGroupId"`
	AssociatedInstanceType string `json:"AssociatedInstanceType"`
	AssociatedInstances    struct {
		AssociatedInstance []string `json:"associatedInstance"`
	} `json:"AssociatedInstances"`
	AssociatedEipAddresses struct {
		AssociatedEipAddresse []string `json:"associatedEipAddresse"`
	} `json:"AssociatedEipAddresses"`
	Tags Tags `json:"Tags"`
}

// DescribeHaVipsResponse wraps HaVips.HaVip[].
type DescribeHaVipsResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	HaVips     struct {
		HaVip []HaVipItem `json:"HaVip"`
	} `json:"HaVips"`
}

// DescribeHaVips lists a region's HaVips; every filter is an index lookup.
func (s *Service) DescribeHaVips(ctx context.Context, call *rpc.Call, req *DescribeHaVipsRequest) (*DescribeHaVipsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeHaVipsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.HaVips.HaVip = []HaVipItem{}
	if req.none {
		return resp, nil
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	if req.ResourceGroupID != "" {
		q.Filters = append(q.Filters, store.Where("resourceGroup", req.ResourceGroupID))
	}
	q.Filters = append(q.Filters, tagFilters(req.Tags)...)
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.HaVip](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, h := range list {
			item := HaVipItem{
				HaVipID: h.ID, RegionID: h.Region, VpcID: h.VpcID, VSwitchID: h.VSwitchID, IPAddress: h.IPAddress,
				Status: h.Status, MasterInstanceID: h.Master(), Description: h.Description, Name: h.Name,
				ChargeType: "Free", CreateTime: cloud.FormatSecond(h.Created), ResourceGroupID: h.ResourceGroup,
				AssociatedInstanceType: h.AssociatedType, Tags: tagsOf(h.Tags),
			}
			item.AssociatedInstances.AssociatedInstance = append([]string{}, h.Associated...)
			item.AssociatedEipAddresses.AssociatedEipAddresse = []string{}
			resp.HaVips.HaVip = append(resp.HaVips.HaVip, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyHaVipAttributeRequest is ModifyHaVipAttribute.
type ModifyHaVipAttributeRequest struct {
	rpc.RegionalID
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifyHaVipAttributeRequest) Bind(p *rpc.Params) {
	r.BindID(p, "HaVipId")
	r.Name = optString(p, "Name")
	r.Description = optString(p, "Description")
	p.ClientToken()
}

// ModifyHaVipAttributeResponse is the bare RequestId.
type ModifyHaVipAttributeResponse struct{ rpc.Base }

// ModifyHaVipAttribute renames a HaVip or changes its description.
func (s *Service) ModifyHaVipAttribute(ctx context.Context, call *rpc.Call, req *ModifyHaVipAttributeRequest) (*ModifyHaVipAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.HaVip](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidHaVipIDNotFound)
		}
		rename(&h.Name, &h.Description, req.Name, req.Description)
		return store.Put(ctx, tx, h)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyHaVipAttributeResponse{}, nil
}

// haVipAssociation is the shape AssociateHaVip and UnassociateHaVip share.
type haVipAssociation struct {
	RegionID, HaVipID, InstanceID, InstanceType string
}

func (r *haVipAssociation) bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.HaVipID = p.Required("HaVipId")
	r.InstanceID = p.Required("InstanceId")
	r.InstanceType = p.Enum("InstanceType", cloud.HaVipOnInstance, cloud.HaVipOnInstance, cloud.HaVipOnENI)
	p.ClientToken()
}

// AssociateHaVipRequest is AssociateHaVip.
type AssociateHaVipRequest struct{ haVipAssociation }

// Bind implements rpc.Binder.
func (r *AssociateHaVipRequest) Bind(p *rpc.Params) { r.bind(p) }

// AssociateHaVipResponse is the bare RequestId.
type AssociateHaVipResponse struct{ rpc.Base }

// AssociateHaVip associates a HaVip with a Running or Stopped instance, or
// an ENI, of its vSwitch; the HaVip is then InUse.
func (s *Service) AssociateHaVip(ctx context.Context, call *rpc.Call, req *AssociateHaVipRequest) (*AssociateHaVipResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.HaVip](ctx, tx, req.RegionID, req.HaVipID)
		if err != nil {
			return notFound(err, apierr.InvalidHaVipIDNotFound)
		}
		target := cloud.HaVipTarget{ID: req.InstanceID, Type: req.InstanceType}
		if req.InstanceType == cloud.HaVipOnENI {
			eni, err := store.GetIn[cloud.ENI](ctx, tx, req.RegionID, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.InvalidEniIDNotFound)
			}
			target.VSwitchID, target.Usable = eni.VSwitchID, true
		} else {
			inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.InvalidInstanceIDNotFound)
			}
			target.VSwitchID = inst.VSwitchID
			target.Usable = !inst.Releasing && slices.Contains([]string{cloud.StatusRunning, cloud.StatusStopped}, inst.Status)
		}
		if h, err = cloud.AssociateHaVip(h, target); err != nil {
			return err
		}
		return store.Put(ctx, tx, h)
	})
	if err != nil {
		return nil, err
	}
	return &AssociateHaVipResponse{}, nil
}

// UnassociateHaVipRequest is UnassociateHaVip.
type UnassociateHaVipRequest struct {
	haVipAssociation
	Force bool
}

// Bind implements rpc.Binder.
func (r *UnassociateHaVipRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Force = p.Enum("Force", "False", "True", "False", "true", "false") == "True" || p.String("Force") == "true"
}

// UnassociateHaVipResponse is the bare RequestId.
type UnassociateHaVipResponse struct{ rpc.Base }

// UnassociateHaVip removes one association; the master only with
// Force=True while others remain. Nothing left, the HaVip is Available.
func (s *Service) UnassociateHaVip(ctx context.Context, call *rpc.Call, req *UnassociateHaVipRequest) (*UnassociateHaVipResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.HaVip](ctx, tx, req.RegionID, req.HaVipID)
		if err != nil {
			return notFound(err, apierr.InvalidHaVipIDNotFound)
		}
		if h, err = cloud.UnassociateHaVip(h, req.InstanceID, req.Force); err != nil {
			return err
		}
		return store.Put(ctx, tx, h)
	})
	if err != nil {
		return nil, err
	}
	return &UnassociateHaVipResponse{}, nil
}
