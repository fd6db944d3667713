package vpc

import (
	"context"
	"encoding/base64"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerNatIPs adds the NAT IP and NAT IP CIDR actions of VPC NAT
// gateways, their FULLNAT entries and the rest of the NAT long tail.
func (s *Service) registerNatIPs(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateNatIpCidr", s.CreateNatIpCidr)
	rpc.Handle(t, v, "ListNatIpCidrs", s.ListNatIpCidrs)
	rpc.Handle(t, v, "ModifyNatIpCidrAttribute", s.ModifyNatIpCidrAttribute)
	rpc.Handle(t, v, "DeleteNatIpCidr", s.DeleteNatIpCidr)
	rpc.Handle(t, v, "CreateNatIp", s.CreateNatIp)
	rpc.Handle(t, v, "ListNatIps", s.ListNatIps)
	rpc.Handle(t, v, "ModifyNatIpAttribute", s.ModifyNatIpAttribute)
	rpc.Handle(t, v, "DeleteNatIp", s.DeleteNatIp)
	rpc.Handle(t, v, "GetNatIpAttribute", s.GetNatIpAttribute)
	rpc.Handle(t, v, "GetNatIpCidrAttribute", s.GetNatIpCidrAttribute)
	rpc.Handle(t, v, "CreateFullNatEntry", s.CreateFullNatEntry)
	rpc.Handle(t, v, "ListFullNatEntries", s.ListFullNatEntries)
	rpc.Handle(t, v, "ModifyFullNatEntryAttribute", s.ModifyFullNatEntryAttribute)
	rpc.Handle(t, v, "DeleteFullNatEntry", s.DeleteFullNatEntry)
	rpc.Handle(t, v, "GetNatGatewayAttribute", s.GetNatGatewayAttribute)
	rpc.Handle(t, v, "ModifyNatGatewaySpec", s.ModifyNatGatewaySpec)
	rpc.Handle(t, v, "ListEnhanhcedNatGatewayAvailableZones", s.ListEnhanhcedNatGatewayAvailableZones)
}

// bindOffsetToken reads a NextToken of the List actions: the base64 offset
// of the next page (0 when absent); a malformed one is InvalidNextToken.
func bindOffsetToken(p *rpc.Params) int {
	tok := p.String("NextToken")
	if tok == "" {
		return 0
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	n, perr := strconv.Atoi(string(raw))
	if err != nil || perr != nil || n <= 0 {
		p.Fail(apierr.InvalidNextToken.New())
	}
	return n
}

// offsetToken is the NextToken after a page: "" on the last one.
func offsetToken(offset, n int, more bool) string {
	if !more {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset + n)))
}

// offsetPaging is the MaxResults and NextToken (an offset) of the List actions.
type offsetPaging struct{ Offset, Max int }

func (o *offsetPaging) bindPaging(p *rpc.Params) {
	o.Max = p.Int("MaxResults", 20, 1, 100)
	o.Offset = bindOffsetToken(p)
}

// next is the NextToken after the n items of page the store answered.
func (o offsetPaging) next(n int, page store.Page) string { return offsetToken(o.Offset, n, page.More) }

// intranetNat reads a VPC NAT gateway that NAT IP actions may use.
func intranetNat(ctx context.Context, tx store.Tx, region, id string) (cloud.NatGateway, error) {
	n, err := store.GetIn[cloud.NatGateway](ctx, tx, region, id)
	if err != nil {
		return n, notFound(err, apierr.InvalidNatGatewayIDNotFound)
	}
	return n, cloud.CheckGatewayIntranet(n)
}

// natGatewayPage is one page of the blocks or addresses (kind T) of a VPC
// NAT gateway, with its TotalCount and NextToken.
func natGatewayPage[T cloud.Resource](ctx context.Context, s *Service, call *rpc.Call, region, natID string, dryRun bool,
	ids []string, filters []store.Filter, o offsetPaging) (list []T, total, next string, err error) {
	if err := s.checkRegion(region); err != nil {
		return nil, "", "", err
	}
	err = s.store.View(ctx, call.Account, func(tx store.Tx) error {
		n, err := intranetNat(ctx, tx, region, natID)
		if err != nil {
			return err
		}
		if dryRun {
			return apierr.DryRunOperation.New()
		}
		q := store.Query{Region: n.Region, IDs: ids, Filters: append([]store.Filter{store.Where("natGateway", n.ID)}, filters...),
			Offset: o.Offset, Limit: o.Max, Count: true}
		var page store.Page
		if list, page, err = store.Find[T](ctx, tx, q); err != nil {
			return err
		}
		total, next = strconv.Itoa(page.Total), o.next(len(list), page)
		return nil
	})
	return list, total, next, err
}

// natIPCidrOf finds the block cidr of gateway n.
func natIPCidrOf(ctx context.Context, tx store.Tx, n cloud.NatGateway, cidr string) (cloud.NatIPCidr, error) {
	list, err := store.All[cloud.NatIPCidr](ctx, tx, n.Region, store.Where("natGateway", n.ID), store.Where("cidr", cidr))
	if err != nil {
		return cloud.NatIPCidr{}, err
	}
	if len(list) == 0 {
		return cloud.NatIPCidr{}, apierr.NatIPCidrNotFound.New().WithDetail("%s is no NAT IP CIDR block of %s", cidr, n.ID)
	}
	return list[0], nil
}

// CreateNatIpCidrRequest is VPC CreateNatIpCidr.
type CreateNatIpCidrRequest struct {
	RegionID, NatGatewayID, NatIPCidr, Name, Description, ClientToken string
	DryRun                                                            bool
}

// Bind implements rpc.Binder.
func (r *CreateNatIpCidrRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.NatIPCidr = p.Required("NatIpCidr")
	r.Name = p.String("NatIpCidrName")
	r.Description = p.String("NatIpCidrDescription")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateNatIpCidrResponse carries the block's id.
type CreateNatIpCidrResponse struct {
	rpc.Base
	NatIPCidrID string `json:"NatIpCidrId"`
}

// CreateNatIpCidr adds a private block, overlapping none of the gateway's,
// that NAT IPs may be drawn from; it is Available at once.
func (s *Service) CreateNatIpCidr(ctx context.Context, call *rpc.Call, req *CreateNatIpCidrRequest) (*CreateNatIpCidrResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateNatIpCidrResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		n, err := intranetNat(ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return err
		}
		have, err := store.All[cloud.NatIPCidr](ctx, tx, n.Region, store.Where("natGateway", n.ID))
		if err != nil {
			return err
		}
		if err := cloud.CheckNatIPCidr(req.NatIPCidr, have); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		c := cloud.NatIPCidr{
			ID: s.ids.ID("vpcnatcidr", n.Region), Region: n.Region, NatGatewayID: n.ID, CIDR: req.NatIPCidr,
			Name: req.Name, Description: req.Description, Status: entryAvailable, Created: tx.Now(),
		}
		if err := store.Put(ctx, tx, c); err != nil {
			return err
		}
		resp.NatIPCidrID = c.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListNatIpCidrsRequest is VPC ListNatIpCidrs.
type ListNatIpCidrsRequest struct {
	RegionID, NatGatewayID string
	Filters                []store.Filter
	DryRun                 bool
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListNatIpCidrsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	cidrs := p.List("NatIpCidrs")
	if c := p.String("NatIpCidr"); c != "" {
		cidrs = append(cidrs, c)
	}
	if len(cidrs) > 0 {
		r.Filters = append(r.Filters, store.Where("cidr", cidrs...))
	}
	if names := p.List("NatIpCidrName"); len(names) > 0 {
		r.Filters = append(r.Filters, store.Where("name", names...))
	}
	if st := p.String("NatIpCidrStatus"); st != "" {
		r.Filters = append(r.Filters, store.Where("status", st))
	}
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
	r.bindPaging(p)
}

// NatIPCidrItem is one block of ListNatIpCidrs.
type NatIPCidrItem struct {
	NatIPCidrID          string `json:"NatIpCidrId"`
	NatIPCidr            string `json:"NatIpCidr"`
	NatIPCidrName        string `json:"NatIpCidrName"`
	NatIPCidrDescription string `json:"NatIpCidrDescription"`
	NatIPCidrStatus      string `json:"NatIpCidrStatus"`
	NatGatewayID         string `json:"NatGatewayId"`
	IsDefault            bool   `json:"IsDefault"`
	CreationTime         string `json:"CreationTime"`
}

// ListNatIpCidrsResponse pages NatIpCidrs[].
type ListNatIpCidrsResponse struct {
	rpc.Base
	NatIPCidrs []NatIPCidrItem `json:"NatIpCidrs"`
	NextToken  string          `json:"NextToken"`
	TotalCount string          `json:"TotalCount"`
}

// ListNatIpCidrs lists a VPC NAT gateway's blocks, the default one first.
func (s *Service) ListNatIpCidrs(ctx context.Context, call *rpc.Call, req *ListNatIpCidrsRequest) (*ListNatIpCidrsResponse, error) {
	list, total, next, err := natGatewayPage[cloud.NatIPCidr](ctx, s, call, req.RegionID, req.NatGatewayID, req.DryRun, nil, req.Filters, req.offsetPaging)
	if err != nil {
		return nil, err
	}
	resp := &ListNatIpCidrsResponse{NatIPCidrs: []NatIPCidrItem{}, TotalCount: total, NextToken: next}
	for _, c := range list {
		resp.NatIPCidrs = append(resp.NatIPCidrs, NatIPCidrItem{
			NatIPCidrID: c.ID, NatIPCidr: c.CIDR, NatIPCidrName: c.Name, NatIPCidrDescription: c.Description,
			NatIPCidrStatus: c.Status, NatGatewayID: c.NatGatewayID, IsDefault: c.Default, CreationTime: cloud.FormatSecond(c.Created),
		})
	}
	return resp, nil
}

// ModifyNatIpCidrAttributeRequest is VPC ModifyNatIpCidrAttribute.
type ModifyNatIpCidrAttributeRequest struct {
	RegionID, NatGatewayID, NatIPCidr string
	Name, Description                 *string
	DryRun                            bool
}

// Bind implements rpc.Binder.
func (r *ModifyNatIpCidrAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.NatIPCidr = p.Required("NatIpCidr")
	r.Name = optString(p, "NatIpCidrName")
	r.Description = optString(p, "NatIpCidrDescription")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// ModifyNatIpCidrAttributeResponse is {RequestId}.
type ModifyNatIpCidrAttributeResponse struct{ rpc.Base }

// ModifyNatIpCidrAttribute renames or redescribes a block.
func (s *Service) ModifyNatIpCidrAttribute(ctx context.Context, call *rpc.Call, req *ModifyNatIpCidrAttributeRequest) (*ModifyNatIpCidrAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := intranetNat(ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return err
		}
		c, err := natIPCidrOf(ctx, tx, n, req.NatIPCidr)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		rename(&c.Name, &c.Description, req.Name, req.Description)
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyNatIpCidrAttributeResponse{}, nil
}

// DeleteNatIpCidrRequest is VPC DeleteNatIpCidr.
type DeleteNatIpCidrRequest struct {
	RegionID, NatGatewayID, NatIPCidr string
	DryRun                            bool
}

// Bind implements rpc.Binder.
func (r *DeleteNatIpCidrRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.NatIPCidr = p.Required("NatIpCidr")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteNatIpCidrResponse is {RequestId}.
type DeleteNatIpCidrResponse struct{ rpc.Base }

// DeleteNatIpCidr removes a block that is not the default one and from
// which no NAT IP is drawn any more.
func (s *Service) DeleteNatIpCidr(ctx context.Context, call *rpc.Call, req *DeleteNatIpCidrRequest) (*DeleteNatIpCidrResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := intranetNat(ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return err
		}
		c, err := natIPCidrOf(ctx, tx, n, req.NatIPCidr)
		if err != nil {
			return err
		}
		if c.Default {
			return apierr.NatIPCidrDefault.New()
		}
		if k, err := store.Count[cloud.NatIP](ctx, tx, n.Region, store.Where("natGateway", n.ID), store.Where("cidr", c.CIDR)); err != nil {
			return err
		} else if k > 0 {
			return apierr.NatIPCidrDependency.New().WithDetail("%s holds %d NAT IPs", c.CIDR, k)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Delete[cloud.NatIPCidr](ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteNatIpCidrResponse{}, nil
}

// CreateNatIpRequest is VPC CreateNatIp.
type CreateNatIpRequest struct {
	RegionID, NatGatewayID, NatIPCidr, NatIP, Name, Description, ClientToken string
	DryRun                                                                   bool
}

// Bind implements rpc.Binder. IP prefixes (Ipv4Prefix, Ipv4PrefixCount)
// are not modelled: a request for one is refused naming the parameter.
func (r *CreateNatIpRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.NatIPCidr = p.Required("NatIpCidr")
	r.NatIP = p.String("NatIp")
	r.Name = p.String("NatIpName")
	r.Description = p.String("NatIpDescription")
	if p.String("Ipv4Prefix") != "" {
		p.Fail(apierr.InvalidParameter.New("Ipv4Prefix"))
	}
	if p.OptInt("Ipv4PrefixCount", 0, 1<<20) != nil {
		p.Fail(apierr.InvalidParameter.New("Ipv4PrefixCount"))
	}
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateNatIpResponse carries the new NAT IP.
type CreateNatIpResponse struct {
	rpc.Base
	NatIP   string `json:"NatIp"`
	NatIPID string `json:"NatIpId"`
}

// CreateNatIp draws an address from one of the gateway's blocks: the one
// asked for, if it is a free host of the block, or the lowest free host.
// In the default block (the gateway's vSwitch) the address is the
// vSwitch's, so it is taken from the vSwitch as an ENI's would be.
func (s *Service) CreateNatIp(ctx context.Context, call *rpc.Call, req *CreateNatIpRequest) (*CreateNatIpResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateNatIpResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		n, err := intranetNat(ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return err
		}
		c, err := natIPCidrOf(ctx, tx, n, req.NatIPCidr)
		if err != nil {
			return err
		}
		used := map[string]bool{}
		ips, err := store.All[cloud.NatIP](ctx, tx, n.Region, store.Where("natGateway", n.ID), store.Where("cidr", c.CIDR))
		if err != nil {
			return err
		}
		for _, ip := range ips {
			used[ip.IP] = true
		}
		ip := req.NatIP
		var vsw *cloud.VSwitch
		if c.Default {
			w, err := store.GetIn[cloud.VSwitch](ctx, tx, n.Region, n.VSwitchID)
			if err != nil {
				return err
			}
			vsw = &w
		}
		switch {
		case ip != "":
			if !(cloud.VSwitch{CidrBlock: c.CIDR}).HostInBlock(ip) {
				return apierr.InvalidParameter.New("NatIp")
			}
			if used[ip] {
				return apierr.NatIPUsed.New().WithDetail("%s is a NAT IP of %s", ip, n.ID)
			}
			if vsw != nil {
				if k, err := store.Count[cloud.ENI](ctx, tx, n.Region, store.Where("vswitch", vsw.ID), store.Where("privateIp", ip)); err != nil {
					return err
				} else if k > 0 || ip == n.PrivateIP {
					return apierr.NatIPUsed.New().WithDetail("%s is in use in %s", ip, vsw.ID)
				}
			}
		case vsw != nil:
			next, got, ok := vsw.AllocateIP()
			if !ok {
				return apierr.VSwitchIPNotEnough.New()
			}
			*vsw, ip = next, got
		default:
			got, ok := cloud.FreeNatIP(c.CIDR, func(a string) bool { return used[a] })
			if !ok {
				return apierr.VSwitchIPNotEnough.New()
			}
			ip = got
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if vsw != nil && req.NatIP == "" {
			if err := store.Put(ctx, tx, *vsw); err != nil {
				return err
			}
		}
		nip := cloud.NatIP{
			ID: s.ids.ID("vpcnatip", n.Region), Region: n.Region, NatGatewayID: n.ID, CIDR: c.CIDR, IP: ip,
			Name: req.Name, Description: req.Description, Status: entryAvailable, Created: tx.Now(),
		}
		if err := store.Put(ctx, tx, nip); err != nil {
			return err
		}
		resp.NatIP, resp.NatIPID = nip.IP, nip.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListNatIpsRequest is VPC ListNatIps.
type ListNatIpsRequest struct {
	RegionID, NatGatewayID string
	IDs                    []string
	Filters                []store.Filter
	DryRun                 bool
	offsetPaging
}

// Bind implements rpc.Binder.
func (r *ListNatIpsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.IDs = p.List("NatIpIds")
	if c := p.String("NatIpCidr"); c != "" {
		r.Filters = append(r.Filters, store.Where("cidr", c))
	}
	if names := p.List("NatIpName"); len(names) > 0 {
		r.Filters = append(r.Filters, store.Where("name", names...))
	}
	if st := p.String("NatIpStatus"); st != "" {
		r.Filters = append(r.Filters, store.Where("status", st))
	}
	// Every NAT IP here is an address, none a prefix, and all are drawn
	// by the gateway itself: these filters match none or all.
	if p.String("Ipv4Prefix") != "" {
		r.Filters = append(r.Filters, store.Filter{Name: "ip"})
	}
	p.String("IpOrigin")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
	r.bindPaging(p)
}

// NatIPListItem is one NAT IP of ListNatIps.
type NatIPListItem struct {
	NatIPID          string `json:"NatIpId"`
	NatIP            string `json:"NatIp"`
	NatIPCidr        string `json:"NatIpCidr"`
	NatIPName        string `json:"NatIpName"`
	NatIPDescription string `json:"NatIpDescription"`
	NatIPStatus      string `json:"NatIpStatus"`
	NatGatewayID     string `json:"NatGatewayId"`
	IsDefault        bool   `json:"IsDefault"`
}

// ListNatIpsResponse pages NatIps[].
type ListNatIpsResponse struct {
	rpc.Base
	NatIPs     []NatIPListItem `json:"NatIps"`
	NextToken  string          `json:"NextToken"`
	TotalCount string          `json:"TotalCount"`
}

// ListNatIps lists a VPC NAT gateway's addresses, the default one first.
func (s *Service) ListNatIps(ctx context.Context, call *rpc.Call, req *ListNatIpsRequest) (*ListNatIpsResponse, error) {
	list, total, next, err := natGatewayPage[cloud.NatIP](ctx, s, call, req.RegionID, req.NatGatewayID, req.DryRun, req.IDs, req.Filters, req.offsetPaging)
	if err != nil {
		return nil, err
	}
	resp := &ListNatIpsResponse{NatIPs: []NatIPListItem{}, TotalCount: total, NextToken: next}
	for _, ip := range list {
		resp.NatIPs = append(resp.NatIPs, natIPItem(ip))
	}
	return resp, nil
}

func natIPItem(ip cloud.NatIP) NatIPListItem {
	return NatIPListItem{
		NatIPID: ip.ID, NatIP: ip.IP, NatIPCidr: ip.CIDR, NatIPName: ip.Name, NatIPDescription: ip.Description,
		NatIPStatus: ip.Status, NatGatewayID: ip.NatGatewayID, IsDefault: ip.Default,
	}
}

// ModifyNatIpAttributeRequest is VPC ModifyNatIpAttribute.
type ModifyNatIpAttributeRequest struct {
	RegionID, NatIPID string
	Name, Description *string
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *ModifyNatIpAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatIPID = p.Required("NatIpId")
	r.Name = optString(p, "NatIpName")
	r.Description = optString(p, "NatIpDescription")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// ModifyNatIpAttributeResponse is {RequestId}.
type ModifyNatIpAttributeResponse struct{ rpc.Base }

// ModifyNatIpAttribute renames or redescribes a NAT IP.
func (s *Service) ModifyNatIpAttribute(ctx context.Context, call *rpc.Call, req *ModifyNatIpAttributeRequest) (*ModifyNatIpAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		ip, err := store.GetIn[cloud.NatIP](ctx, tx, req.RegionID, req.NatIPID)
		if err != nil {
			return notFound(err, apierr.NatIPNotFound)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		rename(&ip.Name, &ip.Description, req.Name, req.Description)
		return store.Put(ctx, tx, ip)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyNatIpAttributeResponse{}, nil
}

// DeleteNatIpRequest is VPC DeleteNatIp.
type DeleteNatIpRequest struct {
	RegionID, NatIPID string
	DryRun            bool
}

// Bind implements rpc.Binder. NatIpId is required here: the prefix form
// (NatGatewayId with Ipv4Prefix) is not modelled.
func (r *DeleteNatIpRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	p.String("NatGatewayId")
	if p.String("Ipv4Prefix") != "" {
		p.Fail(apierr.InvalidParameter.New("Ipv4Prefix"))
	}
	r.NatIPID = p.Required("NatIpId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteNatIpResponse is {RequestId}.
type DeleteNatIpResponse struct{ rpc.Base }

// DeleteNatIp removes a NAT IP that is not the gateway's default one and
// that no SNAT, DNAT or FULLNAT entry translates to.
func (s *Service) DeleteNatIp(ctx context.Context, call *rpc.Call, req *DeleteNatIpRequest) (*DeleteNatIpResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		ip, err := store.GetIn[cloud.NatIP](ctx, tx, req.RegionID, req.NatIPID)
		if err != nil {
			return notFound(err, apierr.NatIPNotFound)
		}
		if ip.Default {
			return apierr.NatIPDefault.New()
		}
		of, addr := store.Where("natGateway", ip.NatGatewayID), store.Where("ip", ip.IP)
		snat, err := store.Count[cloud.SnatEntry](ctx, tx, ip.Region, of, addr)
		if err != nil {
			return err
		}
		fwd, err := store.Count[cloud.ForwardEntry](ctx, tx, ip.Region, of, addr)
		if err != nil {
			return err
		}
		full, err := store.Count[cloud.FullNatEntry](ctx, tx, ip.Region, of, addr)
		if err != nil {
			return err
		}
		if snat+fwd+full > 0 {
			return apierr.NatIPDependency.New().WithDetail("%s is in %d SNAT, %d DNAT and %d FULLNAT entries", ip.IP, snat, fwd, full)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Delete[cloud.NatIP](ctx, tx, ip.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteNatIpResponse{}, nil
}

// fullNatTables is FullNatTableIds of a gateway: its table, or none.
func fullNatTables(n cloud.NatGateway) []string {
	if n.FullNatTableID == "" {
		return []string{}
	}
	return []string{n.FullNatTableID}
}

// putDefaultNatIPs gives a new VPC NAT gateway its default block (its
// vSwitch's) and its default NAT IP (its own address in the vSwitch).
func (s *Service) putDefaultNatIPs(ctx context.Context, tx store.Tx, n cloud.NatGateway, w cloud.VSwitch) error {
	if n.NetworkType != cloud.NatIntranet {
		return nil
	}
	c := cloud.NatIPCidr{
		ID: s.ids.ID("vpcnatcidr", n.Region), Region: n.Region, NatGatewayID: n.ID, CIDR: w.CidrBlock,
		Default: true, Status: entryAvailable, Created: n.Created,
	}
	if err := store.Put(ctx, tx, c); err != nil {
		return err
	}
	return store.Put(ctx, tx, cloud.NatIP{
		ID: s.ids.ID("vpcnatip", n.Region), Region: n.Region, NatGatewayID: n.ID, CIDR: w.CidrBlock, IP: n.PrivateIP,
		Default: true, Status: entryAvailable, Created: n.Created,
	})
}

// deleteNatAddressSpace removes, with the gateway, its FULLNAT entries
// (refused without Force while any remain), NAT IPs and blocks.
func deleteNatAddressSpace(ctx context.Context, tx store.Tx, n cloud.NatGateway, force bool) error {
	of := store.Where("natGateway", n.ID)
	full, err := store.All[cloud.FullNatEntry](ctx, tx, n.Region, of)
	if err != nil {
		return err
	}
	if len(full) > 0 && !force {
		return apierr.NatDependencyFullNat.New().WithDetail("%s has %d FULLNAT entries", n.ID, len(full))
	}
	for _, e := range full {
		if err := store.Delete[cloud.FullNatEntry](ctx, tx, e.ID); err != nil {
			return err
		}
	}
	ips, err := store.All[cloud.NatIP](ctx, tx, n.Region, of)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if err := store.Delete[cloud.NatIP](ctx, tx, ip.ID); err != nil {
			return err
		}
	}
	cidrs, err := store.All[cloud.NatIPCidr](ctx, tx, n.Region, of)
	if err != nil {
		return err
	}
	for _, c := range cidrs {
		if err := store.Delete[cloud.NatIPCidr](ctx, tx, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// GetNatIpAttributeRequest is VPC GetNatIpAttribute.
type GetNatIpAttributeRequest struct {
	RegionID, NatIPID string
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *GetNatIpAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatIPID = p.Required("NatIpId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// GetNatIpAttributeResponse is one NAT IP.
type GetNatIpAttributeResponse struct {
	rpc.Base
	NatIPID          string `json:"NatIpId"`
	NatIP            string `json:"NatIp"`
	NatIPCidr        string `json:"NatIpCidr"`
	NatIPName        string `json:"NatIpName"`
	NatIPDescription string `json:"NatIpDescription"`
	NatIPStatus      string `json:"NatIpStatus"`
	NatGatewayID     string `json:"NatGatewayId"`
	CreationTime     string `json:"CreationTime"`
}

// GetNatIpAttribute answers one NAT IP.
func (s *Service) GetNatIpAttribute(ctx context.Context, call *rpc.Call, req *GetNatIpAttributeRequest) (*GetNatIpAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetNatIpAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		ip, err := store.GetIn[cloud.NatIP](ctx, tx, req.RegionID, req.NatIPID)
		if err != nil {
			return notFound(err, apierr.NatIPNotFound)
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		resp.NatIPID, resp.NatIP, resp.NatIPCidr, resp.NatIPName = ip.ID, ip.IP, ip.CIDR, ip.Name
		resp.NatIPDescription, resp.NatIPStatus, resp.NatGatewayID = ip.Description, ip.Status, ip.NatGatewayID
		resp.CreationTime = cloud.FormatSecond(ip.Created)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// GetNatIpCidrAttributeRequest is VPC GetNatIpCidrAttribute.
type GetNatIpCidrAttributeRequest struct {
	RegionID, NatGatewayID, NatIPCidr string
	DryRun                            bool
}

// Bind implements rpc.Binder.
func (r *GetNatIpCidrAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NatGatewayID = p.Required("NatGatewayId")
	r.NatIPCidr = p.Required("NatIpCidr")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// GetNatIpCidrAttributeResponse is one block.
type GetNatIpCidrAttributeResponse struct {
	rpc.Base
	NatIPCidrID          string `json:"NatIpCidrId"`
	NatIPCidr            string `json:"NatIpCidr"`
	NatIPCidrName        string `json:"NatIpCidrName"`
	NatIPCidrDescription string `json:"NatIpCidrDescription"`
	NatIPCidrStatus      string `json:"NatIpCidrStatus"`
	NatGatewayID         string `json:"NatGatewayId"`
}

// GetNatIpCidrAttribute answers one block of a VPC NAT gateway.
func (s *Service) GetNatIpCidrAttribute(ctx context.Context, call *rpc.Call, req *GetNatIpCidrAttributeRequest) (*GetNatIpCidrAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetNatIpCidrAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		n, err := intranetNat(ctx, tx, req.RegionID, req.NatGatewayID)
		if err != nil {
			return err
		}
		c, err := natIPCidrOf(ctx, tx, n, req.NatIPCidr)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		resp.NatIPCidrID, resp.NatIPCidr, resp.NatIPCidrName = c.ID, c.CIDR, c.Name
		resp.NatIPCidrDescription, resp.NatIPCidrStatus, resp.NatGatewayID = c.Description, c.Status, c.NatGatewayID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
