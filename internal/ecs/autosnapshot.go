package ecs

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerAutoSnapshotPolicies(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateAutoSnapshotPolicy", s.CreateAutoSnapshotPolicy)
	rpc.Handle(t, v, "DescribeAutoSnapshotPolicyEx", s.DescribeAutoSnapshotPolicyEx)
	rpc.Handle(t, v, "ApplyAutoSnapshotPolicy", s.ApplyAutoSnapshotPolicy)
	rpc.Handle(t, v, "CancelAutoSnapshotPolicy", s.CancelAutoSnapshotPolicy)
	rpc.Handle(t, v, "DeleteAutoSnapshotPolicy", s.DeleteAutoSnapshotPolicy)
}

// wireName picks the spelling of a policy parameter the caller used. The
// policy actions are documented in lower camel case (regionId, timePoints,
// diskIds …) and both SDKs send those, except that the classic SDK adds its
// own RegionId; the capitalised form is accepted too.
func wireName(p *rpc.Params, lower, upper string) string {
	if p.Has(lower) || !p.Has(upper) {
		return lower
	}
	return upper
}

// policyRegion reads regionId or RegionId, required.
func policyRegion(p *rpc.Params) string {
	return p.Required(wireName(p, "regionId", "RegionId"))
}

// loadPolicy reads a policy of region; an unknown one answers
// ParameterInvalid 404, as the real service does.
func loadPolicy(ctx context.Context, tx store.Tx, region, id string) (cloud.AutoSnapshotPolicy, error) {
	p, err := store.GetIn[cloud.AutoSnapshotPolicy](ctx, tx, region, id)
	return p, notFound(err, apierr.PolicyNotFound)
}

// policyDiskIDs reads the diskIds JSON list: required, 1..1000 ids.
func policyDiskIDs(p *rpc.Params) []string {
	name := wireName(p, "diskIds", "DiskIds")
	if p.String(name) == "" {
		p.Fail(apierr.MissingParameter.New(name))
		return nil
	}
	ids := p.JSONList(name)
	if p.Err() == nil && (len(ids) == 0 || len(ids) > 1000) {
		p.Fail(apierr.PolicyDiskIDsInvalid.New())
	}
	return ids
}

// CreateAutoSnapshotPolicyRequest is spec/semantics.md §5.6.
type CreateAutoSnapshotPolicyRequest struct {
	RegionID, Name             string
	TimePoints, RepeatWeekdays []int
	RetentionDays              int
	Tags                       []rpc.Tag
}

// Bind implements rpc.Binder: timePoints and repeatWeekdays are JSON lists
// of hours 0..23 and days 1..7, retentionDays -1 (forever) or 1..65536.
func (r *CreateAutoSnapshotPolicyRequest) Bind(p *rpc.Params) {
	r.RegionID = policyRegion(p)
	tp := wireName(p, "timePoints", "TimePoints")
	rw := wireName(p, "repeatWeekdays", "RepeatWeekdays")
	rd := wireName(p, "retentionDays", "RetentionDays")
	for _, name := range []string{tp, rw, rd} {
		p.Required(name)
	}
	var ok bool
	if r.TimePoints, ok = cloud.NormalizeHours(p.JSONInts(tp, 0, 23)); !ok {
		p.Fail(apierr.PolicyParamInvalid.New(tp))
	}
	if r.RepeatWeekdays, ok = cloud.NormalizeWeekdays(p.JSONInts(rw, 1, 7)); !ok {
		p.Fail(apierr.PolicyParamInvalid.New(rw))
	}
	r.RetentionDays = p.Int(rd, -1, -1, 65536)
	if !cloud.ValidPolicyRetention(r.RetentionDays) {
		p.Fail(apierr.PolicyParamInvalid.New(rd))
	}
	r.Name = p.String(wireName(p, "autoSnapshotPolicyName", "AutoSnapshotPolicyName"))
	r.Tags = p.Tags("Tag")
}

// CreateAutoSnapshotPolicyResponse carries the AutoSnapshotPolicyId.
type CreateAutoSnapshotPolicyResponse struct {
	rpc.Base
	AutoSnapshotPolicyID string `json:"AutoSnapshotPolicyId"`
}

// CreateAutoSnapshotPolicy creates a policy; it fires at its first TimePoint
// after creation, on the emulated clock.
func (s *Service) CreateAutoSnapshotPolicy(ctx context.Context, call *rpc.Call, req *CreateAutoSnapshotPolicyRequest) (*CreateAutoSnapshotPolicyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateAutoSnapshotPolicyResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		p := cloud.AutoSnapshotPolicy{
			ID: s.ids.ID("sp", req.RegionID), Region: req.RegionID, Name: req.Name, TimePoints: req.TimePoints,
			RepeatWeekdays: req.RepeatWeekdays, RetentionDays: req.RetentionDays, Created: tx.Now(),
			Tags: cloudTags(req.Tags),
		}
		resp.AutoSnapshotPolicyID = p.ID
		return store.Put(ctx, tx, p)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeAutoSnapshotPolicyExRequest is §5.6.
type DescribeAutoSnapshotPolicyExRequest struct {
	RegionID, PolicyID string
	Filters            []store.Filter
	listPaging
}

// Bind implements rpc.Binder.
func (r *DescribeAutoSnapshotPolicyExRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.PolicyID = p.String("AutoSnapshotPolicyId")
	if n := p.String("AutoSnapshotPolicyName"); n != "" {
		r.Filters = append(r.Filters, store.Where("name", n))
	}
	r.Filters = append(r.Filters, tagFilters(p)...)
	r.listPaging.bind(p, 10, 100, 100)
}

// PolicyItem is one policy as DescribeAutoSnapshotPolicyEx shows it;
// TimePoints and RepeatWeekdays are JSON text such as ["1","2"].
type PolicyItem struct {
	AutoSnapshotPolicyID         string `json:"AutoSnapshotPolicyId"`
	AutoSnapshotPolicyName       string `json:"AutoSnapshotPolicyName"`
	TimePoints                   string `json:"TimePoints"`
	RepeatWeekdays               string `json:"RepeatWeekdays"`
	RetentionDays                int    `json:"RetentionDays"`
	DiskNums                     int    `json:"DiskNums"`
	VolumeNums                   int    `json:"VolumeNums"`
	Status                       string `json:"Status"`
	CreationTime                 string `json:"CreationTime"`
	RegionID                     string `json:"RegionId"`
	ResourceGroupID              string `json:"ResourceGroupId"`
	Type                         string `json:"Type"`
	EnableCrossRegionCopy        bool   `json:"EnableCrossRegionCopy"`
	TargetCopyRegions            string `json:"TargetCopyRegions"`
	CopiedSnapshotsRetentionDays int    `json:"CopiedSnapshotsRetentionDays"`
	Tags                         Tags   `json:"Tags"`
}

// DescribeAutoSnapshotPolicyExResponse wraps AutoSnapshotPolicies.AutoSnapshotPolicy[].
type DescribeAutoSnapshotPolicyExResponse struct {
	rpc.Base
	TotalCount           int `json:"TotalCount"`
	PageNumber           int `json:"PageNumber"`
	PageSize             int `json:"PageSize"`
	AutoSnapshotPolicies struct {
		AutoSnapshotPolicy []PolicyItem `json:"AutoSnapshotPolicy"`
	} `json:"AutoSnapshotPolicies"`
}

// DescribeAutoSnapshotPolicyEx lists policies with the number of disks
// bound to each: released disks have dropped out (§3.6).
func (s *Service) DescribeAutoSnapshotPolicyEx(ctx context.Context, call *rpc.Call, req *DescribeAutoSnapshotPolicyExRequest) (*DescribeAutoSnapshotPolicyExResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, Filters: req.Filters}
	if req.PolicyID != "" {
		q.IDs = []string{req.PolicyID}
	}
	q, size := req.listPaging.query(q)
	resp := &DescribeAutoSnapshotPolicyExResponse{PageNumber: req.PageNumber, PageSize: size}
	resp.AutoSnapshotPolicies.AutoSnapshotPolicy = []PolicyItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.AutoSnapshotPolicy](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, p := range list {
			n, err := store.Count[cloud.Disk](ctx, tx, "", store.Where("policy", p.ID))
			if err != nil {
				return err
			}
			resp.AutoSnapshotPolicies.AutoSnapshotPolicy = append(resp.AutoSnapshotPolicies.AutoSnapshotPolicy, PolicyItem{
				AutoSnapshotPolicyID: p.ID, AutoSnapshotPolicyName: p.Name, TimePoints: cloud.JSONStrings(p.TimePoints),
				RepeatWeekdays: cloud.JSONStrings(p.RepeatWeekdays), RetentionDays: p.RetentionDays, DiskNums: n,
				Status: cloud.PolicyNormal, CreationTime: cloud.FormatSecond(p.Created), RegionID: p.Region,
				Type: "Custom", TargetCopyRegions: "[]", CopiedSnapshotsRetentionDays: -1, Tags: tagsOf(p.Tags),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ApplyAutoSnapshotPolicyRequest binds disks to a policy.
type ApplyAutoSnapshotPolicyRequest struct {
	RegionID, PolicyID string
	DiskIDs            []string
}

// Bind implements rpc.Binder.
func (r *ApplyAutoSnapshotPolicyRequest) Bind(p *rpc.Params) {
	r.RegionID = policyRegion(p)
	r.PolicyID = p.Required(wireName(p, "autoSnapshotPolicyId", "AutoSnapshotPolicyId"))
	r.DiskIDs = policyDiskIDs(p)
}

// ApplyAutoSnapshotPolicyResponse is {RequestId}.
type ApplyAutoSnapshotPolicyResponse struct{ rpc.Base }

// ApplyAutoSnapshotPolicy binds disks to a policy, replacing any earlier
// binding, and enables their automatic snapshots; all disks or none.
func (s *Service) ApplyAutoSnapshotPolicy(ctx context.Context, call *rpc.Call, req *ApplyAutoSnapshotPolicyRequest) (*ApplyAutoSnapshotPolicyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if _, err := loadPolicy(ctx, tx, req.RegionID, req.PolicyID); err != nil {
			return err
		}
		return s.bindDisks(ctx, tx, req.RegionID, req.DiskIDs, req.PolicyID)
	})
	if err != nil {
		return nil, err
	}
	return &ApplyAutoSnapshotPolicyResponse{}, nil
}

// bindDisks sets the policy of every disk (policy "" unbinds), after
// checking that every one exists in region.
func (s *Service) bindDisks(ctx context.Context, tx store.Tx, region string, ids []string, policy string) error {
	disks := make([]cloud.Disk, 0, len(ids))
	for _, id := range ids {
		d, err := store.GetIn[cloud.Disk](ctx, tx, region, id)
		if err != nil {
			return notFound(err, apierr.PolicyDiskNotFound)
		}
		disks = append(disks, d)
	}
	for _, d := range disks {
		d.AutoSnapshotPolicy, d.EnableAutoSnapshot = policy, policy != ""
		if err := store.Put(ctx, tx, d); err != nil {
			return err
		}
	}
	return nil
}

// CancelAutoSnapshotPolicyRequest unbinds disks from their policy.
type CancelAutoSnapshotPolicyRequest struct {
	RegionID string
	DiskIDs  []string
}

// Bind implements rpc.Binder.
func (r *CancelAutoSnapshotPolicyRequest) Bind(p *rpc.Params) {
	r.RegionID = policyRegion(p)
	r.DiskIDs = policyDiskIDs(p)
	p.String(wireName(p, "autoSnapshotPolicyId", "AutoSnapshotPolicyId"))
}

// CancelAutoSnapshotPolicyResponse is {RequestId}.
type CancelAutoSnapshotPolicyResponse struct{ rpc.Base }

// CancelAutoSnapshotPolicy unbinds disks; their snapshots stay.
func (s *Service) CancelAutoSnapshotPolicy(ctx context.Context, call *rpc.Call, req *CancelAutoSnapshotPolicyRequest) (*CancelAutoSnapshotPolicyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		return s.bindDisks(ctx, tx, req.RegionID, req.DiskIDs, "")
	})
	if err != nil {
		return nil, err
	}
	return &CancelAutoSnapshotPolicyResponse{}, nil
}

// DeleteAutoSnapshotPolicyRequest names one policy.
type DeleteAutoSnapshotPolicyRequest struct{ RegionID, PolicyID string }

// Bind implements rpc.Binder.
func (r *DeleteAutoSnapshotPolicyRequest) Bind(p *rpc.Params) {
	r.RegionID = policyRegion(p)
	r.PolicyID = p.Required(wireName(p, "autoSnapshotPolicyId", "AutoSnapshotPolicyId"))
}

// DeleteAutoSnapshotPolicyResponse is {RequestId}.
type DeleteAutoSnapshotPolicyResponse struct{ rpc.Base }

// DeleteAutoSnapshotPolicy deletes a policy and unbinds its disks; the
// snapshots it took stay.
func (s *Service) DeleteAutoSnapshotPolicy(ctx context.Context, call *rpc.Call, req *DeleteAutoSnapshotPolicyRequest) (*DeleteAutoSnapshotPolicyResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		p, err := loadPolicy(ctx, tx, req.RegionID, req.PolicyID)
		if err != nil {
			return err
		}
		bound, err := store.All[cloud.Disk](ctx, tx, "", store.Where("policy", p.ID))
		if err != nil {
			return err
		}
		for _, d := range bound {
			d.AutoSnapshotPolicy, d.EnableAutoSnapshot = "", false
			if err := store.Put(ctx, tx, d); err != nil {
				return err
			}
		}
		return store.Delete[cloud.AutoSnapshotPolicy](ctx, tx, p.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteAutoSnapshotPolicyResponse{}, nil
}
