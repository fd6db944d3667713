package vpc

import (
	"context"
	"errors"
	"net/netip"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// poolSupply is where AddPublicIpAddressPoolCidrBlock draws a block of
// CidrMask from: a range apart from the EIP pool (eipPool).
var poolSupply = netip.MustParsePrefix("47.99.0.0/16")

// registerIPPools adds the public IP address pool actions.
func (s *Service) registerIPPools(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "OpenPublicIpAddressPoolService", s.OpenPublicIpAddressPoolService)
	rpc.Handle(t, v, "GetPublicIpAddressPoolServiceStatus", s.GetPublicIpAddressPoolServiceStatus)
	rpc.Handle(t, v, "CreatePublicIpAddressPool", s.CreatePublicIpAddressPool)
	rpc.Handle(t, v, "ListPublicIpAddressPools", s.ListPublicIpAddressPools)
	rpc.Handle(t, v, "UpdatePublicIpAddressPoolAttribute", s.UpdatePublicIpAddressPoolAttribute)
	rpc.Handle(t, v, "DeletePublicIpAddressPool", s.DeletePublicIpAddressPool)
	rpc.Handle(t, v, "AddPublicIpAddressPoolCidrBlock", s.AddPublicIpAddressPoolCidrBlock)
	rpc.Handle(t, v, "ListPublicIpAddressPoolCidrBlocks", s.ListPublicIpAddressPoolCidrBlocks)
	rpc.Handle(t, v, "DeletePublicIpAddressPoolCidrBlock", s.DeletePublicIpAddressPoolCidrBlock)
}

// OpenPublicIpAddressPoolService opens the pool service of the account in
// the region; opening it again changes nothing.
func (s *Service) OpenPublicIpAddressPoolService(ctx context.Context, call *rpc.Call, req *FlowLogServiceRequest) (*OpenFlowLogServiceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		id := cloud.IPPoolServiceID(req.RegionID)
		if _, err := store.Get[cloud.IPPoolService](ctx, tx, id); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return store.Put(ctx, tx, cloud.IPPoolService{ID: id, Region: req.RegionID, Opened: tx.Now()})
	})
	if err != nil {
		return nil, err
	}
	return &OpenFlowLogServiceResponse{Code: "200", Message: "successful"}, nil
}

func ipPoolServiceOpen(ctx context.Context, tx store.Tx, region string) (bool, error) {
	_, err := store.Get[cloud.IPPoolService](ctx, tx, cloud.IPPoolServiceID(region))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// GetPublicIpAddressPoolServiceStatus answers whether the pool service is
// open in the region.
func (s *Service) GetPublicIpAddressPoolServiceStatus(ctx context.Context, call *rpc.Call, req *FlowLogServiceRequest) (*GetFlowLogServiceStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetFlowLogServiceStatusResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		resp.Enabled, err = ipPoolServiceOpen(ctx, tx, req.RegionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// CreatePublicIpAddressPoolRequest is VPC CreatePublicIpAddressPool.
type CreatePublicIpAddressPoolRequest struct {
	RegionID, Name, Description, ISP, ResourceGroupID, ClientToken string
	Zones                                                          []string
	DryRun                                                         bool
	Tags                                                           []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreatePublicIpAddressPoolRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("Name")
	r.Description = p.String("Description")
	r.ISP = p.Enum("Isp", "BGP", "BGP", "BGP_PRO")
	p.Enum("BizType", "Default", "Default")
	r.Zones = p.List("Zones")
	p.List("SecurityProtectionTypes")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreatePublicIpAddressPoolResponse carries the new pool; the SDKs model
// the id under both spellings (one misspelt), so both are sent.
type CreatePublicIpAddressPoolResponse struct {
	rpc.Base
	PublicIPAddressPoolID string `json:"PublicIpAddressPoolId"`
	PulbicIPAddressPoolID string `json:"PulbicIpAddressPoolId"`
	ResourceGroupID       string `json:"ResourceGroupId"`
}

// CreatePublicIpAddressPool makes an empty pool once the service is open.
func (s *Service) CreatePublicIpAddressPool(ctx context.Context, call *rpc.Call, req *CreatePublicIpAddressPoolRequest) (*CreatePublicIpAddressPoolResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreatePublicIpAddressPoolResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		if open, err := ipPoolServiceOpen(ctx, tx, req.RegionID); err != nil {
			return err
		} else if !open {
			return apierr.IPPoolServiceNotOpen.New()
		}
		for _, z := range req.Zones {
			if zone, ok := s.catalog.Zone(z); !ok || zone.RegionID != req.RegionID {
				return apierr.InvalidZoneID.New()
			}
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		pool := cloud.IPPool{
			ID: s.ids.ID("pippool", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description, ISP: req.ISP,
			Zones: req.Zones, Status: "Created", Created: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
			Tags: tagging.Cloud(req.Tags),
		}
		if err := store.Put(ctx, tx, pool); err != nil {
			return err
		}
		resp.PublicIPAddressPoolID, resp.PulbicIPAddressPoolID, resp.ResourceGroupID = pool.ID, pool.ID, pool.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListPublicIpAddressPoolsRequest is VPC ListPublicIpAddressPools.
type ListPublicIpAddressPoolsRequest struct {
	RegionID string
	IDs      []string
	Filters  []store.Filter
	DryRun   bool
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListPublicIpAddressPoolsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("PublicIpAddressPoolIds")
	r.Filters = append(r.Filters, bindWhere(p, []where{{"Name", "name"}, {"Isp", "isp"}, {"Status", "status"}, {"ResourceGroupId", "resourceGroup"}})...)
	// No pool here has security protection: asking for it matches none.
	if v := p.OptBool("SecurityProtectionEnabled"); v != nil && *v {
		r.Filters = append(r.Filters, store.Filter{Name: "name"})
	}
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tags"))...)
	r.DryRun = p.Bool("DryRun", false)
	r.bindPaging(p)
}

// IPPoolItem is one pool of ListPublicIpAddressPools.
type IPPoolItem struct {
	PublicIPAddressPoolID string    `json:"PublicIpAddressPoolId"`
	RegionID              string    `json:"RegionId"`
	Name                  string    `json:"Name"`
	Description           string    `json:"Description"`
	Isp                   string    `json:"Isp"`
	BizType               string    `json:"BizType"`
	Status                string    `json:"Status"`
	BusinessStatus        string    `json:"BusinessStatus"`
	CreationTime          string    `json:"CreationTime"`
	IPAddressRemaining    bool      `json:"IpAddressRemaining"`
	TotalIPNum            int       `json:"TotalIpNum"`
	UsedIPNum             int       `json:"UsedIpNum"`
	OwnerID               int64     `json:"OwnerId"`
	UserType              string    `json:"UserType"`
	ResourceGroupID       string    `json:"ResourceGroupId"`
	Zones                 []string  `json:"Zones"`
	Tags                  []TagItem `json:"Tags"`
}

// ListPublicIpAddressPoolsResponse pages PublicIpAddressPoolList[].
type ListPublicIpAddressPoolsResponse struct {
	rpc.Base
	PublicIPAddressPoolList []IPPoolItem `json:"PublicIpAddressPoolList"`
	NextToken               string       `json:"NextToken"`
	TotalCount              int          `json:"TotalCount"`
}

// ListPublicIpAddressPools lists a region's pools with their address counts.
func (s *Service) ListPublicIpAddressPools(ctx context.Context, call *rpc.Call, req *ListPublicIpAddressPoolsRequest) (*ListPublicIpAddressPoolsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListPublicIpAddressPoolsResponse{PublicIPAddressPoolList: []IPPoolItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: req.Offset, Limit: req.Max, Count: true}
		list, page, err := store.Find[cloud.IPPool](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, p := range list {
			used, err := store.Count[cloud.EIP](ctx, tx, p.Region, store.Where(string(cloud.IdxPool), p.ID))
			if err != nil {
				return err
			}
			total := 0
			for _, b := range p.Blocks {
				total += len(cloud.PoolHosts(b.CIDR))
			}
			resp.PublicIPAddressPoolList = append(resp.PublicIPAddressPoolList, IPPoolItem{
				PublicIPAddressPoolID: p.ID, RegionID: p.Region, Name: p.Name, Description: p.Description, Isp: p.ISP, BizType: "Default",
				Status: p.Status, BusinessStatus: "Normal", CreationTime: cloud.FormatSecond(p.Created), IPAddressRemaining: used < total,
				TotalIPNum: total, UsedIPNum: used, OwnerID: ownerID(call.Account), UserType: "User", ResourceGroupID: p.ResourceGroup,
				Zones: append([]string{}, p.Zones...), Tags: tagsOf(p.Tags).Tag,
			})
		}
		resp.TotalCount = page.Total
		resp.NextToken = req.next(len(list), page)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// UpdatePublicIpAddressPoolAttributeRequest is the VPC action.
type UpdatePublicIpAddressPoolAttributeRequest struct {
	RegionID, ID      string
	Name, Description *string
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *UpdatePublicIpAddressPoolAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PublicIpAddressPoolId")
	r.Name = optString(p, "Name")
	r.Description = optString(p, "Description")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// IPPoolResponse is {RequestId}.
type IPPoolResponse struct{ rpc.Base }

// UpdatePublicIpAddressPoolAttribute renames or redescribes a pool.
func (s *Service) UpdatePublicIpAddressPoolAttribute(ctx context.Context, call *rpc.Call, req *UpdatePublicIpAddressPoolAttributeRequest) (*IPPoolResponse, error) {
	return s.changeIPPool(ctx, call, req.RegionID, req.ID, req.DryRun, func(_ store.Tx, p *cloud.IPPool) (bool, error) {
		rename(&p.Name, &p.Description, req.Name, req.Description)
		return true, nil
	})
}

// changeIPPool runs change on a pool, then writes it back (keep) or
// deletes it.
func (s *Service) changeIPPool(ctx context.Context, call *rpc.Call, region, id string, dryRun bool, change func(store.Tx, *cloud.IPPool) (bool, error)) (*IPPoolResponse, error) {
	if err := changeOne(ctx, s, call, region, id, apierr.IPPoolNotFound, dryRun, change); err != nil {
		return nil, err
	}
	return &IPPoolResponse{}, nil
}

// PoolRequest names one pool (DeletePublicIpAddressPool).
type PoolRequest struct {
	RegionID, ID string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *PoolRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PublicIpAddressPoolId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeletePublicIpAddressPool removes a pool, its blocks with it, once no
// EIP drawn from it remains.
func (s *Service) DeletePublicIpAddressPool(ctx context.Context, call *rpc.Call, req *PoolRequest) (*IPPoolResponse, error) {
	return s.changeIPPool(ctx, call, req.RegionID, req.ID, req.DryRun, func(tx store.Tx, p *cloud.IPPool) (bool, error) {
		if n, err := store.Count[cloud.EIP](ctx, tx, p.Region, store.Where(string(cloud.IdxPool), p.ID)); err != nil {
			return false, err
		} else if n > 0 {
			return false, apierr.PoolIPInUse.New().WithDetail("%d EIPs of %s remain", n, p.ID)
		}
		return false, nil
	})
}

// AddPublicIpAddressPoolCidrBlockRequest is the VPC action.
type AddPublicIpAddressPoolCidrBlockRequest struct {
	RegionID, ID, CIDR, ClientToken string
	Mask                            int
	DryRun                          bool
}

// Bind implements rpc.Binder: a CidrBlock, or a CidrMask for a block the
// cloud picks, not both.
func (r *AddPublicIpAddressPoolCidrBlockRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PublicIpAddressPoolId")
	r.CIDR = p.String("CidrBlock")
	r.Mask = p.Int("CidrMask", 0, 24, 28)
	if (r.CIDR == "") == (r.Mask == 0) {
		p.Fail(apierr.InvalidParameter.New("CidrBlock"))
	}
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// AddPublicIpAddressPoolCidrBlockResponse carries the block added.
type AddPublicIpAddressPoolCidrBlockResponse struct {
	rpc.Base
	CidrBlock string `json:"CidrBlock"`
}

// AddPublicIpAddressPoolCidrBlock adds a public block that overlaps
// neither ecslocal's EIP pool nor any pool's block, or the first free
// block of CidrMask from the supply range.
func (s *Service) AddPublicIpAddressPoolCidrBlock(ctx context.Context, call *rpc.Call, req *AddPublicIpAddressPoolCidrBlockRequest) (*AddPublicIpAddressPoolCidrBlockResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &AddPublicIpAddressPoolCidrBlockResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		p, err := store.GetIn[cloud.IPPool](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.IPPoolNotFound)
		}
		pools, err := store.All[cloud.IPPool](ctx, tx, "")
		if err != nil {
			return err
		}
		var taken []string
		for _, o := range pools {
			for _, b := range o.Blocks {
				taken = append(taken, b.CIDR)
			}
		}
		cidr := req.CIDR
		if cidr == "" {
			size := 1 << (32 - req.Mask)
			for off := 0; off < 1<<16 && cidr == ""; off += size {
				base := poolSupply.Addr().As4()
				base[2], base[3] = byte(off>>8), byte(off)
				c := netip.PrefixFrom(netip.AddrFrom4(base), req.Mask).String()
				if cloud.CheckPoolBlock(c, []netip.Prefix{eipPool}, taken) == nil {
					cidr = c
				}
			}
			if cidr == "" {
				return apierr.PoolCidrMaskNotEnough.New()
			}
		}
		if err := cloud.CheckPoolBlock(cidr, []netip.Prefix{eipPool}, taken); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		p.Blocks = append(p.Blocks, cloud.PoolBlock{CIDR: cidr, Created: tx.Now()})
		if err := store.Put(ctx, tx, p); err != nil {
			return err
		}
		resp.CidrBlock = cidr
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListPublicIpAddressPoolCidrBlocksRequest is the VPC action.
type ListPublicIpAddressPoolCidrBlocksRequest struct {
	RegionID, ID, CIDR string
	DryRun             bool
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListPublicIpAddressPoolCidrBlocksRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PublicIpAddressPoolId")
	r.CIDR = p.String("CidrBlock")
	r.DryRun = p.Bool("DryRun", false)
	r.bindPaging(p)
}

// PoolBlockItem is one block of ListPublicIpAddressPoolCidrBlocks.
type PoolBlockItem struct {
	CidrBlock             string `json:"CidrBlock"`
	PublicIPAddressPoolID string `json:"PublicIpAddressPoolId"`
	Status                string `json:"Status"`
	CreationTime          string `json:"CreationTime"`
	TotalIPNum            int    `json:"TotalIpNum"`
	UsedIPNum             int    `json:"UsedIpNum"`
}

// ListPublicIpAddressPoolCidrBlocksResponse pages PublicIpPoolCidrBlockList[].
type ListPublicIpAddressPoolCidrBlocksResponse struct {
	rpc.Base
	PublicIPPoolCidrBlockList []PoolBlockItem `json:"PublicIpPoolCidrBlockList"`
	NextToken                 string          `json:"NextToken"`
	TotalCount                int             `json:"TotalCount"`
}

// ListPublicIpAddressPoolCidrBlocks lists a pool's blocks with their use.
func (s *Service) ListPublicIpAddressPoolCidrBlocks(ctx context.Context, call *rpc.Call, req *ListPublicIpAddressPoolCidrBlocksRequest) (*ListPublicIpAddressPoolCidrBlocksResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListPublicIpAddressPoolCidrBlocksResponse{PublicIPPoolCidrBlockList: []PoolBlockItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		p, err := store.GetIn[cloud.IPPool](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.IPPoolNotFound)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		eips, err := store.All[cloud.EIP](ctx, tx, p.Region, store.Where(string(cloud.IdxPool), p.ID))
		if err != nil {
			return err
		}
		var blocks []cloud.PoolBlock
		for _, b := range p.Blocks {
			if req.CIDR == "" || b.CIDR == req.CIDR {
				blocks = append(blocks, b)
			}
		}
		from, to, next := pageOf(len(blocks), req.Offset, req.Max)
		page := blocks[from:to]
		for _, b := range page {
			prefix := netip.MustParsePrefix(b.CIDR)
			used := 0
			for _, e := range eips {
				if a, err := netip.ParseAddr(e.IPAddress); err == nil && prefix.Contains(a) {
					used++
				}
			}
			resp.PublicIPPoolCidrBlockList = append(resp.PublicIPPoolCidrBlockList, PoolBlockItem{
				CidrBlock: b.CIDR, PublicIPAddressPoolID: p.ID, Status: "Created", CreationTime: cloud.FormatSecond(b.Created),
				TotalIPNum: len(cloud.PoolHosts(b.CIDR)), UsedIPNum: used,
			})
		}
		resp.TotalCount = len(blocks)
		resp.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeletePublicIpAddressPoolCidrBlockRequest is the VPC action.
type DeletePublicIpAddressPoolCidrBlockRequest struct {
	RegionID, ID, CIDR string
	DryRun             bool
}

// Bind implements rpc.Binder.
func (r *DeletePublicIpAddressPoolCidrBlockRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("PublicIpAddressPoolId")
	r.CIDR = p.Required("CidrBlock")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeletePublicIpAddressPoolCidrBlock removes a block none of whose
// addresses is an EIP any more.
func (s *Service) DeletePublicIpAddressPoolCidrBlock(ctx context.Context, call *rpc.Call, req *DeletePublicIpAddressPoolCidrBlockRequest) (*IPPoolResponse, error) {
	return s.changeIPPool(ctx, call, req.RegionID, req.ID, req.DryRun, func(tx store.Tx, p *cloud.IPPool) (bool, error) {
		i := -1
		for j, b := range p.Blocks {
			if b.CIDR == req.CIDR {
				i = j
			}
		}
		if i < 0 {
			return true, apierr.PoolCidrNotFound.New().WithDetail("%s is not in %s", req.CIDR, p.ID)
		}
		eips, err := store.All[cloud.EIP](ctx, tx, p.Region, store.Where(string(cloud.IdxPool), p.ID))
		if err != nil {
			return true, err
		}
		prefix := netip.MustParsePrefix(req.CIDR)
		for _, e := range eips {
			if a, err := netip.ParseAddr(e.IPAddress); err == nil && prefix.Contains(a) {
				return true, apierr.PoolIPInUse.New().WithDetail("EIP %s is in %s", e.ID, req.CIDR)
			}
		}
		p.Blocks = append(p.Blocks[:i:i], p.Blocks[i+1:]...)
		return true, nil
	})
}

// poolAddress draws a free address of pool id for an EIP: the one asked
// for when it is a host of the pool's blocks, else the lowest free one.
func poolAddress(ctx context.Context, tx store.Tx, region, id, want string) (string, error) {
	p, err := store.GetIn[cloud.IPPool](ctx, tx, region, id)
	if err != nil {
		return "", notFound(err, apierr.IPPoolNotFound)
	}
	held, err := store.All[cloud.EIP](ctx, tx, "")
	if err != nil {
		return "", err
	}
	taken := map[string]bool{}
	for _, e := range held {
		taken[e.IPAddress] = true
	}
	for _, b := range p.Blocks {
		for _, ip := range cloud.PoolHosts(b.CIDR) {
			if want != "" && ip != want {
				continue
			}
			if taken[ip] {
				if want != "" {
					return "", apierr.EIPAddressInUse.New().WithDetail("%s is allocated", ip)
				}
				continue
			}
			return ip, nil
		}
	}
	if want != "" {
		return "", apierr.EIPAddressNotInPool.New().WithDetail("%s is in no block of %s", want, p.ID)
	}
	return "", apierr.PoolIPNotEnough.New().WithDetail("%s has %d blocks, all used", p.ID, len(p.Blocks))
}
