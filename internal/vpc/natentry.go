package vpc

import (
	"context"
	"net/netip"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Entries are Available as soon as they are written: the Pending window of
// the references is not modelled (docs/network.md).
const entryAvailable = "Available"

// CreateSnatEntryRequest is VPC CreateSnatEntry.
type CreateSnatEntryRequest struct {
	RegionID, SnatTableID, SourceVSwitchID, SourceCIDR, Name, ClientToken string
	SnatIPs                                                               []string
	EipAffinity                                                           int
	DryRun                                                                bool
}

// Bind implements rpc.Binder.
func (r *CreateSnatEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.SnatTableID = p.Required("SnatTableId")
	r.SnatIPs = idList(p.Required("SnatIp"))
	if len(r.SnatIPs) > cloud.MaxSnatIPs {
		p.Fail(apierr.InvalidParameter.New("SnatIp"))
	}
	r.SourceVSwitchID = p.String("SourceVSwitchId")
	r.SourceCIDR = p.String("SourceCIDR")
	if (r.SourceVSwitchID == "") == (r.SourceCIDR == "") {
		p.Fail(apierr.SnatSourceConflict.New())
	}
	if r.SourceCIDR != "" {
		if _, err := netip.ParsePrefix(r.SourceCIDR); err != nil {
			p.Fail(apierr.InvalidSourceCIDR.New())
		}
	}
	r.Name = p.String("SnatEntryName")
	r.EipAffinity = p.Int("EipAffinity", 0, 0, 1)
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateSnatEntryResponse carries the new entry's id.
type CreateSnatEntryResponse struct {
	rpc.Base
	SnatEntryID string `json:"SnatEntryId"`
}

// CreateSnatEntry lets a vSwitch (or a CIDR block) of the gateway's VPC
// reach the Internet through EIPs of the gateway; each source is in at most
// one entry of the table.
func (s *Service) CreateSnatEntry(ctx context.Context, call *rpc.Call, req *CreateSnatEntryRequest) (*CreateSnatEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateSnatEntryResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		n, err := natOfTable(ctx, tx, req.RegionID, req.SnatTableID, apierr.InvalidSnatTableNotFound)
		if err != nil {
			return err
		}
		if err := cloud.CheckNatReady(n); err != nil {
			return err
		}
		for _, ip := range req.SnatIPs {
			if _, err := natEIP(ctx, tx, n, ip); err != nil {
				return err
			}
		}
		e := cloud.SnatEntry{
			ID: s.ids.ID("snat", req.RegionID), Region: req.RegionID, TableID: n.SnatTableID, NatGatewayID: n.ID,
			SourceCIDR: req.SourceCIDR, SnatIPs: req.SnatIPs, Name: req.Name, EipAffinity: req.EipAffinity,
			Status: entryAvailable, Created: tx.Now(),
		}
		dup := store.Where("cidr", req.SourceCIDR)
		if req.SourceVSwitchID != "" {
			w, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, req.SourceVSwitchID)
			if err != nil {
				return notFound(err, apierr.InvalidVSwitchIDNotFound)
			}
			if w.VpcID != n.VpcID {
				return apierr.NatVSwitchMismatch.New().WithDetail("%s is in %s", w.ID, w.VpcID)
			}
			e.SourceVSwitchID, e.SourceCIDR = w.ID, w.CidrBlock
			dup = store.Where("vswitch", w.ID)
		}
		if n, err := store.Count[cloud.SnatEntry](ctx, tx, req.RegionID, store.Where("table", e.TableID), dup); err != nil {
			return err
		} else if n > 0 {
			return apierr.SnatSourceDuplicated.New()
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		resp.SnatEntryID = e.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeSnatTableEntriesRequest is VPC DescribeSnatTableEntries.
type DescribeSnatTableEntriesRequest struct {
	RegionID             string
	IDs                  []string
	Filters              []store.Filter
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeSnatTableEntriesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = idList(p.String("SnatEntryId"))
	for _, f := range []struct{ param, index string }{
		{"SnatTableId", "table"}, {"NatGatewayId", "natGateway"}, {"SourceVSwitchId", "vswitch"},
		{"SourceCIDR", "cidr"}, {"SnatEntryName", "name"}, {"SnatIp", "ip"},
	} {
		if v := p.String(f.param); v != "" {
			if f.index == "protocol" || (strings.HasSuffix(f.index, "Port") && strings.EqualFold(v, "any")) {
				v = strings.ToLower(v) // stored as CanonForward writes them
			}
			r.Filters = append(r.Filters, store.Where(f.index, v))
		}
	}
	r.PageNumber, r.PageSize = paging(p)
}

// SnatEntryItem is one entry of DescribeSnatTableEntries.
type SnatEntryItem struct {
	SnatEntryID     string `json:"SnatEntryId"`
	SnatEntryName   string `json:"SnatEntryName"`
	SnatTableID     string `json:"SnatTableId"`
	NatGatewayID    string `json:"NatGatewayId"`
	SnatIP          string `json:"SnatIp"`
	SourceCIDR      string `json:"SourceCIDR"`
	SourceVSwitchID string `json:"SourceVSwitchId"`
	Status          string `json:"Status"`
	EipAffinity     string `json:"EipAffinity"`
}

// DescribeSnatTableEntriesResponse wraps SnatTableEntries.SnatTableEntry[].
type DescribeSnatTableEntriesResponse struct {
	rpc.Base
	TotalCount       int `json:"TotalCount"`
	PageNumber       int `json:"PageNumber"`
	PageSize         int `json:"PageSize"`
	SnatTableEntries struct {
		SnatTableEntry []SnatEntryItem `json:"SnatTableEntry"`
	} `json:"SnatTableEntries"`
}

// DescribeSnatTableEntries lists SNAT entries; every filter is an index lookup.
func (s *Service) DescribeSnatTableEntries(ctx context.Context, call *rpc.Call, req *DescribeSnatTableEntriesRequest) (*DescribeSnatTableEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	resp := &DescribeSnatTableEntriesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.SnatTableEntries.SnatTableEntry = []SnatEntryItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.SnatEntry](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, e := range list {
			affinity := "0"
			if e.EipAffinity == 1 {
				affinity = "1"
			}
			resp.SnatTableEntries.SnatTableEntry = append(resp.SnatTableEntries.SnatTableEntry, SnatEntryItem{
				SnatEntryID: e.ID, SnatEntryName: e.Name, SnatTableID: e.TableID, NatGatewayID: e.NatGatewayID,
				SnatIP: e.SnatIPString(), SourceCIDR: e.SourceCIDR, SourceVSwitchID: e.SourceVSwitchID, Status: e.Status,
				EipAffinity: affinity,
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// snatEntryIn reads entry id of table; one of another table is not found.
func snatEntryIn(ctx context.Context, tx store.Tx, region, table, id string) (cloud.SnatEntry, error) {
	e, err := store.GetIn[cloud.SnatEntry](ctx, tx, region, id)
	if err != nil {
		return e, notFound(err, apierr.InvalidSnatEntryNotFound)
	}
	if e.TableID != table {
		return e, apierr.InvalidSnatEntryNotFound.New().WithDetail("%s is in %s", id, e.TableID)
	}
	return e, nil
}

// ModifySnatEntryRequest is VPC ModifySnatEntry.
type ModifySnatEntryRequest struct {
	RegionID, SnatTableID, SnatEntryID string
	Name                               *string
	SnatIPs                            []string
	EipAffinity                        *int
	DryRun                             bool
}

// Bind implements rpc.Binder.
func (r *ModifySnatEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.SnatTableID = p.Required("SnatTableId")
	r.SnatEntryID = p.Required("SnatEntryId")
	if p.Has("SnatEntryName") {
		v := p.String("SnatEntryName")
		r.Name = &v
	}
	r.SnatIPs = idList(p.String("SnatIp"))
	if len(r.SnatIPs) > cloud.MaxSnatIPs {
		p.Fail(apierr.InvalidParameter.New("SnatIp"))
	}
	r.EipAffinity = p.OptInt("EipAffinity", 0, 1)
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// ModifySnatEntryResponse is {RequestId}.
type ModifySnatEntryResponse struct{ rpc.Base }

// ModifySnatEntry renames an entry or changes its EIPs (each one of the
// gateway's).
func (s *Service) ModifySnatEntry(ctx context.Context, call *rpc.Call, req *ModifySnatEntryRequest) (*ModifySnatEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := natOfTable(ctx, tx, req.RegionID, req.SnatTableID, apierr.InvalidSnatTableNotFound)
		if err != nil {
			return err
		}
		e, err := snatEntryIn(ctx, tx, req.RegionID, n.SnatTableID, req.SnatEntryID)
		if err != nil {
			return err
		}
		if len(req.SnatIPs) > 0 {
			for _, ip := range req.SnatIPs {
				if _, err := natEIP(ctx, tx, n, ip); err != nil {
					return err
				}
			}
			e.SnatIPs = req.SnatIPs
		}
		if req.Name != nil {
			e.Name = *req.Name
		}
		if req.EipAffinity != nil {
			e.EipAffinity = *req.EipAffinity
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &ModifySnatEntryResponse{}, nil
}

// DeleteSnatEntryRequest is VPC DeleteSnatEntry.
type DeleteSnatEntryRequest struct {
	RegionID, SnatTableID, SnatEntryID string
}

// Bind implements rpc.Binder.
func (r *DeleteSnatEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.SnatTableID = p.Required("SnatTableId")
	r.SnatEntryID = p.Required("SnatEntryId")
	p.ClientToken()
}

// DeleteSnatEntryResponse is {RequestId}.
type DeleteSnatEntryResponse struct{ rpc.Base }

// DeleteSnatEntry removes an entry at once.
func (s *Service) DeleteSnatEntry(ctx context.Context, call *rpc.Call, req *DeleteSnatEntryRequest) (*DeleteSnatEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if _, err := natOfTable(ctx, tx, req.RegionID, req.SnatTableID, apierr.InvalidSnatTableNotFound); err != nil {
			return err
		}
		e, err := snatEntryIn(ctx, tx, req.RegionID, req.SnatTableID, req.SnatEntryID)
		if err != nil {
			return err
		}
		return store.Delete[cloud.SnatEntry](ctx, tx, e.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteSnatEntryResponse{}, nil
}

// CreateForwardEntryRequest is VPC CreateForwardEntry.
type CreateForwardEntryRequest struct {
	RegionID, ForwardTableID, ClientToken string
	Entry                                 cloud.ForwardEntry
	DryRun                                bool
}

// Bind implements rpc.Binder.
func (r *CreateForwardEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ForwardTableID = p.Required("ForwardTableId")
	r.Entry = cloud.ForwardEntry{
		ExternalIP: p.Required("ExternalIp"), ExternalPort: p.Required("ExternalPort"),
		InternalIP: p.Required("InternalIp"), InternalPort: p.Required("InternalPort"),
		IPProtocol: p.Required("IpProtocol"), Name: p.String("ForwardEntryName"), PortBreak: p.Bool("PortBreak", false),
	}
	r.Entry = cloud.CanonForward(r.Entry)
	if r.Entry.IPProtocol != "" {
		if err := cloud.CheckForwardParams(r.Entry); err != nil {
			p.Fail(err.(*apierr.Error))
		}
	}
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateForwardEntryResponse carries the new entry's id.
type CreateForwardEntryResponse struct {
	rpc.Base
	ForwardEntryID string `json:"ForwardEntryId"`
}

// checkForward judges a DNAT entry against its gateway: ExternalIp an EIP
// of the gateway, InternalIp inside the VPC, no conflicting entry, at most
// 100 entries in the table.
func checkForward(ctx context.Context, tx store.Tx, n cloud.NatGateway, e cloud.ForwardEntry) error {
	if _, err := natEIP(ctx, tx, n, e.ExternalIP); err != nil {
		return err
	}
	v, err := store.Get[cloud.VPC](ctx, tx, n.VpcID)
	if err != nil {
		return err
	}
	block, _ := netip.ParsePrefix(v.CidrBlock)
	if addr, err := netip.ParseAddr(e.InternalIP); err != nil || !block.Contains(addr) {
		return apierr.ForwardInternalOutOfVpc.New()
	}
	others, err := store.All[cloud.ForwardEntry](ctx, tx, n.Region, store.Where("table", n.ForwardTableID))
	if err != nil {
		return err
	}
	if err := cloud.CheckForwardConflict(e, others); err != nil {
		return err
	}
	if e.ID == "" && len(others) >= cloud.MaxForwardEntries {
		return apierr.ForwardQuotaExceeded.New()
	}
	return nil
}

// CreateForwardEntry forwards ExternalIp:ExternalPort of one of the
// gateway's EIPs to InternalIp:InternalPort in the VPC.
func (s *Service) CreateForwardEntry(ctx context.Context, call *rpc.Call, req *CreateForwardEntryRequest) (*CreateForwardEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateForwardEntryResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		n, err := natOfTable(ctx, tx, req.RegionID, req.ForwardTableID, apierr.InvalidForwardTableNotFnd)
		if err != nil {
			return err
		}
		if err := cloud.CheckNatReady(n); err != nil {
			return err
		}
		e := req.Entry
		e.Region, e.TableID, e.NatGatewayID, e.Status, e.Created = req.RegionID, n.ForwardTableID, n.ID, entryAvailable, tx.Now()
		if err := checkForward(ctx, tx, n, e); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		e.ID = s.ids.ID("fwd", req.RegionID)
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		resp.ForwardEntryID = e.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeForwardTableEntriesRequest is VPC DescribeForwardTableEntries.
type DescribeForwardTableEntriesRequest struct {
	RegionID             string
	IDs                  []string
	Filters              []store.Filter
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeForwardTableEntriesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = idList(p.String("ForwardEntryId"))
	for _, f := range []struct{ param, index string }{
		{"ForwardTableId", "table"}, {"NatGatewayId", "natGateway"}, {"ExternalIp", "ip"}, {"InternalIp", "privateIp"},
		{"ExternalPort", "externalPort"}, {"InternalPort", "internalPort"}, {"IpProtocol", "protocol"}, {"ForwardEntryName", "name"},
	} {
		if v := p.String(f.param); v != "" {
			if f.index == "protocol" || (strings.HasSuffix(f.index, "Port") && strings.EqualFold(v, "any")) {
				v = strings.ToLower(v) // stored as CanonForward writes them
			}
			r.Filters = append(r.Filters, store.Where(f.index, v))
		}
	}
	r.PageNumber, r.PageSize = paging(p)
}

// ForwardEntryItem is one entry of DescribeForwardTableEntries.
type ForwardEntryItem struct {
	ForwardEntryID   string `json:"ForwardEntryId"`
	ForwardEntryName string `json:"ForwardEntryName"`
	ForwardTableID   string `json:"ForwardTableId"`
	NatGatewayID     string `json:"NatGatewayId"`
	ExternalIP       string `json:"ExternalIp"`
	ExternalPort     string `json:"ExternalPort"`
	InternalIP       string `json:"InternalIp"`
	InternalPort     string `json:"InternalPort"`
	IPProtocol       string `json:"IpProtocol"`
	Status           string `json:"Status"`
}

// DescribeForwardTableEntriesResponse wraps ForwardTableEntries.ForwardTableEntry[].
type DescribeForwardTableEntriesResponse struct {
	rpc.Base
	TotalCount          int `json:"TotalCount"`
	PageNumber          int `json:"PageNumber"`
	PageSize            int `json:"PageSize"`
	ForwardTableEntries struct {
		ForwardTableEntry []ForwardEntryItem `json:"ForwardTableEntry"`
	} `json:"ForwardTableEntries"`
}

// DescribeForwardTableEntries lists DNAT entries; every filter is an index lookup.
func (s *Service) DescribeForwardTableEntries(ctx context.Context, call *rpc.Call, req *DescribeForwardTableEntriesRequest) (*DescribeForwardTableEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	resp := &DescribeForwardTableEntriesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.ForwardTableEntries.ForwardTableEntry = []ForwardEntryItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.ForwardEntry](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, e := range list {
			resp.ForwardTableEntries.ForwardTableEntry = append(resp.ForwardTableEntries.ForwardTableEntry, ForwardEntryItem{
				ForwardEntryID: e.ID, ForwardEntryName: e.Name, ForwardTableID: e.TableID, NatGatewayID: e.NatGatewayID,
				ExternalIP: e.ExternalIP, ExternalPort: e.ExternalPort, InternalIP: e.InternalIP, InternalPort: e.InternalPort,
				IPProtocol: e.IPProtocol, Status: e.Status,
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// forwardEntryIn reads entry id of table; one of another table is not found.
func forwardEntryIn(ctx context.Context, tx store.Tx, region, table, id string) (cloud.ForwardEntry, error) {
	e, err := store.GetIn[cloud.ForwardEntry](ctx, tx, region, id)
	if err != nil {
		return e, notFound(err, apierr.InvalidForwardEntryNotFnd)
	}
	if e.TableID != table {
		return e, apierr.InvalidForwardEntryNotFnd.New().WithDetail("%s is in %s", id, e.TableID)
	}
	return e, nil
}

// ModifyForwardEntryRequest is VPC ModifyForwardEntry.
type ModifyForwardEntryRequest struct {
	RegionID, ForwardTableID, ForwardEntryID string
	set                                      map[string]string
	PortBreak                                *bool
	DryRun                                   bool
}

// forwardFields are the entry fields ModifyForwardEntry may change.
var forwardFields = []string{"ExternalIp", "ExternalPort", "InternalIp", "InternalPort", "IpProtocol", "ForwardEntryName"}

// Bind implements rpc.Binder.
func (r *ModifyForwardEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ForwardTableID = p.Required("ForwardTableId")
	r.ForwardEntryID = p.Required("ForwardEntryId")
	r.set = map[string]string{}
	for _, f := range forwardFields {
		if p.Has(f) {
			r.set[f] = p.String(f)
		}
	}
	r.PortBreak = p.OptBool("PortBreak")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// ModifyForwardEntryResponse is {RequestId}.
type ModifyForwardEntryResponse struct{ rpc.Base }

// ModifyForwardEntry changes the fields given and judges the entry as
// CreateForwardEntry does.
func (s *Service) ModifyForwardEntry(ctx context.Context, call *rpc.Call, req *ModifyForwardEntryRequest) (*ModifyForwardEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := natOfTable(ctx, tx, req.RegionID, req.ForwardTableID, apierr.InvalidForwardTableNotFnd)
		if err != nil {
			return err
		}
		e, err := forwardEntryIn(ctx, tx, req.RegionID, n.ForwardTableID, req.ForwardEntryID)
		if err != nil {
			return err
		}
		for f, v := range req.set {
			field := map[string]*string{
				"ExternalIp": &e.ExternalIP, "ExternalPort": &e.ExternalPort, "InternalIp": &e.InternalIP,
				"InternalPort": &e.InternalPort, "IpProtocol": &e.IPProtocol, "ForwardEntryName": &e.Name,
			}[f]
			*field = v
		}
		if req.PortBreak != nil {
			e.PortBreak = *req.PortBreak
		}
		e = cloud.CanonForward(e)
		if err := cloud.CheckForwardParams(e); err != nil {
			return err
		}
		if err := checkForward(ctx, tx, n, e); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Put(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyForwardEntryResponse{}, nil
}

// DeleteForwardEntryRequest is VPC DeleteForwardEntry.
type DeleteForwardEntryRequest struct {
	RegionID, ForwardTableID, ForwardEntryID string
}

// Bind implements rpc.Binder.
func (r *DeleteForwardEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ForwardTableID = p.Required("ForwardTableId")
	r.ForwardEntryID = p.Required("ForwardEntryId")
	p.ClientToken()
}

// DeleteForwardEntryResponse is {RequestId}.
type DeleteForwardEntryResponse struct{ rpc.Base }

// DeleteForwardEntry removes an entry at once.
func (s *Service) DeleteForwardEntry(ctx context.Context, call *rpc.Call, req *DeleteForwardEntryRequest) (*DeleteForwardEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if _, err := natOfTable(ctx, tx, req.RegionID, req.ForwardTableID, apierr.InvalidForwardTableNotFnd); err != nil {
			return err
		}
		e, err := forwardEntryIn(ctx, tx, req.RegionID, req.ForwardTableID, req.ForwardEntryID)
		if err != nil {
			return err
		}
		return store.Delete[cloud.ForwardEntry](ctx, tx, e.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteForwardEntryResponse{}, nil
}
