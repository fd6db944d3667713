package vpc

// vSwitch CIDR reservations: blocks of a vSwitch that automatic address
// allocation skips (cloud.VSwitch.AllocateIP), kept for the IP prefixes of
// ENIs. ecslocal assigns no IP prefixes, so a reservation's usage is empty.

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// prefixBits is the mask of the ENI IP prefixes a reservation holds.
const prefixBits = 28

func (s *Service) registerReservations(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateVSwitchCidrReservation", s.CreateVSwitchCidrReservation)
	rpc.Handle(t, v, "DeleteVSwitchCidrReservation", s.DeleteVSwitchCidrReservation)
	rpc.Handle(t, v, "ListVSwitchCidrReservations", s.ListVSwitchCidrReservations)
	rpc.Handle(t, v, "ModifyVSwitchCidrReservationAttribute", s.ModifyVSwitchCidrReservationAttribute)
	rpc.Handle(t, v, "GetVSwitchCidrReservationUsage", s.GetVSwitchCidrReservationUsage)
}

// addressesInUse are the addresses of the vSwitch held by ENIs (so by
// instances), HaVips, NAT gateways and load balancers.
func addressesInUse(ctx context.Context, tx store.Tx, w cloud.VSwitch) ([]netip.Addr, error) {
	var out []netip.Addr
	add := func(ip string) {
		if a, err := netip.ParseAddr(ip); err == nil {
			out = append(out, a)
		}
	}
	in := store.Where("vswitch", w.ID)
	enis, err := store.AllShared[cloud.ENI](ctx, tx, w.Region, in)
	if err != nil {
		return nil, err
	}
	for _, e := range enis {
		add(e.PrivateIP)
	}
	havips, err := store.AllShared[cloud.HaVip](ctx, tx, w.Region, in)
	if err != nil {
		return nil, err
	}
	for _, h := range havips {
		add(h.IPAddress)
	}
	nats, err := store.AllShared[cloud.NatGateway](ctx, tx, w.Region, in)
	if err != nil {
		return nil, err
	}
	for _, n := range nats {
		add(n.PrivateIP)
	}
	lbs, err := store.AllShared[cloud.LoadBalancer](ctx, tx, w.Region, in)
	if err != nil {
		return nil, err
	}
	for _, l := range lbs {
		add(l.Address)
	}
	return out, nil
}

// deleteReservationsOf removes the vSwitch's CIDR reservations with it: they
// are parts of the vSwitch's block and mean nothing without it [choice].
func (s *Service) deleteReservationsOf(ctx context.Context, tx store.Tx, w cloud.VSwitch) error {
	list, err := store.All[cloud.VSwitchCidrReservation](ctx, tx, w.Region, store.Where("vswitch", w.ID))
	if err != nil {
		return err
	}
	for _, r := range list {
		if err := store.Delete[cloud.VSwitchCidrReservation](ctx, tx, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// CreateVSwitchCidrReservationRequest is VPC CreateVSwitchCidrReservation.
type CreateVSwitchCidrReservationRequest struct {
	RegionID, VSwitchID, Name, Description, ClientToken string
	Block                                               netip.Prefix
	Bits                                                int
	Tags                                                []rpc.Tag
	DryRun                                              bool
}

// Bind implements rpc.Binder.
func (r *CreateVSwitchCidrReservationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VSwitchID = p.Required("VSwitchId")
	if v := p.Enum("IpVersion", "IPv4", "IPv4", "IPv6"); v == "IPv6" { // IPv6 blocks are not modelled
		p.Fail(apierr.InvalidParameter.New("IpVersion"))
	}
	p.Enum("VSwitchCidrReservationType", "Prefix", "Prefix", "prefix")
	cidr, mask := p.String("VSwitchCidrReservationCidr"), p.String("VSwitchCidrReservationMask")
	switch {
	case cidr != "" && mask != "", cidr == "" && mask == "" && p.Err() == nil:
		// The reference: exactly one of the two.
		p.Fail(apierr.MissingParameter.New("VSwitchCidrReservationCidr"))
	case cidr != "":
		b, ok := cloud.ParseCIDR(cidr)
		if !ok {
			p.Fail(apierr.InvalidReservationCidr.New())
		}
		r.Block = b
	case mask != "":
		n, err := strconv.Atoi(mask)
		if err != nil {
			p.Fail(apierr.InvalidReservationMask.New())
		}
		r.Bits = n
	}
	r.Name = p.String("VSwitchCidrReservationName")
	r.Description = p.String("VSwitchCidrReservationDescription")
	r.Tags = tagging.BindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
}

// CreateVSwitchCidrReservationResponse carries the new reservation's id.
type CreateVSwitchCidrReservationResponse struct {
	rpc.Base
	VSwitchCidrReservationID string `json:"VSwitchCidrReservationId"`
}

// CreateVSwitchCidrReservation reserves a block of an Available vSwitch:
// the one named, or the first free one of the mask (cloud.ReserveBlock).
func (s *Service) CreateVSwitchCidrReservation(ctx context.Context, call *rpc.Call, req *CreateVSwitchCidrReservationRequest) (*CreateVSwitchCidrReservationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateVSwitchCidrReservationResponse{}
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
		used, err := addressesInUse(ctx, tx, w)
		if err != nil {
			return err
		}
		w, block, err := cloud.ReserveBlock(w, req.Block, req.Bits, used)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		r := cloud.VSwitchCidrReservation{
			ID: s.ids.ID("vcr", req.RegionID), Region: w.Region, VpcID: w.VpcID, VSwitchID: w.ID, Cidr: block.String(),
			Name: req.Name, Description: req.Description, Type: "prefix", Created: tx.Now(), Tags: cloudTags(req.Tags),
		}
		if err := store.Put(ctx, tx, w); err != nil {
			return err
		}
		if err := store.Put(ctx, tx, r); err != nil {
			return err
		}
		resp.VSwitchCidrReservationID = r.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// reservationIDRequest names one reservation, with ClientToken and DryRun.
type reservationIDRequest struct {
	rpc.RegionalID
	DryRun bool
}

func (r *reservationIDRequest) bind(p *rpc.Params) {
	r.BindID(p, "VSwitchCidrReservationId")
	p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteVSwitchCidrReservationRequest is VPC DeleteVSwitchCidrReservation.
type DeleteVSwitchCidrReservationRequest struct{ reservationIDRequest }

// Bind implements rpc.Binder.
func (r *DeleteVSwitchCidrReservationRequest) Bind(p *rpc.Params) { r.bind(p) }

// DeleteVSwitchCidrReservationResponse is the bare RequestId.
type DeleteVSwitchCidrReservationResponse struct{ rpc.Base }

// DeleteVSwitchCidrReservation gives the block back to automatic allocation.
func (s *Service) DeleteVSwitchCidrReservation(ctx context.Context, call *rpc.Call, req *DeleteVSwitchCidrReservationRequest) (*DeleteVSwitchCidrReservationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		r, err := store.GetIn[cloud.VSwitchCidrReservation](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidReservationIDNotFound)
		}
		w, err := store.Get[cloud.VSwitch](ctx, tx, r.VSwitchID)
		if err != nil {
			return err // a vSwitch takes its reservations with it
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := store.Put(ctx, tx, cloud.Unreserve(w, r.Cidr)); err != nil {
			return err
		}
		return store.Delete[cloud.VSwitchCidrReservation](ctx, tx, r.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteVSwitchCidrReservationResponse{}, nil
}

// ListVSwitchCidrReservationsRequest is VPC ListVSwitchCidrReservations.
type ListVSwitchCidrReservationsRequest struct {
	RegionID, VSwitchID, Type string
	IDs                       []string
	Tags                      []rpc.Tag
	MaxResults                int
	AfterSeq                  int64
}

// Bind implements rpc.Binder.
func (r *ListVSwitchCidrReservationsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VSwitchID = p.String("VSwitchId")
	r.IDs = p.List("VSwitchCidrReservationIds")
	if t := p.Enum("VSwitchCidrReservationType", "", "Prefix", "prefix"); t != "" {
		r.Type = "prefix"
	}
	if p.Enum("IpVersion", "IPv4", "IPv4", "IPv6") == "IPv6" {
		r.Type = "none" // no IPv6 reservation is kept
	}
	r.Tags = tagging.BindTags(p, "Tags")
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.AfterSeq = tagging.BindSeqToken(p, apierr.InvalidNextToken)
}

// ReservationTag is one tag of a reservation.
type ReservationTag = TagItem

// VSwitchCidrReservationItem is one reservation.
type VSwitchCidrReservationItem struct {
	VSwitchCidrReservationID          string    `json:"VSwitchCidrReservationId"`
	VSwitchCidrReservationName        string    `json:"VSwitchCidrReservationName"`
	VSwitchCidrReservationDescription string    `json:"VSwitchCidrReservationDescription"`
	VSwitchCidrReservationCidr        string    `json:"VSwitchCidrReservationCidr"`
	VSwitchID                         string    `json:"VSwitchId"`
	VpcID                             string    `json:"VpcId"`
	Type                              string    `json:"Type"`
	IPVersion                         string    `json:"IpVersion"`
	Status                            string    `json:"Status"`
	CreationTime                      string    `json:"CreationTime"`
	AssignedCidrCount                 int       `json:"AssignedCidrCount"`
	AvailableCidrCount                int       `json:"AvailableCidrCount"`
	Tags                              []TagItem `json:"Tags"`
}

// ListVSwitchCidrReservationsResponse pages VSwitchCidrReservations[].
type ListVSwitchCidrReservationsResponse struct {
	rpc.Base
	NextToken               string                       `json:"NextToken"`
	MaxResults              int                          `json:"MaxResults"`
	TotalCount              int                          `json:"TotalCount"`
	VSwitchCidrReservations []VSwitchCidrReservationItem `json:"VSwitchCidrReservations"`
}

// ListVSwitchCidrReservations lists a region's reservations; every filter
// is an index lookup. No prefix is assigned, so each /28 of a block is
// available.
func (s *Service) ListVSwitchCidrReservations(ctx context.Context, call *rpc.Call, req *ListVSwitchCidrReservationsRequest) (*ListVSwitchCidrReservationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, AfterSeq: req.AfterSeq, Limit: req.MaxResults, Count: true}
	for _, f := range []struct{ name, value string }{{"vswitch", req.VSwitchID}, {"type", req.Type}} {
		if f.value != "" {
			q.Filters = append(q.Filters, store.Where(f.name, f.value))
		}
	}
	q.Filters = append(q.Filters, tagFilters(req.Tags)...)
	resp := &ListVSwitchCidrReservationsResponse{MaxResults: req.MaxResults, VSwitchCidrReservations: []VSwitchCidrReservationItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.VSwitchCidrReservation](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount, resp.NextToken = page.Total, tagging.SeqToken(page)
		for _, r := range list {
			available := 0
			if p, ok := cloud.ParseCIDR(r.Cidr); ok && p.Bits() <= prefixBits {
				available = 1 << (prefixBits - p.Bits())
			}
			resp.VSwitchCidrReservations = append(resp.VSwitchCidrReservations, VSwitchCidrReservationItem{
				VSwitchCidrReservationID: r.ID, VSwitchCidrReservationName: r.Name, VSwitchCidrReservationDescription: r.Description,
				VSwitchCidrReservationCidr: r.Cidr, VSwitchID: r.VSwitchID, VpcID: r.VpcID, Type: r.Type, IPVersion: "IPv4",
				Status: "Assigned", CreationTime: cloud.FormatSecond(r.Created), AvailableCidrCount: available, Tags: tagsOf(r.Tags).Tag,
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyVSwitchCidrReservationAttributeRequest is VPC
// ModifyVSwitchCidrReservationAttribute.
type ModifyVSwitchCidrReservationAttributeRequest struct {
	reservationIDRequest
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifyVSwitchCidrReservationAttributeRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Name = optString(p, "VSwitchCidrReservationName")
	r.Description = optString(p, "VSwitchCidrReservationDescription")
}

// ModifyVSwitchCidrReservationAttributeResponse is the bare RequestId.
type ModifyVSwitchCidrReservationAttributeResponse struct{ rpc.Base }

// ModifyVSwitchCidrReservationAttribute renames a reservation or changes
// its description; its block stays.
func (s *Service) ModifyVSwitchCidrReservationAttribute(ctx context.Context, call *rpc.Call, req *ModifyVSwitchCidrReservationAttributeRequest) (*ModifyVSwitchCidrReservationAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		r, err := store.GetIn[cloud.VSwitchCidrReservation](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.InvalidReservationIDNotFound)
		}
		rename(&r.Name, &r.Description, req.Name, req.Description)
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyVSwitchCidrReservationAttributeResponse{}, nil
}

// GetVSwitchCidrReservationUsageRequest is VPC GetVSwitchCidrReservationUsage.
type GetVSwitchCidrReservationUsageRequest struct {
	rpc.RegionalID
	MaxResults int
}

// Bind implements rpc.Binder.
func (r *GetVSwitchCidrReservationUsageRequest) Bind(p *rpc.Params) {
	r.BindID(p, "VSwitchCidrReservationId")
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	tagging.BindSeqToken(p, apierr.InvalidNextToken)
}

// CidrReservationUsageItem is one IP prefix assigned from a reservation.
type CidrReservationUsageItem struct {
	IPPrefixCidr             string `json:"IpPrefixCidr"`
	IPPrefixID               string `json:"IpPrefixId"`
	ResourceID               string `json:"ResourceId"`
	ResourceType             string `json:"ResourceType"`
	VSwitchCidrReservationID string `json:"VSwitchCidrReservationId"`
	VSwitchID                string `json:"VSwitchId"`
}

// GetVSwitchCidrReservationUsageResponse pages CidrReservationUsages[].
type GetVSwitchCidrReservationUsageResponse struct {
	rpc.Base
	NextToken             string                     `json:"NextToken"`
	MaxResults            int                        `json:"MaxResults"`
	TotalCount            int                        `json:"TotalCount"`
	CidrReservationUsages []CidrReservationUsageItem `json:"CidrReservationUsages"`
}

// GetVSwitchCidrReservationUsage lists the IP prefixes assigned from a
// reservation: none, as ecslocal assigns no IP prefixes to ENIs.
func (s *Service) GetVSwitchCidrReservationUsage(ctx context.Context, call *rpc.Call, req *GetVSwitchCidrReservationUsageRequest) (*GetVSwitchCidrReservationUsageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetVSwitchCidrReservationUsageResponse{MaxResults: req.MaxResults, CidrReservationUsages: []CidrReservationUsageItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		_, err := store.GetIn[cloud.VSwitchCidrReservation](ctx, tx, req.RegionID, req.ID)
		return notFound(err, apierr.InvalidReservationIDNotFound)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
