package vpc

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerEipSegments adds the contiguous EIP group actions.
func (s *Service) registerEipSegments(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "AllocateEipSegmentAddress", s.AllocateEipSegmentAddress)
	rpc.Handle(t, v, "DescribeEipSegment", s.DescribeEipSegment)
	rpc.Handle(t, v, "ReleaseEipSegmentAddress", s.ReleaseEipSegmentAddress)
}

// eipSegmentAllocated is the status of a group (allocation is at once).
const eipSegmentAllocated = "Allocated"

// AllocateEipSegmentAddressRequest is VPC AllocateEipSegmentAddress.
type AllocateEipSegmentAddressRequest struct {
	RegionID, InternetChargeType, ISP, Zone, ResourceGroupID, ClientToken string
	Mask, Bandwidth                                                       int
}

// Bind implements rpc.Binder.
func (r *AllocateEipSegmentAddressRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	mask := p.Required("EipMask")
	if mask != "" {
		n, err := strconv.Atoi(p.Enum("EipMask", "", "24", "25", "26", "27", "28"))
		if err == nil {
			r.Mask = n
		}
	}
	r.Bandwidth = 5
	if v := p.String("Bandwidth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			p.Fail(apierr.InvalidParameter.New("Bandwidth"))
		}
		r.Bandwidth = n
	}
	r.InternetChargeType = p.Enum("InternetChargeType", "PayByTraffic", "PayByTraffic", "PayByBandwidth")
	r.ISP = p.Enum("Isp", "BGP", "BGP", "BGP_PRO")
	p.Enum("Netmode", "public", "public")
	r.Zone = p.String("Zone")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.ClientToken = p.ClientToken()
}

// AllocateEipSegmentAddressResponse carries the new group.
type AllocateEipSegmentAddressResponse struct {
	rpc.Base
	EipSegmentInstanceID string `json:"EipSegmentInstanceId"`
}

// AllocateEipSegmentAddress allocates an aligned block of 2^(32-EipMask)
// addresses of the pool that no EIP of the account holds, and an
// Available EIP for each of its hosts but the first and last.
func (s *Service) AllocateEipSegmentAddress(ctx context.Context, call *rpc.Call, req *AllocateEipSegmentAddressRequest) (*AllocateEipSegmentAddressResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AllocateEipSegmentAddressResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		held, err := store.All[cloud.EIP](ctx, tx, "")
		if err != nil {
			return err
		}
		block, ok := s.freeSegment(req.Mask, held)
		if !ok {
			return apierr.EipSegmentNoRoom.New()
		}
		now := tx.Now()
		seg := cloud.EipSegment{
			ID: s.ids.ID("eipsg", req.RegionID), Region: req.RegionID, Segment: block.String(), Zone: req.Zone,
			Status: eipSegmentAllocated, Created: now, ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
		}
		for _, ip := range cloud.SegmentHosts(block) {
			e := cloud.EIP{
				ID: s.ids.ID("eip", req.RegionID), Region: req.RegionID, IPAddress: ip, Bandwidth: req.Bandwidth,
				InternetChargeType: req.InternetChargeType, ChargeType: cloud.PostPaid, ISP: req.ISP, Status: cloud.EIPAvailable,
				Allocated: now, ResourceGroup: seg.ResourceGroup, SegmentID: seg.ID,
			}
			if err := store.Put(ctx, tx, e); err != nil {
				return err
			}
			seg.IPCount++
		}
		if err := store.Put(ctx, tx, seg); err != nil {
			return err
		}
		resp.EipSegmentInstanceID = seg.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// freeSegment picks an aligned /mask block of the pool holding none of the
// held addresses, probing from a random block.
func (s *Service) freeSegment(mask int, held []cloud.EIP) (netip.Prefix, bool) {
	taken := map[string]bool{}
	for _, e := range held {
		taken[e.IPAddress] = true
	}
	blocks := 1 << (mask - eipPool.Bits())
	size := 1 << (32 - mask)
	start, _ := strconv.Atoi(s.ids.Digits(6))
	for i := range blocks {
		n := (start + i) % blocks
		base := eipPool.Addr().As4()
		off := n * size
		base[2], base[3] = byte(off>>8), byte(off)
		block := netip.PrefixFrom(netip.AddrFrom4(base), mask)
		free := true
		for _, ip := range cloud.SegmentHosts(block) {
			free = free && !taken[ip]
		}
		if free {
			return block, true
		}
	}
	return netip.Prefix{}, false
}

// DescribeEipSegmentRequest is VPC DescribeEipSegment.
type DescribeEipSegmentRequest struct {
	RegionID             string
	IDs                  []string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeEipSegmentRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = idList(p.String("SegmentInstanceId"))
	p.ClientToken()
	r.PageNumber, r.PageSize = paging(p)
}

// EipSegmentItem is one group; Descritpion is the SDKs' (misspelt) name.
type EipSegmentItem struct {
	InstanceID   string `json:"InstanceId"`
	Segment      string `json:"Segment"`
	IPCount      string `json:"IpCount"`
	Name         string `json:"Name"`
	Descritpion  string `json:"Descritpion"`
	RegionID     string `json:"RegionId"`
	Zone         string `json:"Zone"`
	Status       string `json:"Status"`
	CreationTime string `json:"CreationTime"`
}

// DescribeEipSegmentResponse wraps EipSegments.EipSegment[].
type DescribeEipSegmentResponse struct {
	rpc.Base
	TotalCount  int `json:"TotalCount"`
	PageNumber  int `json:"PageNumber"`
	PageSize    int `json:"PageSize"`
	EipSegments struct {
		EipSegment []EipSegmentItem `json:"EipSegment"`
	} `json:"EipSegments"`
}

// DescribeEipSegment lists a region's contiguous EIP groups.
func (s *Service) DescribeEipSegment(ctx context.Context, call *rpc.Call, req *DescribeEipSegmentRequest) (*DescribeEipSegmentResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeEipSegmentResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.EipSegments.EipSegment = []EipSegmentItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		q := store.Query{Region: req.RegionID, IDs: req.IDs, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
		list, page, err := store.Find[cloud.EipSegment](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, g := range list {
			resp.EipSegments.EipSegment = append(resp.EipSegments.EipSegment, EipSegmentItem{
				InstanceID: g.ID, Segment: g.Segment, IPCount: strconv.Itoa(g.IPCount), RegionID: g.Region, Zone: g.Zone,
				Status: g.Status, CreationTime: cloud.FormatSecond(g.Created),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ReleaseEipSegmentAddressRequest is VPC ReleaseEipSegmentAddress.
type ReleaseEipSegmentAddressRequest struct {
	RegionID, ID string
}

// Bind implements rpc.Binder.
func (r *ReleaseEipSegmentAddressRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("SegmentInstanceId")
	p.ClientToken()
}

// ReleaseEipSegmentAddressResponse is {RequestId}.
type ReleaseEipSegmentAddressResponse struct{ rpc.Base }

// ReleaseEipSegmentAddress releases a group and all its EIPs, all or
// none: every one must be Available and in no bandwidth package.
func (s *Service) ReleaseEipSegmentAddress(ctx context.Context, call *rpc.Call, req *ReleaseEipSegmentAddressRequest) (*ReleaseEipSegmentAddressResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := store.GetIn[cloud.EipSegment](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.EipSegmentNotFound)
		}
		eips, err := store.All[cloud.EIP](ctx, tx, g.Region, store.Where(string(cloud.IdxSegment), g.ID))
		if err != nil {
			return err
		}
		for _, e := range eips {
			e.SegmentID = "" // the group itself is what goes
			if err := cloud.CheckReleaseEIP(e); err != nil {
				return err
			}
		}
		for _, e := range eips {
			if err := store.Delete[cloud.EIP](ctx, tx, e.ID); err != nil {
				return err
			}
		}
		return store.Delete[cloud.EipSegment](ctx, tx, g.ID)
	})
	if err != nil {
		return nil, err
	}
	return &ReleaseEipSegmentAddressResponse{}, nil
}
