package ecs

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerPrivatePools(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateCapacityReservation", s.CreateCapacityReservation)
	rpc.Handle(t, v, "DescribeCapacityReservations", s.DescribeCapacityReservations)
	rpc.Handle(t, v, "DescribeCapacityReservationInstances", s.DescribeCapacityReservationInstances)
	rpc.Handle(t, v, "ModifyCapacityReservation", s.ModifyCapacityReservation)
	rpc.Handle(t, v, "ReleaseCapacityReservation", s.ReleaseCapacityReservation)
}

// bindPoolOptions reads a launch's PrivatePoolOptions.MatchCriteria and .Id.
func bindPoolOptions(p *rpc.Params) (criteria, id string) {
	o := p.Object("PrivatePoolOptions")
	return o.Enum("MatchCriteria", cloud.MatchOpen, cloud.MatchOpen, cloud.MatchTarget, cloud.MatchNone), o.String("Id")
}

// poolRef is a stored private pool of either kind, and how to write it back.
type poolRef struct {
	pool  cloud.PrivatePool
	write func(cloud.PrivatePool) cloud.Resource
}

// getPool reads a private pool by id, of either kind.
func getPool(ctx context.Context, tx store.Tx, region, id string) (poolRef, error) {
	if c, err := store.GetIn[cloud.CapacityReservation](ctx, tx, region, id); err == nil {
		return poolRef{c.PrivatePool, func(p cloud.PrivatePool) cloud.Resource { c.PrivatePool = p; return c }}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return poolRef{}, err
	}
	e, err := store.GetIn[cloud.ElasticityAssurance](ctx, tx, region, id)
	if err != nil {
		return poolRef{}, notFound(err, apierr.PrivatePoolNotFound)
	}
	return poolRef{e.PrivatePool, func(p cloud.PrivatePool) cloud.Resource { e.PrivatePool = p; return e }}, nil
}

// openPools are the Active Open pools of a zone and type, reservations first.
func openPools(ctx context.Context, tx store.Tx, region, zone, instanceType string) ([]poolRef, error) {
	filters := []store.Filter{store.Where(string(cloud.IdxZone), zone), store.Where(string(cloud.IdxInstanceType), instanceType),
		store.Where(string(cloud.IdxStatus), cloud.PoolActive)}
	// Both kinds in one round trip where the store batches.
	all := func(kind string) store.Query {
		return store.Query{Kind: kind, Region: region, Filters: filters, Limit: 1 << 30}
	}
	pages, err := store.QueryAll(ctx, tx, []store.Query{all(cloud.CapacityReservation{}.Kind()), all(cloud.ElasticityAssurance{}.Kind())})
	if err != nil {
		return nil, err
	}
	crs, err := store.Decode[cloud.CapacityReservation](pages[0].Records)
	if err != nil {
		return nil, err
	}
	eas, err := store.Decode[cloud.ElasticityAssurance](pages[1].Records)
	if err != nil {
		return nil, err
	}
	var out []poolRef
	for _, c := range crs {
		if c.MatchCriteria == cloud.MatchOpen {
			out = append(out, poolRef{c.PrivatePool, func(p cloud.PrivatePool) cloud.Resource { c.PrivatePool = p; return c }})
		}
	}
	for _, e := range eas {
		if e.MatchCriteria == cloud.MatchOpen {
			out = append(out, poolRef{e.PrivatePool, func(p cloud.PrivatePool) cloud.Resource { e.PrivatePool = p; return e }})
		}
	}
	return out, nil
}

// checkPoolLaunch refuses a Target launch before anything is made.
func checkPoolLaunch(ctx context.Context, tx store.Tx, l *launchParams, zone, instanceType string) error {
	if l.PoolCriteria != cloud.MatchTarget {
		return nil
	}
	switch {
	case l.PoolID == "":
		return apierr.PrivatePoolIDMissing.New()
	case l.DedicatedHostID != "":
		return apierr.PrivatePoolDedicatedHost.New()
	case l.SpotStrategy != "NoSpot":
		return apierr.PrivatePoolSpot.New()
	}
	ref, err := getPool(ctx, tx, l.RegionID, l.PoolID)
	if err != nil {
		return err
	}
	return ref.pool.CheckTarget(zone, instanceType, 1)
}

// takePools puts a launch's instances in private pools: all in the Target
// pool or none made; with Open, as many as the matching pools hold.
func takePools(ctx context.Context, tx store.Tx, base cloud.Launch, ids []string) error {
	typ := base.Type.InstanceTypeID
	switch {
	case base.PoolCriteria == cloud.MatchTarget:
		ref, err := getPool(ctx, tx, base.Region, base.PoolID)
		if err != nil {
			return err
		}
		if err := ref.pool.CheckTarget(base.Zone, typ, len(ids)); err != nil {
			return err
		}
		return store.Put(ctx, tx, ref.write(ref.pool.Take(typ, ids...)))
	case base.PoolCriteria == cloud.MatchNone, base.DedicatedHostID != "", base.SpotStrategy != "NoSpot", base.ChargeType != cloud.PostPaid:
		return nil
	}
	pools, err := openPools(ctx, tx, base.Region, base.Zone, typ)
	if err != nil {
		return err
	}
	for _, ref := range pools {
		n := min(ref.pool.Free(typ), len(ids))
		if n <= 0 {
			continue
		}
		if err := store.Put(ctx, tx, ref.write(ref.pool.Take(typ, ids[:n]...))); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// poolTimes reads StartTime and EndTime/EndTimeType: start defaults to now,
// Unlimited has no end, Limited needs one after the start.
func poolTimes(startRaw, endRaw, endType string, now time.Time) (start, end time.Time, err error) {
	start = now
	if startRaw != "" {
		t, ok := cloud.ParseAPITime(startRaw)
		if !ok {
			return start, end, apierr.InvalidParameter.New("StartTime")
		}
		if t.After(now) {
			start = t
		}
	}
	if endType == "Limited" {
		if endRaw == "" {
			return start, end, apierr.MissingParameter.New("EndTime")
		}
		t, ok := cloud.ParseAPITime(endRaw)
		if !ok || !t.After(start) {
			return start, end, apierr.InvalidParameter.New("EndTime")
		}
		end = t
	}
	return start, end, nil
}

// checkPoolType refuses a type the catalogue or the zone does not know.
func (s *Service) checkPoolType(region, zone, instanceType string) error {
	if _, ok := s.catalog.InstanceType(instanceType); !ok {
		return apierr.InvalidInstanceTypeNotFound.New()
	}
	if z, ok := s.catalog.Zone(zone); !ok || z.RegionID != region {
		return apierr.InvalidZoneID.New()
	}
	if !s.catalog.ZoneOffers(zone, instanceType) {
		return apierr.InvalidInstanceTypeZone.New(zone)
	}
	return nil
}

// CreateCapacityReservationRequest is CreateCapacityReservation's parameters.
type CreateCapacityReservationRequest struct {
	RegionID, ZoneID, InstanceType, Platform, Criteria, Name, Description string
	StartTime, EndTime, EndTimeType, ResourceGroupID                      string
	Amount                                                                int
	Tags                                                                  []rpc.Tag
	ClientToken, fingerprint                                              string
}

// Bind implements rpc.Binder.
func (r *CreateCapacityReservationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = oneZone(p)
	r.InstanceType = p.Required("InstanceType")
	p.Required("InstanceAmount")
	r.Amount = p.Int("InstanceAmount", 1, 1, 1000)
	r.Platform = p.Enum("Platform", "linux", "linux", "windows")
	o := p.Object("PrivatePoolOptions")
	r.Criteria = o.Enum("MatchCriteria", cloud.MatchOpen, cloud.MatchOpen, cloud.MatchTarget)
	r.Name = o.String("Name")
	r.Description = p.String("Description")
	r.StartTime = p.String("StartTime")
	r.EndTime = p.String("EndTime")
	r.EndTimeType = p.Enum("EndTimeType", "Unlimited", "Unlimited", "Limited")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateCapacityReservationResponse names the reservation.
type CreateCapacityReservationResponse struct {
	rpc.Base
	PrivatePoolOptionsID string `json:"PrivatePoolOptionsId"`
}

// CreateCapacityReservation reserves InstanceAmount instances of a type in
// a zone, Active from its start (Pending before).
func (s *Service) CreateCapacityReservation(ctx context.Context, call *rpc.Call, req *CreateCapacityReservationRequest) (*CreateCapacityReservationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if err := s.checkPoolType(req.RegionID, req.ZoneID, req.InstanceType); err != nil {
		return nil, err
	}
	resp := &CreateCapacityReservationResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		now := tx.Now()
		start, end, err := poolTimes(req.StartTime, req.EndTime, req.EndTimeType, now)
		if err != nil {
			return err
		}
		status := cloud.PoolActive
		if start.After(now) {
			status = cloud.PoolPending
		}
		c := cloud.CapacityReservation{PrivatePool: cloud.PrivatePool{ID: s.ids.ID("crp", req.RegionID), Region: req.RegionID,
			Zone: req.ZoneID, Name: req.Name, Description: req.Description, InstanceTypes: []string{req.InstanceType},
			Amount: req.Amount, Platform: req.Platform, MatchCriteria: req.Criteria, Status: status, Start: start, End: end,
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags), Created: now},
			EndTimeType: req.EndTimeType}
		if err := store.Put(ctx, tx, c); err != nil {
			return err
		}
		resp.PrivatePoolOptionsID = c.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// poolListParams are the filters both private pool Describe actions share.
type poolListParams struct {
	RegionID, ZoneID, InstanceType, Status, Platform, ChargeType, ResourceGroupID string
	IDs                                                                           []string
	TagF                                                                          []store.Filter
	MaxResults                                                                    int
	Offset                                                                        int64
}

func (l *poolListParams) bind(p *rpc.Params) {
	l.RegionID = p.Required("RegionId")
	l.IDs = p.Object("PrivatePoolOptions").JSONList("Ids")
	l.ZoneID = p.String("ZoneId")
	l.InstanceType = p.String("InstanceType")
	l.Status = p.String("Status")
	l.Platform = p.String("Platform")
	l.ChargeType = p.String("InstanceChargeType")
	l.ResourceGroupID = p.String("ResourceGroupId")
	l.TagF = tagFilters(p)
	l.MaxResults = p.Int("MaxResults", 10, 1, 100)
	l.Offset = nextToken(p)
}

// filters are the indexed filters; Platform and charge type are checked per pool.
func (l poolListParams) filters() []store.Filter {
	var out []store.Filter
	for idx, v := range map[cloud.IndexName]string{cloud.IdxZone: l.ZoneID, cloud.IdxInstanceType: l.InstanceType,
		cloud.IdxStatus: l.Status, cloud.IdxResourceGroup: l.ResourceGroupID} {
		if v != "" {
			out = append(out, store.Where(string(idx), v))
		}
	}
	return append(out, l.TagF...)
}

// page cuts one page of n matches: the offset it starts at, its end, and
// the NextToken ("" on the last page).
func (l poolListParams) page(n int) (from, to int, next string) {
	from = min(int(l.Offset), n)
	to = min(from+l.MaxResults, n)
	if to < n {
		next = encodeNextToken(int64(to))
	}
	return from, to, next
}

// PoolUsage is one consumer of a pool's capacity.
type PoolUsage struct {
	AccountID   string `json:"AccountId"`
	ServiceName string `json:"ServiceName"`
	UsedAmount  int    `json:"UsedAmount"`
}

// CapacityReservationResource is one allocated type of a reservation.
type CapacityReservationResource struct {
	InstanceType              string `json:"InstanceType"`
	ZoneID                    string `json:"zoneId"` // lower-case, as the answer model has it
	TotalAmount               int    `json:"TotalAmount"`
	UsedAmount                int    `json:"UsedAmount"`
	AvailableAmount           int    `json:"AvailableAmount"`
	CapacityReservationUsages struct {
		CapacityReservationUsage []PoolUsage `json:"CapacityReservationUsage"`
	} `json:"CapacityReservationUsages"`
}

// CapacityReservationItem is one reservation.
type CapacityReservationItem struct {
	PrivatePoolOptionsID            string `json:"PrivatePoolOptionsId"`
	PrivatePoolOptionsName          string `json:"PrivatePoolOptionsName"`
	PrivatePoolOptionsMatchCriteria string `json:"PrivatePoolOptionsMatchCriteria"`
	Description                     string `json:"Description"`
	RegionID                        string `json:"RegionId"`
	Status                          string `json:"Status"`
	Platform                        string `json:"Platform"`
	InstanceChargeType              string `json:"InstanceChargeType"`
	StartTime                       string `json:"StartTime"`
	StartTimeType                   string `json:"StartTimeType"`
	EndTime                         string `json:"EndTime"`
	EndTimeType                     string `json:"EndTimeType"`
	ResourceGroupID                 string `json:"ResourceGroupId"`
	AllocatedResources              struct {
		AllocatedResource []CapacityReservationResource `json:"AllocatedResource"`
	} `json:"AllocatedResources"`
	Tags struct {
		Tag []TagItem `json:"Tag"`
	} `json:"Tags"`
}

// DescribeCapacityReservationsRequest filters the region's reservations.
type DescribeCapacityReservationsRequest struct{ poolListParams }

// Bind implements rpc.Binder.
func (r *DescribeCapacityReservationsRequest) Bind(p *rpc.Params) { r.bind(p) }

// DescribeCapacityReservationsResponse pages CapacityReservationSet.CapacityReservationItem[].
type DescribeCapacityReservationsResponse struct {
	rpc.Base
	TotalCount             int    `json:"TotalCount"`
	MaxResults             int    `json:"MaxResults"`
	NextToken              string `json:"NextToken"`
	CapacityReservationSet struct {
		CapacityReservationItem []CapacityReservationItem `json:"CapacityReservationItem"`
	} `json:"CapacityReservationSet"`
}

// poolTime is a pool's time as the API writes it, "" when zero.
func poolTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return apiTime(t)
}

// DescribeCapacityReservations lists reservations with their use.
func (s *Service) DescribeCapacityReservations(ctx context.Context, call *rpc.Call, req *DescribeCapacityReservationsRequest) (*DescribeCapacityReservationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeCapacityReservationsResponse{MaxResults: req.MaxResults}
	resp.CapacityReservationSet.CapacityReservationItem = []CapacityReservationItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.CapacityReservation](ctx, tx, req.RegionID, req.filters()...)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(c cloud.CapacityReservation) bool {
			return len(req.IDs) > 0 && !slices.Contains(req.IDs, c.ID) || req.Platform != "" && req.Platform != c.Platform ||
				req.ChargeType != "" && req.ChargeType != cloud.PostPaid
		})
		from, to, next := req.page(len(all))
		resp.TotalCount, resp.NextToken = len(all), next
		for _, c := range all[from:to] {
			item := CapacityReservationItem{PrivatePoolOptionsID: c.ID, PrivatePoolOptionsName: c.Name,
				PrivatePoolOptionsMatchCriteria: c.MatchCriteria, Description: c.Description, RegionID: c.Region, Status: c.Status,
				Platform: c.Platform, InstanceChargeType: cloud.PostPaid, StartTime: poolTime(c.Start), StartTimeType: "Now",
				EndTime: poolTime(c.End), EndTimeType: c.EndTimeType, ResourceGroupID: c.ResourceGroup}
			if c.Start.After(c.Created) {
				item.StartTimeType = "Specified"
			}
			for _, t := range c.InstanceTypes {
				used := c.Used(t)
				res := CapacityReservationResource{InstanceType: t, ZoneID: c.Zone, TotalAmount: c.Amount, UsedAmount: used,
					AvailableAmount: c.Amount - used}
				res.CapacityReservationUsages.CapacityReservationUsage = []PoolUsage{{AccountID: call.Account, ServiceName: "ecs", UsedAmount: used}}
				item.AllocatedResources.AllocatedResource = append(item.AllocatedResources.AllocatedResource, res)
			}
			item.Tags.Tag = tagItems(c.Tags)
			resp.CapacityReservationSet.CapacityReservationItem = append(resp.CapacityReservationSet.CapacityReservationItem, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// poolInstancesParams name one pool and a page of its instances.
type poolInstancesParams struct {
	RegionID, ID string
	MaxResults   int
	Offset       int64
}

func (r *poolInstancesParams) bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Object("PrivatePoolOptions").Required("Id")
	r.MaxResults = p.Int("MaxResults", 10, 1, 100)
	r.Offset = nextToken(p)
}

// PoolInstance is one instance of a pool.
type PoolInstance struct {
	InstanceID string `json:"InstanceId"`
}

// poolInstancesPage answers one page of a pool's members.
func (r poolInstancesParams) page(members []cloud.PoolMember) (items []PoolInstance, total int, next string) {
	l := poolListParams{MaxResults: r.MaxResults, Offset: r.Offset}
	from, to, next := l.page(len(members))
	items = []PoolInstance{}
	for _, m := range members[from:to] {
		items = append(items, PoolInstance{InstanceID: m.ID})
	}
	return items, len(members), next
}

// poolMembers pages the members of the pool r names, of kind P (missing
// when there is none).
func poolMembers[P cloud.Resource](ctx context.Context, s *Service, call *rpc.Call, r poolInstancesParams, missing apierr.Entry,
	members func(P) []cloud.PoolMember) (items []PoolInstance, total int, next string, err error) {
	err = s.store.View(ctx, call.Account, func(tx store.Tx) error {
		pool, err := store.GetIn[P](ctx, tx, r.RegionID, r.ID)
		if err != nil {
			return notFound(err, missing)
		}
		items, total, next = r.page(members(pool))
		return nil
	})
	return items, total, next, err
}

// DescribeCapacityReservationInstancesRequest names the reservation.
type DescribeCapacityReservationInstancesRequest struct{ poolInstancesParams }

// Bind implements rpc.Binder.
func (r *DescribeCapacityReservationInstancesRequest) Bind(p *rpc.Params) { r.bind(p) }

// DescribeCapacityReservationInstancesResponse pages the instances.
type DescribeCapacityReservationInstancesResponse struct {
	rpc.Base
	TotalCount              int    `json:"TotalCount"`
	MaxResults              int    `json:"MaxResults"`
	NextToken               string `json:"NextToken"`
	CapacityReservationItem struct {
		InstanceIDSet []PoolInstance `json:"InstanceIdSet"`
	} `json:"CapacityReservationItem"`
}

// DescribeCapacityReservationInstances lists the instances that took the reservation.
func (s *Service) DescribeCapacityReservationInstances(ctx context.Context, call *rpc.Call, req *DescribeCapacityReservationInstancesRequest) (*DescribeCapacityReservationInstancesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeCapacityReservationInstancesResponse{MaxResults: req.MaxResults}
	var err error
	resp.CapacityReservationItem.InstanceIDSet, resp.TotalCount, resp.NextToken, err = poolMembers(ctx, s, call, req.poolInstancesParams,
		apierr.CapacityReservationNotFound, func(c cloud.CapacityReservation) []cloud.PoolMember { return c.Members })
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyCapacityReservationRequest changes what is sent.
type ModifyCapacityReservationRequest struct {
	RegionID, ID                                                 string
	Name, Description, Platform, StartTime, EndTime, EndTimeType *string
	Amount                                                       *int
}

// Bind implements rpc.Binder.
func (r *ModifyCapacityReservationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	o := p.Object("PrivatePoolOptions")
	r.ID = o.Required("Id")
	if o.Has("Name") {
		v := o.String("Name")
		r.Name = &v
	}
	r.Description = optString(p, "Description")
	if p.Has("Platform") {
		v := p.Enum("Platform", "", "linux", "windows")
		r.Platform = &v
	}
	r.StartTime = optString(p, "StartTime")
	r.EndTime = optString(p, "EndTime")
	if p.Has("EndTimeType") {
		v := p.Enum("EndTimeType", "", "Unlimited", "Limited")
		r.EndTimeType = &v
	}
	r.Amount = p.OptInt("InstanceAmount", 1, 1000)
}

// ModifyCapacityReservationResponse is RequestId only.
type ModifyCapacityReservationResponse struct{ rpc.Base }

// ModifyCapacityReservation changes the amount (not below what is used),
// the times, the name and description.
func (s *Service) ModifyCapacityReservation(ctx context.Context, call *rpc.Call, req *ModifyCapacityReservationRequest) (*ModifyCapacityReservationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := store.GetIn[cloud.CapacityReservation](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.CapacityReservationNotFound)
		}
		if req.Amount != nil {
			if *req.Amount < len(c.Members) {
				return apierr.CapacityReservationShrink.New()
			}
			c.Amount = *req.Amount
		}
		if req.StartTime != nil || req.EndTime != nil || req.EndTimeType != nil {
			startRaw, endRaw, endType := "", poolTime(c.End), c.EndTimeType
			if c.Status != cloud.PoolActive {
				startRaw = poolTime(c.Start)
			}
			if req.StartTime != nil {
				if c.Status == cloud.PoolActive {
					return apierr.InvalidParameter.New("StartTime")
				}
				startRaw = *req.StartTime
			}
			if req.EndTime != nil {
				endRaw = *req.EndTime
			}
			if req.EndTimeType != nil {
				endType = *req.EndTimeType
			}
			now := tx.Now()
			start, end, err := poolTimes(startRaw, endRaw, endType, now)
			if err != nil {
				return err
			}
			if c.Status != cloud.PoolActive {
				c.Start = start
				if !start.After(now) {
					c.Status = cloud.PoolActive
				}
			}
			c.End, c.EndTimeType = end, endType
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&c.Name, req.Name)
		set(&c.Description, req.Description)
		set(&c.Platform, req.Platform)
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyCapacityReservationResponse{}, nil
}

// ReleaseCapacityReservationRequest names the reservation.
type ReleaseCapacityReservationRequest struct {
	RegionID, ID string
	DryRun       bool
}

// Bind implements rpc.Binder.
func (r *ReleaseCapacityReservationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Object("PrivatePoolOptions").Required("Id")
	r.DryRun = p.Bool("DryRun", false)
}

// ReleaseCapacityReservationResponse is RequestId only.
type ReleaseCapacityReservationResponse struct{ rpc.Base }

// ReleaseCapacityReservation removes the reservation; its instances run on.
func (s *Service) ReleaseCapacityReservation(ctx context.Context, call *rpc.Call, req *ReleaseCapacityReservationRequest) (*ReleaseCapacityReservationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := store.GetIn[cloud.CapacityReservation](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.CapacityReservationNotFound)
		}
		if req.DryRun {
			return dryRun()
		}
		return store.Delete[cloud.CapacityReservation](ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &ReleaseCapacityReservationResponse{}, nil
}

// oneZone reads ZoneId.N, a list of one zone (the pools are of one zone).
func oneZone(p *rpc.Params) string {
	zones := p.List("ZoneId")
	switch {
	case len(zones) == 0:
		p.Fail(apierr.MissingParameter.New("ZoneId"))
		return ""
	case len(zones) > 1:
		p.Fail(apierr.InvalidParameter.New("ZoneId"))
	}
	return zones[0]
}
