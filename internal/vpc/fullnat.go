package vpc

import (
	"context"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// CreateFullNatEntryRequest is VPC CreateFullNatEntry.
type CreateFullNatEntryRequest struct {
	RegionID, TableID, ENIID, NatIP, NatIPPort, AccessIP, AccessPort, IPProtocol string
	Name, Description, ClientToken                                               string
	DryRun                                                                       bool
}

// Bind implements rpc.Binder.
func (r *CreateFullNatEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.TableID = p.Required("FullNatTableId")
	r.ENIID = p.Required("NetworkInterfaceId")
	r.NatIP = p.Required("NatIp")
	r.AccessPort = p.Required("AccessPort")
	r.IPProtocol = p.Required("IpProtocol")
	r.NatIPPort = p.String("NatIpPort")
	r.AccessIP = p.String("AccessIp")
	p.String("AccessDomain") // a domain backend is not modelled; AccessIp decides
	r.Name = p.String("FullNatEntryName")
	r.Description = p.String("FullNatEntryDescription")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// CreateFullNatEntryResponse carries the new entry's id.
type CreateFullNatEntryResponse struct {
	rpc.Base
	FullNatEntryID string `json:"FullNatEntryId"`
}

// fullNatTable finds the VPC NAT gateway owning a FULLNAT table.
func fullNatTable(ctx context.Context, tx store.Tx, region, table string) (cloud.NatGateway, error) {
	n, err := natOfTable(ctx, tx, region, table, apierr.FullNatTableNotFound)
	if err != nil {
		return n, err
	}
	if n.FullNatTableID != table {
		return n, apierr.FullNatTableNotFound.New().WithDetail("%s is no FULLNAT table", table)
	}
	return n, cloud.CheckNatReady(n)
}

// checkFullNatBackend judges an entry against its gateway: the NAT IP is
// the gateway's, the ENI is in its VPC and AccessIp (its address when
// absent) is the ENI's, and no other entry maps the same front end.
func checkFullNatBackend(ctx context.Context, tx store.Tx, n cloud.NatGateway, e *cloud.FullNatEntry) error {
	if _, err := natEIP(ctx, tx, n, e.NatIP); err != nil {
		return err
	}
	eni, err := store.GetIn[cloud.ENI](ctx, tx, n.Region, e.ENIID)
	if err != nil {
		return notFound(err, apierr.InvalidEniIDNotFound)
	}
	if eni.VpcID != n.VpcID {
		return apierr.FullNatENIOutOfVpc.New().WithDetail("%s is in %s", eni.ID, eni.VpcID)
	}
	if e.AccessIP == "" {
		e.AccessIP = eni.PrivateIP
	}
	if e.AccessIP != eni.PrivateIP {
		return apierr.InvalidParameter.New("AccessIp")
	}
	others, err := store.All[cloud.FullNatEntry](ctx, tx, n.Region, store.Where("table", e.TableID), store.Where("ip", e.NatIP))
	if err != nil {
		return err
	}
	if e.NatIPPort == "" {
		// The reference draws a free port when none is given: the lowest
		// free one from 1024.
		for p := 1024; p <= 65535 && e.NatIPPort == ""; p++ {
			e.NatIPPort = strconv.Itoa(p)
			if cloud.CheckFullNatConflict(*e, others) != nil {
				e.NatIPPort = ""
			}
		}
	}
	if err := cloud.CheckFullNat(*e); err != nil {
		return err
	}
	return cloud.CheckFullNatConflict(*e, others)
}

// CreateFullNatEntry maps NatIp:NatIpPort of a VPC NAT gateway to a port
// of an ENI in its VPC; the entry is Available at once.
func (s *Service) CreateFullNatEntry(ctx context.Context, call *rpc.Call, req *CreateFullNatEntryRequest) (*CreateFullNatEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateFullNatEntryResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		n, err := fullNatTable(ctx, tx, req.RegionID, req.TableID)
		if err != nil {
			return err
		}
		e := cloud.FullNatEntry{
			Region: n.Region, TableID: req.TableID, NatGatewayID: n.ID, NatIP: req.NatIP, NatIPPort: req.NatIPPort,
			AccessIP: req.AccessIP, AccessPort: req.AccessPort, IPProtocol: req.IPProtocol, ENIID: req.ENIID,
			Name: req.Name, Description: req.Description, Status: entryAvailable, Created: tx.Now(),
		}
		if err := checkFullNatBackend(ctx, tx, n, &e); err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		e.ID = s.ids.ID("fullnat", n.Region)
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		resp.FullNatEntryID = e.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ListFullNatEntriesRequest is VPC ListFullNatEntries.
type ListFullNatEntriesRequest struct {
	RegionID, TableID, NatGatewayID string
	IDs                             []string
	Filters                         []store.Filter
	offsetPaging
}

// Bind implements rpc.Binder: a FullNatTableId or a NatGatewayId names
// the table.
func (r *ListFullNatEntriesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.TableID = p.String("FullNatTableId")
	r.NatGatewayID = p.String("NatGatewayId")
	if id := p.String("FullNatEntryId"); id != "" {
		r.IDs = []string{id}
	}
	r.Filters = append(r.Filters, bindWhere(p, []where{{"IpProtocol", "protocol"}, {"NatIp", "ip"}, {"NatIpPort", "externalPort"}})...)
	if names := p.List("FullNatEntryNames"); len(names) > 0 {
		r.Filters = append(r.Filters, store.Where("name", names...))
	}
	if enis := p.List("NetworkInterfaceIds"); len(enis) > 0 {
		r.Filters = append(r.Filters, store.Where("eni", enis...))
	}
	p.ClientToken()
	r.bindPaging(p)
	if r.TableID == "" && r.NatGatewayID == "" {
		p.Fail(apierr.MissingParameter.New("FullNatTableId"))
	}
}

// FullNatEntryItem is one entry of ListFullNatEntries.
type FullNatEntryItem struct {
	FullNatEntryID          string `json:"FullNatEntryId"`
	FullNatTableID          string `json:"FullNatTableId"`
	FullNatEntryName        string `json:"FullNatEntryName"`
	FullNatEntryDescription string `json:"FullNatEntryDescription"`
	FullNatEntryStatus      string `json:"FullNatEntryStatus"`
	NatIP                   string `json:"NatIp"`
	NatIPPort               string `json:"NatIpPort"`
	AccessIP                string `json:"AccessIp"`
	AccessPort              string `json:"AccessPort"`
	IPProtocol              string `json:"IpProtocol"`
	NetworkInterfaceID      string `json:"NetworkInterfaceId"`
	NetworkInterfaceType    string `json:"NetworkInterfaceType"`
	CreationTime            string `json:"CreationTime"`
}

// ListFullNatEntriesResponse pages FullNatEntries[].
type ListFullNatEntriesResponse struct {
	rpc.Base
	FullNatEntries []FullNatEntryItem `json:"FullNatEntries"`
	FullNatTableID string             `json:"FullNatTableId"`
	NatGatewayID   string             `json:"NatGatewayId"`
	MaxResults     int64              `json:"MaxResults"`
	NextToken      string             `json:"NextToken"`
	TotalCount     int64              `json:"TotalCount"`
}

// ListFullNatEntries lists a FULLNAT table's entries.
func (s *Service) ListFullNatEntries(ctx context.Context, call *rpc.Call, req *ListFullNatEntriesRequest) (*ListFullNatEntriesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ListFullNatEntriesResponse{FullNatEntries: []FullNatEntryItem{}, MaxResults: int64(req.Max)}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var n cloud.NatGateway
		var err error
		if req.TableID != "" {
			n, err = natOfTable(ctx, tx, req.RegionID, req.TableID, apierr.FullNatTableNotFound)
		} else {
			n, err = store.GetIn[cloud.NatGateway](ctx, tx, req.RegionID, req.NatGatewayID)
			err = notFound(err, apierr.InvalidNatGatewayIDNotFound)
		}
		if err != nil {
			return err
		}
		if n.FullNatTableID == "" || req.TableID != "" && req.TableID != n.FullNatTableID ||
			req.NatGatewayID != "" && req.NatGatewayID != n.ID {
			return apierr.FullNatTableNotFound.New().WithDetail("%s has no FULLNAT table %s", n.ID, req.TableID)
		}
		q := store.Query{Region: n.Region, IDs: req.IDs, Filters: append([]store.Filter{store.Where("table", n.FullNatTableID)}, req.Filters...),
			Offset: req.Offset, Limit: req.Max, Count: true}
		list, page, err := store.Find[cloud.FullNatEntry](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, e := range list {
			item := FullNatEntryItem{
				FullNatEntryID: e.ID, FullNatTableID: e.TableID, FullNatEntryName: e.Name, FullNatEntryDescription: e.Description,
				FullNatEntryStatus: e.Status, NatIP: e.NatIP, NatIPPort: e.NatIPPort, AccessIP: e.AccessIP, AccessPort: e.AccessPort,
				IPProtocol: e.IPProtocol, NetworkInterfaceID: e.ENIID, CreationTime: cloud.FormatSecond(e.Created),
			}
			if eni, err := store.Get[cloud.ENI](ctx, tx, e.ENIID); err == nil {
				item.NetworkInterfaceType = eni.Type
			}
			resp.FullNatEntries = append(resp.FullNatEntries, item)
		}
		resp.FullNatTableID, resp.NatGatewayID = n.FullNatTableID, n.ID
		resp.TotalCount = int64(page.Total)
		resp.NextToken = req.next(len(list), page)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyFullNatEntryAttributeRequest is VPC ModifyFullNatEntryAttribute.
type ModifyFullNatEntryAttributeRequest struct {
	RegionID, TableID, EntryID                                                   string
	ENIID, NatIP, NatIPPort, AccessIP, AccessPort, IPProtocol, Name, Description *string
	DryRun                                                                       bool
}

// Bind implements rpc.Binder.
func (r *ModifyFullNatEntryAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.TableID = p.Required("FullNatTableId")
	r.EntryID = p.Required("FullNatEntryId")
	r.ENIID = optString(p, "NetworkInterfaceId")
	r.NatIP = optString(p, "NatIp")
	r.NatIPPort = optString(p, "NatIpPort")
	r.AccessIP = optString(p, "AccessIp")
	r.AccessPort = optString(p, "AccessPort")
	r.IPProtocol = optString(p, "IpProtocol")
	r.Name = optString(p, "FullNatEntryName")
	r.Description = optString(p, "FullNatEntryDescription")
	p.String("AccessDomain")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// ModifyFullNatEntryAttributeResponse is {RequestId}.
type ModifyFullNatEntryAttributeResponse struct{ rpc.Base }

// ModifyFullNatEntryAttribute changes an entry, judged again as a new one.
func (s *Service) ModifyFullNatEntryAttribute(ctx context.Context, call *rpc.Call, req *ModifyFullNatEntryAttributeRequest) (*ModifyFullNatEntryAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := fullNatTable(ctx, tx, req.RegionID, req.TableID)
		if err != nil {
			return err
		}
		e, err := fullNatEntryOf(ctx, tx, n, req.EntryID)
		if err != nil {
			return err
		}
		for _, f := range []struct {
			v  *string
			to *string
		}{{req.ENIID, &e.ENIID}, {req.NatIP, &e.NatIP}, {req.NatIPPort, &e.NatIPPort}, {req.AccessPort, &e.AccessPort},
			{req.IPProtocol, &e.IPProtocol}, {req.Name, &e.Name}, {req.Description, &e.Description}} {
			if f.v != nil {
				*f.to = *f.v
			}
		}
		if req.AccessIP != nil {
			e.AccessIP = *req.AccessIP
		} else if req.ENIID != nil {
			e.AccessIP = "" // a new ENI brings its own address
		}
		if err := checkFullNatBackend(ctx, tx, n, &e); err != nil {
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
	return &ModifyFullNatEntryAttributeResponse{}, nil
}

// DeleteFullNatEntryRequest is VPC DeleteFullNatEntry.
type DeleteFullNatEntryRequest struct {
	RegionID, TableID, EntryID string
	DryRun                     bool
}

// Bind implements rpc.Binder.
func (r *DeleteFullNatEntryRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.TableID = p.Required("FullNatTableId")
	r.EntryID = p.Required("FullNatEntryId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// DeleteFullNatEntryResponse is {RequestId}.
type DeleteFullNatEntryResponse struct{ rpc.Base }

// DeleteFullNatEntry removes an entry at once.
func (s *Service) DeleteFullNatEntry(ctx context.Context, call *rpc.Call, req *DeleteFullNatEntryRequest) (*DeleteFullNatEntryResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		n, err := fullNatTable(ctx, tx, req.RegionID, req.TableID)
		if err != nil {
			return err
		}
		e, err := fullNatEntryOf(ctx, tx, n, req.EntryID)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		return store.Delete[cloud.FullNatEntry](ctx, tx, e.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteFullNatEntryResponse{}, nil
}

// fullNatEntryOf reads entry id of gateway n's FULLNAT table.
func fullNatEntryOf(ctx context.Context, tx store.Tx, n cloud.NatGateway, id string) (cloud.FullNatEntry, error) {
	e, err := store.GetIn[cloud.FullNatEntry](ctx, tx, n.Region, id)
	if err != nil {
		return e, notFound(err, apierr.FullNatEntryNotFound)
	}
	if e.TableID != n.FullNatTableID {
		return e, apierr.FullNatEntryNotFound.New().WithDetail("%s is not in %s", id, n.FullNatTableID)
	}
	return e, nil
}
