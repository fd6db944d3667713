package ecs

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerSnapshotMore(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CopySnapshot", s.CopySnapshot)
	rpc.Handle(t, v, "ModifySnapshotAttribute", s.ModifySnapshotAttribute)
	rpc.Handle(t, v, "ModifySnapshotCategory", s.ModifySnapshotCategory)
	rpc.Handle(t, v, "DescribeSnapshotsUsage", s.DescribeSnapshotsUsage)
	rpc.Handle(t, v, "DescribeSnapshotLinks", s.DescribeSnapshotLinks)
	rpc.Handle(t, v, "DescribeSnapshotPackage", s.DescribeSnapshotPackage)
	rpc.Handle(t, v, "LockSnapshot", s.LockSnapshot)
	rpc.Handle(t, v, "UnlockSnapshot", s.UnlockSnapshot)
	rpc.Handle(t, v, "DescribeLockedSnapshots", s.DescribeLockedSnapshots)
	rpc.Handle(t, v, "CreateSnapshotGroup", s.CreateSnapshotGroup)
	rpc.Handle(t, v, "DeleteSnapshotGroup", s.DeleteSnapshotGroup)
	rpc.Handle(t, v, "ModifySnapshotGroup", s.ModifySnapshotGroup)
	rpc.Handle(t, v, "DescribeSnapshotGroups", s.DescribeSnapshotGroups)
	rpc.Handle(t, v, "ModifyAutoSnapshotPolicyEx", s.ModifyAutoSnapshotPolicyEx)
	rpc.Handle(t, v, "DescribeAutoSnapshotPolicyAssociations", s.DescribeAutoSnapshotPolicyAssociations)
	rpc.Handle(t, v, "OpenSnapshotService", s.OpenSnapshotService)
}

// offsetPage reads MaxResults/NextToken where NextToken is an offset into
// a list filtered in memory.
func offsetPage(p *rpc.Params, def, most int) (offset, size int) {
	size = p.Int("MaxResults", def, 1, most)
	if tok := p.String("NextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			p.Fail(apierr.InvalidNextToken.New())
		}
		offset = n
	}
	return offset, size
}

// pageAt cuts all at offset and answers the NextToken of the rest.
func pageAt[T any](all []T, offset, size int) ([]T, string) {
	if offset >= len(all) {
		return []T{}, ""
	}
	end := min(offset+size, len(all))
	if end < len(all) {
		return all[offset:end], strconv.Itoa(end)
	}
	return all[offset:end], ""
}

// dualPaging is a list paged by PageNumber/PageSize, or by
// MaxResults/NextToken (an offset) once either of those is given.
type dualPaging struct {
	PageNumber, PageSize int
	offset, max          int
	keyset               bool
}

func (d *dualPaging) bindPaging(p *rpc.Params, def, most int) {
	d.PageNumber, d.PageSize = paging(p, def, most)
	if p.Has("MaxResults") || p.String("NextToken") != "" {
		d.keyset = true
		d.offset, d.max = offsetPage(p, def, most)
	}
}

// pageDual cuts all as d asks and answers the NextToken ("" when paged by number).
func pageDual[T any](all []T, d dualPaging) ([]T, string) {
	if d.keyset {
		return pageAt(all, d.offset, d.max)
	}
	return pageOf(all, d.PageNumber, d.PageSize), ""
}

// rename sets name and description to what a request gives (nil: kept).
func rename(name, description, newName, newDescription *string) {
	if newName != nil {
		*name = *newName
	}
	if newDescription != nil {
		*description = *newDescription
	}
}

// CopySnapshotRequest copies a snapshot to a region.
type CopySnapshotRequest struct {
	RegionID, SnapshotID, DestRegion, DestName, DestDesc string
	ResourceGroupID, ClientToken, fingerprint            string
	RetentionDays                                        int
	Tags                                                 []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CopySnapshotRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.SnapshotID = p.Required("SnapshotId")
	r.DestRegion = p.Required("DestinationRegionId")
	r.DestName = p.Required("DestinationSnapshotName")
	r.DestDesc = p.Required("DestinationSnapshotDescription")
	if !cloud.ValidSnapshotName(r.DestName) {
		p.Fail(apierr.InvalidSnapshotName.New())
	}
	r.RetentionDays = p.Int("RetentionDays", 0, 1, 65536)
	p.String("DestinationStorageLocationArn")
	p.Bool("Encrypted", false)
	p.String("KMSKeyId")
	for _, a := range p.Objects("Arn") {
		a.String("Rolearn")
		a.String("RoleType")
		a.Int("AssumeRoleFor", 0, 0, 1<<62)
	}
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CopySnapshotResponse names the copy.
type CopySnapshotResponse struct {
	rpc.Base
	SnapshotID string `json:"SnapshotId"`
}

// CopySnapshot makes a manual snapshot in the destination region with the
// source's disk facts, progressing for the snapshot delay.
func (s *Service) CopySnapshot(ctx context.Context, call *rpc.Call, req *CopySnapshotRequest) (*CopySnapshotResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if err := s.checkRegion(req.DestRegion); err != nil {
		return nil, err
	}
	resp := &CopySnapshotResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		src, err := store.GetIn[cloud.Snapshot](ctx, tx, req.RegionID, req.SnapshotID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotIDNotFound)
		}
		if src.Status != cloud.SnapshotAccomplished {
			return apierr.SnapshotNotReady.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		cp := cloud.Snapshot{
			ID: s.ids.ID("s", req.DestRegion), Region: req.DestRegion, Name: req.DestName, Description: req.DestDesc,
			Type: cloud.SnapshotUser, SourceDiskID: src.SourceDiskID, SourceDiskType: src.SourceDiskType,
			SourceDiskSize: src.SourceDiskSize, Category: src.Category, InstanceID: src.InstanceID,
			Status: cloud.SnapshotProgressing, Created: now, DoneAt: now.Add(cfg.Delays.Snapshot.D()),
			RetentionDays: req.RetentionDays, Tags: cloudTags(req.Tags), CopyOf: src.ID,
		}
		if !cp.DoneAt.After(now) {
			cp.Status = cloud.SnapshotAccomplished
		}
		if err := store.Put(ctx, tx, cp); err != nil {
			return err
		}
		resp.SnapshotID = cp.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifySnapshotAttributeRequest renames a snapshot or sets its retention.
type ModifySnapshotAttributeRequest struct {
	SnapshotID          string
	Name, Desc          *string
	RetentionDays       *int
	DisableInstantAcces bool
}

// Bind implements rpc.Binder.
func (r *ModifySnapshotAttributeRequest) Bind(p *rpc.Params) {
	r.SnapshotID = p.Required("SnapshotId")
	if p.Has("SnapshotName") {
		v := p.String("SnapshotName")
		if v == "" || !cloud.ValidSnapshotName(v) {
			p.Fail(apierr.InvalidSnapshotName.New())
		}
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Desc = &v
	}
	r.RetentionDays = p.OptInt("RetentionDays", 1, 65536)
	p.Bool("DisableInstantAccess", false)
}

// ModifySnapshotAttributeResponse is RequestId only.
type ModifySnapshotAttributeResponse struct{ rpc.Base }

// ModifySnapshotAttribute changes a snapshot's name, description or
// retention (counted from its creation, as CreateSnapshot's is).
func (s *Service) ModifySnapshotAttribute(ctx context.Context, call *rpc.Call, req *ModifySnapshotAttributeRequest) (*ModifySnapshotAttributeResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		sn, err := store.Get[cloud.Snapshot](ctx, tx, req.SnapshotID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotIDNotFound)
		}
		if req.Name != nil {
			sn.Name = *req.Name
		}
		if req.Desc != nil {
			sn.Description = *req.Desc
		}
		if req.RetentionDays != nil {
			sn.RetentionDays = *req.RetentionDays
		}
		return store.Put(ctx, tx, sn)
	})
	if err != nil {
		return nil, err
	}
	return &ModifySnapshotAttributeResponse{}, nil
}

// ModifySnapshotCategoryRequest archives a snapshot.
type ModifySnapshotCategoryRequest struct {
	SnapshotID    string
	RetentionDays *int
}

// Bind implements rpc.Binder.
func (r *ModifySnapshotCategoryRequest) Bind(p *rpc.Params) {
	r.SnapshotID = p.Required("SnapshotId")
	p.Enum("Category", "Archive", "Archive")
	r.RetentionDays = p.OptInt("RetentionDays", 1, 65536)
}

// ModifySnapshotCategoryResponse carries the change's task.
type ModifySnapshotCategoryResponse struct {
	rpc.Base
	TaskID string `json:"TaskId"`
}

// ModifySnapshotCategory moves an accomplished standard snapshot to the
// archive tier (Category "archive"); there is no way back [choice: the
// cloud's archive tier keeps a snapshot at least 60 days, which ecslocal
// does not enforce].
func (s *Service) ModifySnapshotCategory(ctx context.Context, call *rpc.Call, req *ModifySnapshotCategoryRequest) (*ModifySnapshotCategoryResponse, error) {
	resp := &ModifySnapshotCategoryResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		sn, err := store.Get[cloud.Snapshot](ctx, tx, req.SnapshotID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotIDNotFound)
		}
		if sn.Status != cloud.SnapshotAccomplished || sn.Category == "archive" {
			return apierr.SnapshotCategoryNotSupported.New()
		}
		sn.Category = "archive"
		if req.RetentionDays != nil {
			sn.RetentionDays = *req.RetentionDays
		}
		resp.TaskID = "t-" + s.ids.Digits(16)
		return store.Put(ctx, tx, sn)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeSnapshotsUsageResponse counts the region's snapshots.
type DescribeSnapshotsUsageResponse struct {
	rpc.Base
	SnapshotCount int   `json:"SnapshotCount"`
	SnapshotSize  int64 `json:"SnapshotSize"`
}

// DescribeSnapshotsUsage counts the region's snapshots and their size: each
// snapshot counts its source disk's size [choice: ecslocal keeps no
// content, so a snapshot is as large as its disk, never incremental].
func (s *Service) DescribeSnapshotsUsage(ctx context.Context, call *rpc.Call, req *RegionOnlyRequest) (*DescribeSnapshotsUsageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeSnapshotsUsageResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.Snapshot](ctx, tx, req.RegionID)
		for _, sn := range all {
			resp.SnapshotCount++
			resp.SnapshotSize += int64(sn.SourceDiskSize) << 30
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeSnapshotLinksRequest filters the snapshot chains.
type DescribeSnapshotLinksRequest struct {
	RegionID, InstanceID string
	DiskIDs, LinkIDs     []string
	dualPaging
}

// Bind implements rpc.Binder.
func (r *DescribeSnapshotLinksRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.String("InstanceId")
	r.DiskIDs = p.JSONList("DiskIds")
	r.LinkIDs = p.JSONList("SnapshotLinkIds")
	r.bindPaging(p, 10, 100)
}

// SnapshotLink is the chain of one disk's snapshots.
type SnapshotLink struct {
	SnapshotLinkID string `json:"SnapshotLinkId"`
	RegionID       string `json:"RegionId"`
	InstanceID     string `json:"InstanceId"`
	SourceDiskID   string `json:"SourceDiskId"`
	SourceDiskSize int    `json:"SourceDiskSize"`
	SourceDiskType string `json:"SourceDiskType"`
	TotalCount     int    `json:"TotalCount"`
	TotalSize      int64  `json:"TotalSize"`
	Category       string `json:"Category"`
	InstantAccess  bool   `json:"InstantAccess"`
}

// DescribeSnapshotLinksResponse wraps SnapshotLinks.SnapshotLink[].
type DescribeSnapshotLinksResponse struct {
	rpc.Base
	TotalCount    int    `json:"TotalCount"`
	PageNumber    int    `json:"PageNumber"`
	PageSize      int    `json:"PageSize"`
	NextToken     string `json:"NextToken"`
	SnapshotLinks struct {
		SnapshotLink []SnapshotLink `json:"SnapshotLink"`
	} `json:"SnapshotLinks"`
}

// SnapshotLinkID is the id of a disk's snapshot chain: "sl-" and the
// disk id without its "d-" [choice].
func SnapshotLinkID(diskID string) string { return "sl-" + strings.TrimPrefix(diskID, "d-") }

// DescribeSnapshotLinks answers one chain per source disk of the region's
// snapshots (a disk released keeps its chain while snapshots remain).
func (s *Service) DescribeSnapshotLinks(ctx context.Context, call *rpc.Call, req *DescribeSnapshotLinksRequest) (*DescribeSnapshotLinksResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var snaps []cloud.Snapshot
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		snaps, err = store.All[cloud.Snapshot](ctx, tx, req.RegionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	byDisk := map[string]*SnapshotLink{}
	var order []string
	for _, sn := range snaps {
		l, ok := byDisk[sn.SourceDiskID]
		if !ok {
			l = &SnapshotLink{SnapshotLinkID: SnapshotLinkID(sn.SourceDiskID), RegionID: sn.Region, SourceDiskID: sn.SourceDiskID,
				SourceDiskType: sn.SourceDiskType, Category: sn.Category}
			byDisk[sn.SourceDiskID] = l
			order = append(order, sn.SourceDiskID)
		}
		// The latest snapshot says where the disk was and how large.
		l.InstanceID, l.SourceDiskSize = sn.InstanceID, sn.SourceDiskSize
		l.TotalCount++
		l.TotalSize += int64(sn.SourceDiskSize) << 30
	}
	var match []SnapshotLink
	for _, id := range order {
		l := byDisk[id]
		if len(req.DiskIDs) > 0 && !slices.Contains(req.DiskIDs, id) || len(req.LinkIDs) > 0 && !slices.Contains(req.LinkIDs, l.SnapshotLinkID) ||
			req.InstanceID != "" && req.InstanceID != l.InstanceID {
			continue
		}
		match = append(match, *l)
	}
	resp := &DescribeSnapshotLinksResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.SnapshotLinks.SnapshotLink, resp.NextToken = pageDual(match, req.dualPaging)
	return resp, nil
}

// DescribeSnapshotPackageRequest pages the region's packages.
type DescribeSnapshotPackageRequest struct {
	RegionID             string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeSnapshotPackageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// DescribeSnapshotPackageResponse wraps SnapshotPackages.SnapshotPackage[].
type DescribeSnapshotPackageResponse struct {
	rpc.Base
	TotalCount       int `json:"TotalCount"`
	PageNumber       int `json:"PageNumber"`
	PageSize         int `json:"PageSize"`
	SnapshotPackages struct {
		SnapshotPackage []struct{} `json:"SnapshotPackage"`
	} `json:"SnapshotPackages"`
}

// DescribeSnapshotPackage answers the OSS storage packages bought for
// snapshots: none, since ecslocal sells none (there is no action that buys
// one), so the empty list is the true answer.
func (s *Service) DescribeSnapshotPackage(_ context.Context, _ *rpc.Call, req *DescribeSnapshotPackageRequest) (*DescribeSnapshotPackageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeSnapshotPackageResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.SnapshotPackages.SnapshotPackage = []struct{}{}
	return resp, nil
}

// LockSnapshotRequest is a compliance lock.
type LockSnapshotRequest struct {
	RegionID, SnapshotID     string
	CoolOff, Duration        int
	DryRun                   bool
	ClientToken, fingerprint string
}

// Bind implements rpc.Binder.
func (r *LockSnapshotRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.SnapshotID = p.Required("SnapshotId")
	mode := p.Required("LockMode")
	p.Required("CoolOffPeriod")
	p.Required("LockDuration")
	if p.Err() != nil {
		return
	}
	if mode != "compliance" {
		p.Fail(apierr.InvalidParameter.New("LockMode"))
	}
	r.CoolOff = p.Int("CoolOffPeriod", 0, 0, 72)
	r.Duration = p.Int("LockDuration", 1, 1, 36500)
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// LockedSnapshotInfo is one lock as the API shows it.
type LockedSnapshotInfo struct {
	SnapshotID               string `json:"SnapshotId"`
	LockMode                 string `json:"LockMode"`
	LockStatus               string `json:"LockStatus"`
	LockDuration             int    `json:"LockDuration"`
	CoolOffPeriod            int    `json:"CoolOffPeriod"`
	LockCreationTime         string `json:"LockCreationTime"`
	LockDurationStartTime    string `json:"LockDurationStartTime"`
	LockExpiredTime          string `json:"LockExpiredTime"`
	CoolOffPeriodExpiredTime string `json:"CoolOffPeriodExpiredTime"`
}

func lockInfo(sn cloud.Snapshot, l cloud.SnapshotLock, tx store.Tx) LockedSnapshotInfo {
	return LockedSnapshotInfo{SnapshotID: sn.ID, LockMode: "compliance", LockStatus: l.Status(tx.Now()), LockDuration: l.DurationDays,
		CoolOffPeriod: l.CoolOffHours, LockCreationTime: cloud.FormatSecond(l.Created), LockDurationStartTime: cloud.FormatSecond(l.Created),
		LockExpiredTime: cloud.FormatSecond(l.ExpiresAt()), CoolOffPeriodExpiredTime: cloud.FormatSecond(l.CoolOffEnds())}
}

// LockSnapshotResponse carries the lock.
type LockSnapshotResponse struct {
	rpc.Base
	LockedSnapshotInfo LockedSnapshotInfo `json:"LockedSnapshotInfo"`
}

// LockSnapshot locks a snapshot in compliance mode: while locked no one
// deletes it, not DeleteSnapshot, its retention, its disk's release nor an
// instance's.
func (s *Service) LockSnapshot(ctx context.Context, call *rpc.Call, req *LockSnapshotRequest) (*LockSnapshotResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &LockSnapshotResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		sn, err := store.GetIn[cloud.Snapshot](ctx, tx, req.RegionID, req.SnapshotID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotIDNotFound)
		}
		if sn, err = cloud.LockSnapshotRule(sn, req.CoolOff, req.Duration, tx.Now()); err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		resp.LockedSnapshotInfo = lockInfo(sn, *sn.Lock, tx)
		if err := store.Put(ctx, tx, sn); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// UnlockSnapshotRequest names the snapshot.
type UnlockSnapshotRequest struct {
	RegionID, SnapshotID string
	DryRun               bool
}

// Bind implements rpc.Binder.
func (r *UnlockSnapshotRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.SnapshotID = p.Required("SnapshotId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// UnlockSnapshotResponse is RequestId only.
type UnlockSnapshotResponse struct{ rpc.Base }

// UnlockSnapshot removes a lock still in its cool-off period.
func (s *Service) UnlockSnapshot(ctx context.Context, call *rpc.Call, req *UnlockSnapshotRequest) (*UnlockSnapshotResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		sn, err := store.GetIn[cloud.Snapshot](ctx, tx, req.RegionID, req.SnapshotID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotIDNotFound)
		}
		if sn, err = cloud.UnlockSnapshotRule(sn, tx.Now()); err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		return store.Put(ctx, tx, sn)
	})
	if err != nil {
		return nil, err
	}
	return &UnlockSnapshotResponse{}, nil
}

// DescribeLockedSnapshotsRequest filters the locks.
type DescribeLockedSnapshotsRequest struct {
	RegionID, LockStatus string
	IDs                  []string
	offset, max          int
	DryRun               bool
}

// Bind implements rpc.Binder.
func (r *DescribeLockedSnapshotsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.LockStatus = p.Enum("LockStatus", "", cloud.SnapshotLockCompliance, cloud.SnapshotLockCoolOff, cloud.SnapshotLockExpired)
	r.IDs = p.List("SnapshotIds")
	r.offset, r.max = offsetPage(p, 10, 100)
	r.DryRun = p.Bool("DryRun", false)
}

// DescribeLockedSnapshotsResponse lists LockedSnapshotsInfo[].
type DescribeLockedSnapshotsResponse struct {
	rpc.Base
	NextToken           string               `json:"NextToken"`
	LockedSnapshotsInfo []LockedSnapshotInfo `json:"LockedSnapshotsInfo"`
}

// DescribeLockedSnapshots lists the region's locked snapshots. An expired
// lock is removed when it expires, so "expired" matches none.
func (s *Service) DescribeLockedSnapshots(ctx context.Context, call *rpc.Call, req *DescribeLockedSnapshotsRequest) (*DescribeLockedSnapshotsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.DryRun {
		return nil, dryRun()
	}
	var match []LockedSnapshotInfo
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		locked, err := store.All[cloud.Snapshot](ctx, tx, req.RegionID, store.Where("lock", cloud.SnapshotLockCompliance))
		for _, sn := range locked {
			info := lockInfo(sn, *sn.Lock, tx)
			if len(req.IDs) > 0 && !slices.Contains(req.IDs, sn.ID) || req.LockStatus != "" && req.LockStatus != info.LockStatus {
				continue
			}
			match = append(match, info)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeLockedSnapshotsResponse{}
	resp.LockedSnapshotsInfo, resp.NextToken = pageAt(match, req.offset, req.max)
	return resp, nil
}

// CreateSnapshotGroupRequest snapshots the disks of an instance together.
type CreateSnapshotGroupRequest struct {
	RegionID, InstanceID, Name, Description, ResourceGroupID string
	DiskIDs, ExcludeDiskIDs                                  []string
	Tags                                                     []rpc.Tag
	ClientToken, fingerprint                                 string
}

// Bind implements rpc.Binder.
func (r *CreateSnapshotGroupRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.String("InstanceId")
	r.DiskIDs = p.List("DiskId")
	r.ExcludeDiskIDs = p.List("ExcludeDiskId")
	if r.InstanceID == "" && len(r.DiskIDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceId"))
	}
	r.Name = p.String("Name")
	if r.Name != "" && !cloud.ValidSnapshotName(r.Name) {
		p.Fail(apierr.InvalidParameter.New("Name"))
	}
	r.Description = p.String("Description")
	p.Bool("InstantAccess", false)
	p.Int("InstantAccessRetentionDays", 0, 1, 65535)
	p.String("StorageLocationArn")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateSnapshotGroupResponse names the group.
type CreateSnapshotGroupResponse struct {
	rpc.Base
	SnapshotGroupID string `json:"SnapshotGroupId"`
}

// CreateSnapshotGroup takes one manual snapshot of each chosen disk of an
// instance at one instant (every attached disk unless DiskId.N narrows and
// ExcludeDiskId.N removes); InstanceId may be left out when the disks name
// one instance.
func (s *Service) CreateSnapshotGroup(ctx context.Context, call *rpc.Call, req *CreateSnapshotGroupRequest) (*CreateSnapshotGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateSnapshotGroupResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		instID := req.InstanceID
		if instID == "" {
			d, err := loadDisk(ctx, tx, req.RegionID, req.DiskIDs[0])
			if err != nil {
				return err
			}
			instID = d.InstanceID
			if instID == "" {
				return apierr.SnapshotGroupNoDisk.New()
			}
		}
		inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, instID)
		if err != nil {
			return notFound(err, apierr.InvalidInstanceIDNotFound)
		}
		if inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped {
			return apierr.IncorrectInstanceStatus.New()
		}
		attached, err := attachedTo(ctx, tx, inst.ID)
		if err != nil {
			return err
		}
		for _, id := range req.DiskIDs {
			if !slices.ContainsFunc(attached, func(d cloud.Disk) bool { return d.ID == id }) {
				return apierr.SnapshotGroupNoDisk.New().WithDetail("disk %s is not attached to %s", id, inst.ID)
			}
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		g := cloud.SnapshotGroup{ID: s.ids.ID("ssg", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			InstanceID: inst.ID, ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags), Created: now}
		for _, d := range attached {
			if len(req.DiskIDs) > 0 && !slices.Contains(req.DiskIDs, d.ID) || slices.Contains(req.ExcludeDiskIDs, d.ID) {
				continue
			}
			have, err := snapshotsOf(ctx, tx, d.ID)
			if err != nil {
				return err
			}
			if err := cloud.CheckCreateSnapshot(d, &inst, have); err != nil {
				return err
			}
			sn := cloud.NewSnapshot(cloud.SnapshotSpec{ID: s.ids.ID("s", d.Region), Type: cloud.SnapshotUser,
				Description: "Created for snapshot group " + g.ID}, d, now, cfg.Delays)
			sn.Group = g.ID
			if err := store.Put(ctx, tx, sn); err != nil {
				return err
			}
			g.Snapshots = append(g.Snapshots, sn.ID)
		}
		if len(g.Snapshots) == 0 {
			return apierr.SnapshotGroupNoDisk.New()
		}
		if err := store.Put(ctx, tx, g); err != nil {
			return err
		}
		resp.SnapshotGroupID = g.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// SnapshotGroupRequest names one group.
type SnapshotGroupRequest struct{ RegionID, GroupID string }

// Bind implements rpc.Binder.
func (r *SnapshotGroupRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.GroupID = p.Required("SnapshotGroupId")
}

// DeleteSnapshotGroupResponse reports each snapshot's deletion.
type DeleteSnapshotGroupResponse struct {
	rpc.Base
	OperationProgressSet struct {
		OperationProgress []ResetDisksProgress `json:"OperationProgress"`
	} `json:"OperationProgressSet"`
}

// DeleteSnapshotGroup deletes a group with its snapshots, all or none: a
// snapshot the rules keep (locked, backing an image, the source of disks)
// refuses the whole group, as DeleteSnapshot would refuse it alone.
func (s *Service) DeleteSnapshotGroup(ctx context.Context, call *rpc.Call, req *SnapshotGroupRequest) (*DeleteSnapshotGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DeleteSnapshotGroupResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := store.GetIn[cloud.SnapshotGroup](ctx, tx, req.RegionID, req.GroupID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotGroupID)
		}
		for _, id := range g.Snapshots {
			sn, err := store.Get[cloud.Snapshot](ctx, tx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // deleted on its own before
			} else if err != nil {
				return err
			}
			used, err := store.Count[cloud.Disk](ctx, tx, "", store.Where("snapshot", sn.ID))
			if err != nil {
				return err
			}
			if err := cloud.CheckDeleteSnapshot(sn, used, false); err != nil {
				return err
			}
			if err := store.Delete[cloud.Snapshot](ctx, tx, sn.ID); err != nil {
				return err
			}
			item := ResetDisksProgress{OperationStatus: "Success"}
			item.RelatedItemSet.RelatedItem = []ResetDisksRelatedItem{{Name: "SnapshotId", Value: sn.ID}}
			resp.OperationProgressSet.OperationProgress = append(resp.OperationProgressSet.OperationProgress, item)
		}
		return store.Delete[cloud.SnapshotGroup](ctx, tx, g.ID)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifySnapshotGroupRequest renames a group.
type ModifySnapshotGroupRequest struct {
	SnapshotGroupRequest
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifySnapshotGroupRequest) Bind(p *rpc.Params) {
	r.SnapshotGroupRequest.Bind(p)
	if p.Has("Name") {
		v := p.String("Name")
		if v != "" && !cloud.ValidSnapshotName(v) {
			p.Fail(apierr.InvalidParameter.New("Name"))
		}
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Description = &v
	}
}

// ModifySnapshotGroupResponse is RequestId only.
type ModifySnapshotGroupResponse struct{ rpc.Base }

// ModifySnapshotGroup changes a group's name or description.
func (s *Service) ModifySnapshotGroup(ctx context.Context, call *rpc.Call, req *ModifySnapshotGroupRequest) (*ModifySnapshotGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		g, err := store.GetIn[cloud.SnapshotGroup](ctx, tx, req.RegionID, req.GroupID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotGroupID)
		}
		rename(&g.Name, &g.Description, req.Name, req.Description)
		return store.Put(ctx, tx, g)
	})
	if err != nil {
		return nil, err
	}
	return &ModifySnapshotGroupResponse{}, nil
}

// DescribeSnapshotGroupsRequest filters the groups.
type DescribeSnapshotGroupsRequest struct {
	RegionID, InstanceID, Name, ResourceGroupID string
	IDs, Statuses                               []string
	Filters                                     []store.Filter
	offset, max                                 int
}

// Bind implements rpc.Binder.
func (r *DescribeSnapshotGroupsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.String("InstanceId")
	r.Name = p.String("Name")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.IDs = p.List("SnapshotGroupId")
	r.Statuses = p.List("Status")
	p.List("AdditionalAttributes")
	r.Filters = tagFilters(p)
	r.offset, r.max = offsetPage(p, 10, 100)
}

// SnapshotGroupSnapshot is one snapshot of a group.
type SnapshotGroupSnapshot struct {
	SnapshotID     string `json:"SnapshotId"`
	SourceDiskID   string `json:"SourceDiskId"`
	SourceDiskType string `json:"SourceDiskType"`
	Progress       string `json:"Progress"`
	Available      bool   `json:"Available"`
	InstantAccess  bool   `json:"InstantAccess"`
	Tags           Tags   `json:"Tags"`
}

// SnapshotGroupItem is one group.
type SnapshotGroupItem struct {
	SnapshotGroupID string `json:"SnapshotGroupId"`
	Name            string `json:"Name"`
	Description     string `json:"Description"`
	InstanceID      string `json:"InstanceId"`
	Status          string `json:"Status"`
	ProgressStatus  string `json:"ProgressStatus"`
	CreationTime    string `json:"CreationTime"`
	ResourceGroupID string `json:"ResourceGroupId"`
	Tags            Tags   `json:"Tags"`
	Snapshots       struct {
		Snapshot []SnapshotGroupSnapshot `json:"Snapshot"`
	} `json:"Snapshots"`
}

// DescribeSnapshotGroupsResponse wraps SnapshotGroups.SnapshotGroup[].
type DescribeSnapshotGroupsResponse struct {
	rpc.Base
	NextToken      string `json:"NextToken"`
	SnapshotGroups struct {
		SnapshotGroup []SnapshotGroupItem `json:"SnapshotGroup"`
	} `json:"SnapshotGroups"`
}

// DescribeSnapshotGroups lists groups with their snapshots and status.
func (s *Service) DescribeSnapshotGroups(ctx context.Context, call *rpc.Call, req *DescribeSnapshotGroupsRequest) (*DescribeSnapshotGroupsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []SnapshotGroupItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		filters := slices.Clone(req.Filters)
		if req.InstanceID != "" {
			filters = append(filters, store.Where("instance", req.InstanceID))
		}
		if req.Name != "" {
			filters = append(filters, store.Where("name", req.Name))
		}
		if req.ResourceGroupID != "" {
			filters = append(filters, store.Where("resourceGroup", req.ResourceGroupID))
		}
		groups, err := store.All[cloud.SnapshotGroup](ctx, tx, req.RegionID, filters...)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if len(req.IDs) > 0 && !slices.Contains(req.IDs, g.ID) {
				continue
			}
			item := SnapshotGroupItem{SnapshotGroupID: g.ID, Name: g.Name, Description: g.Description, InstanceID: g.InstanceID,
				CreationTime: cloud.FormatSecond(g.Created), ResourceGroupID: g.ResourceGroup, Tags: tagsOf(g.Tags)}
			var snaps []cloud.Snapshot
			for _, id := range g.Snapshots {
				sn, err := store.Get[cloud.Snapshot](ctx, tx, id)
				if errors.Is(err, store.ErrNotFound) {
					continue
				} else if err != nil {
					return err
				}
				snaps = append(snaps, sn)
				item.Snapshots.Snapshot = append(item.Snapshots.Snapshot, SnapshotGroupSnapshot{SnapshotID: sn.ID,
					SourceDiskID: sn.SourceDiskID, SourceDiskType: strings.ToLower(sn.SourceDiskType), Progress: sn.Progress(tx.Now()),
					Available: sn.Status == cloud.SnapshotAccomplished, Tags: tagsOf(sn.Tags)})
			}
			item.Status = cloud.GroupStatus(snaps)
			item.ProgressStatus = item.Status
			if len(req.Statuses) > 0 && !slices.Contains(req.Statuses, item.Status) {
				continue
			}
			match = append(match, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeSnapshotGroupsResponse{}
	resp.SnapshotGroups.SnapshotGroup, resp.NextToken = pageAt(match, req.offset, req.max)
	return resp, nil
}

// ModifyAutoSnapshotPolicyExRequest changes a policy's schedule.
type ModifyAutoSnapshotPolicyExRequest struct {
	RegionID, PolicyID         string
	Name                       *string
	TimePoints, RepeatWeekdays []int
	RetentionDays              *int
}

// Bind implements rpc.Binder: the same lists as CreateAutoSnapshotPolicy,
// each optional.
func (r *ModifyAutoSnapshotPolicyExRequest) Bind(p *rpc.Params) {
	r.RegionID = policyRegion(p)
	r.PolicyID = p.Required(wireName(p, "autoSnapshotPolicyId", "AutoSnapshotPolicyId"))
	if n := wireName(p, "autoSnapshotPolicyName", "AutoSnapshotPolicyName"); p.Has(n) {
		v := p.String(n)
		r.Name = &v
	}
	var ok bool
	if tp := wireName(p, "timePoints", "TimePoints"); p.String(tp) != "" {
		if r.TimePoints, ok = cloud.NormalizeHours(p.JSONInts(tp, 0, 23)); !ok {
			p.Fail(apierr.PolicyParamInvalid.New(tp))
		}
	}
	if rw := wireName(p, "repeatWeekdays", "RepeatWeekdays"); p.String(rw) != "" {
		if r.RepeatWeekdays, ok = cloud.NormalizeWeekdays(p.JSONInts(rw, 1, 7)); !ok {
			p.Fail(apierr.PolicyParamInvalid.New(rw))
		}
	}
	if rd := wireName(p, "retentionDays", "RetentionDays"); p.Has(rd) {
		v := p.Int(rd, -1, -1, 65536)
		if !cloud.ValidPolicyRetention(v) {
			p.Fail(apierr.PolicyParamInvalid.New(rd))
		}
		r.RetentionDays = &v
	}
	p.Bool("EnableCrossRegionCopy", false)
	p.String("TargetCopyRegions")
	p.Int("CopiedSnapshotsRetentionDays", -1, -1, 65535)
	p.Object("CopyEncryptionConfiguration")
}

// ModifyAutoSnapshotPolicyExResponse is RequestId only.
type ModifyAutoSnapshotPolicyExResponse struct{ rpc.Base }

// ModifyAutoSnapshotPolicyEx changes a policy's name, schedule or
// retention; the next firing follows the new schedule, and snapshots it
// made before keep the retention they were made with.
func (s *Service) ModifyAutoSnapshotPolicyEx(ctx context.Context, call *rpc.Call, req *ModifyAutoSnapshotPolicyExRequest) (*ModifyAutoSnapshotPolicyExResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		pol, err := loadPolicy(ctx, tx, req.RegionID, req.PolicyID)
		if err != nil {
			return err
		}
		if req.Name != nil {
			pol.Name = *req.Name
		}
		if req.TimePoints != nil {
			pol.TimePoints = req.TimePoints
		}
		if req.RepeatWeekdays != nil {
			pol.RepeatWeekdays = req.RepeatWeekdays
		}
		if req.RetentionDays != nil {
			pol.RetentionDays = *req.RetentionDays
		}
		// The schedule starts afresh now: no firing before this change is replayed.
		pol.Last = tx.Now()
		return store.Put(ctx, tx, pol)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyAutoSnapshotPolicyExResponse{}, nil
}

// DescribeAutoSnapshotPolicyAssociationsRequest filters the bindings.
type DescribeAutoSnapshotPolicyAssociationsRequest struct {
	RegionID, PolicyID, DiskID string
	offset, max                int
}

// Bind implements rpc.Binder.
func (r *DescribeAutoSnapshotPolicyAssociationsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.PolicyID = p.String("AutoSnapshotPolicyId")
	r.DiskID = p.String("DiskId")
	r.offset, r.max = offsetPage(p, 10, 100)
}

// AutoSnapshotPolicyAssociation is one disk bound to a policy.
type AutoSnapshotPolicyAssociation struct {
	AutoSnapshotPolicyID string `json:"AutoSnapshotPolicyId"`
	DiskID               string `json:"DiskId"`
}

// DescribeAutoSnapshotPolicyAssociationsResponse wraps the associations.
type DescribeAutoSnapshotPolicyAssociationsResponse struct {
	rpc.Base
	NextToken                      string `json:"NextToken"`
	AutoSnapshotPolicyAssociations struct {
		AutoSnapshotPolicyAssociation []AutoSnapshotPolicyAssociation `json:"AutoSnapshotPolicyAssociation"`
	} `json:"AutoSnapshotPolicyAssociations"`
}

// DescribeAutoSnapshotPolicyAssociations lists the disks bound to policies.
func (s *Service) DescribeAutoSnapshotPolicyAssociations(ctx context.Context, call *rpc.Call, req *DescribeAutoSnapshotPolicyAssociationsRequest) (*DescribeAutoSnapshotPolicyAssociationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []AutoSnapshotPolicyAssociation
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var disks []cloud.Disk
		var err error
		if req.PolicyID != "" {
			disks, err = store.All[cloud.Disk](ctx, tx, req.RegionID, store.Where("policy", req.PolicyID))
		} else {
			disks, err = store.All[cloud.Disk](ctx, tx, req.RegionID)
		}
		for _, d := range disks {
			if d.AutoSnapshotPolicy == "" || req.DiskID != "" && d.ID != req.DiskID {
				continue
			}
			match = append(match, AutoSnapshotPolicyAssociation{AutoSnapshotPolicyID: d.AutoSnapshotPolicy, DiskID: d.ID})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeAutoSnapshotPolicyAssociationsResponse{}
	resp.AutoSnapshotPolicyAssociations.AutoSnapshotPolicyAssociation, resp.NextToken = pageAt(match, req.offset, req.max)
	return resp, nil
}

// OpenSnapshotServiceResponse is RequestId only.
type OpenSnapshotServiceResponse struct{ rpc.Base }

// OpenSnapshotService activates the snapshot service of an account. In
// ecslocal every account's snapshot service is open from the start
// (CreateSnapshot needs no activation), so opening it again succeeds and
// changes nothing, as the cloud answers an account that has it open.
func (s *Service) OpenSnapshotService(_ context.Context, _ *rpc.Call, req *RegionOnlyRequest) (*OpenSnapshotServiceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	return &OpenSnapshotServiceResponse{}, nil
}
