package ecs

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerSnapshots(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateSnapshot", s.CreateSnapshot)
	rpc.Handle(t, v, "DescribeSnapshots", s.DescribeSnapshots)
	rpc.Handle(t, v, "DeleteSnapshot", s.DeleteSnapshot)
}

// CreateSnapshotRequest is spec/semantics.md §5.6.
type CreateSnapshotRequest struct {
	DiskID, Name, Description string
	RetentionDays             int
	Tags                      []rpc.Tag
	ClientToken, fingerprint  string
}

// Bind implements rpc.Binder.
func (r *CreateSnapshotRequest) Bind(p *rpc.Params) {
	r.DiskID = p.Required("DiskId")
	r.Name = p.String("SnapshotName")
	if !cloud.ValidSnapshotName(r.Name) {
		p.Fail(apierr.InvalidSnapshotName.New())
	}
	r.Description = p.String("Description")
	r.RetentionDays = p.Int("RetentionDays", 0, 1, 65536)
	p.String("Category")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateSnapshotResponse carries the SnapshotId.
type CreateSnapshotResponse struct {
	rpc.Base
	SnapshotID string `json:"SnapshotId"`
}

// CreateSnapshot takes a manual (SnapshotType user) snapshot of a disk:
// progressing → accomplished after the snapshot delay.
func (s *Service) CreateSnapshot(ctx context.Context, call *rpc.Call, req *CreateSnapshotRequest) (*CreateSnapshotResponse, error) {
	resp := &CreateSnapshotResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, "CreateSnapshot", req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		d, err := loadDisk(ctx, tx, "", req.DiskID)
		if err != nil {
			return err
		}
		var inst *cloud.Instance
		if d.InstanceID != "" {
			i, err := store.Get[cloud.Instance](ctx, tx, d.InstanceID)
			if err != nil {
				return err // an attached disk always has its instance
			}
			inst = &i
		}
		snaps, err := snapshotsOf(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		if err := cloud.CheckCreateSnapshot(d, inst, snaps); err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		snap := cloud.NewSnapshot(cloud.SnapshotSpec{
			ID: s.ids.ID("s", d.Region), Name: req.Name, Description: req.Description, Type: cloud.SnapshotUser,
			RetentionDays: req.RetentionDays, Tags: cloudTags(req.Tags),
		}, d, tx.Now(), cfg.Delays)
		resp.SnapshotID = snap.ID
		if err := store.Put(ctx, tx, snap); err != nil {
			return err
		}
		return store.Remember(ctx, tx, "CreateSnapshot", req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeSnapshotsRequest is §5.6: every filter is an indexed lookup.
type DescribeSnapshotsRequest struct {
	RegionID string
	IDs      []string
	Filters  []store.Filter
	listPaging
}

// Bind implements rpc.Binder.
func (r *DescribeSnapshotsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("SnapshotIds")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("SnapshotIds"))
	}
	if p.Has("SnapshotIds") && r.IDs == nil {
		r.IDs = []string{}
	}
	for _, f := range []struct{ param, index string }{{"DiskId", "disk"}, {"InstanceId", "instance"}, {"SnapshotName", "name"}, {"ResourceGroupId", "resourceGroup"}} {
		if v := p.String(f.param); v != "" {
			r.Filters = append(r.Filters, store.Where(f.index, v))
		}
	}
	if t := p.Enum("SnapshotType", "all", "all", cloud.SnapshotAuto, cloud.SnapshotUser, "copy"); t != "all" {
		r.Filters = append(r.Filters, store.Where("type", t))
	}
	if st := p.Enum("Status", "all", "all", cloud.SnapshotProgressing, cloud.SnapshotAccomplished, "failed"); st != "all" {
		r.Filters = append(r.Filters, store.Where("status", st))
	}
	// SourceDiskType is case-insensitive on the wire; the index holds the
	// spelling DescribeSnapshots shows (System, Data).
	if t := p.String("SourceDiskType"); t != "" {
		if !strings.EqualFold(t, cloud.DiskSystem) && !strings.EqualFold(t, cloud.DiskData) {
			p.Fail(apierr.InvalidParameter.New("SourceDiskType"))
		}
		r.Filters = append(r.Filters, store.Where("diskType", cloud.SourceDiskType(t)))
	}
	r.Filters = append(r.Filters, tagFilters(p)...)
	r.listPaging.bind(p, 10, 100, 100)
}

// SnapshotItem is one snapshot as DescribeSnapshots shows it (protocol.md
// §9): SourceDiskSize is a string, as both SDKs declare it.
type SnapshotItem struct {
	SnapshotID                 string `json:"SnapshotId"`
	SnapshotName               string `json:"SnapshotName"`
	Description                string `json:"Description"`
	SnapshotType               string `json:"SnapshotType"`
	Status                     string `json:"Status"`
	Progress                   string `json:"Progress"`
	SourceDiskID               string `json:"SourceDiskId"`
	SourceDiskSize             string `json:"SourceDiskSize"`
	SourceDiskType             string `json:"SourceDiskType"`
	SourceStorageType          string `json:"SourceStorageType"`
	Category                   string `json:"Category"`
	Usage                      string `json:"Usage"`
	ProductCode                string `json:"ProductCode"`
	RegionID                   string `json:"RegionId"`
	SourceRegionID             string `json:"SourceRegionId"`
	SourceSnapshotID           string `json:"SourceSnapshotId"`
	CreationTime               string `json:"CreationTime"`
	LastModifiedTime           string `json:"LastModifiedTime"`
	KMSKeyID                   string `json:"KMSKeyId"`
	ResourceGroupID            string `json:"ResourceGroupId"`
	SnapshotSN                 string `json:"SnapshotSN"`
	SnapshotLinkID             string `json:"SnapshotLinkId"`
	RetentionDays              int    `json:"RetentionDays"`
	RemainTime                 int    `json:"RemainTime"`
	InstantAccessRetentionDays int    `json:"InstantAccessRetentionDays"`
	FullSnapshotSizeInBytes    int64  `json:"FullSnapshotSizeInBytes"`
	Available                  bool   `json:"Available"`
	Encrypted                  bool   `json:"Encrypted"`
	InstantAccess              bool   `json:"InstantAccess"`
	Tags                       Tags   `json:"Tags"`
}

func snapshotItem(sn cloud.Snapshot, usedBy int, now time.Time) SnapshotItem {
	return SnapshotItem{
		ResourceGroupID: sn.ResourceGroup,
		SnapshotID:      sn.ID, SnapshotName: sn.Name, Description: sn.Description, SnapshotType: sn.Type,
		Status: sn.Status, Progress: sn.Progress(now), SourceDiskID: sn.SourceDiskID,
		SourceDiskSize: strconv.Itoa(sn.SourceDiskSize), SourceDiskType: sn.SourceDiskType, SourceStorageType: "disk",
		Category: sn.Category, Usage: cloud.SnapshotUsage(sn, usedBy), RegionID: sn.Region, SourceRegionID: sn.Region,
		CreationTime: cloud.FormatSecond(sn.Created), LastModifiedTime: cloud.FormatSecond(sn.Created),
		SnapshotSN: strings.TrimPrefix(sn.ID, "s-"), RetentionDays: sn.RetentionDays, RemainTime: sn.RemainTime(now),
		FullSnapshotSizeInBytes: int64(sn.SourceDiskSize) << 30, Available: sn.Status == cloud.SnapshotAccomplished,
		Tags: tagsOf(sn.Tags),
	}
}

// DescribeSnapshotsResponse wraps Snapshots.Snapshot[].
type DescribeSnapshotsResponse struct {
	rpc.Base
	TotalCount int    `json:"TotalCount"`
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	NextToken  string `json:"NextToken"`
	Snapshots  struct {
		Snapshot []SnapshotItem `json:"Snapshot"`
	} `json:"Snapshots"`
}

// DescribeSnapshots lists snapshots; a manual snapshot keeps naming its
// source disk after that disk is gone (§3.6).
func (s *Service) DescribeSnapshots(ctx context.Context, call *rpc.Call, req *DescribeSnapshotsRequest) (*DescribeSnapshotsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q, size := req.listPaging.query(store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters})
	resp := &DescribeSnapshotsResponse{PageNumber: req.PageNumber, PageSize: size}
	resp.Snapshots.Snapshot = []SnapshotItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.Snapshot](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount, resp.NextToken = page.Total, req.listPaging.next(page)
		for _, sn := range list {
			// Usage costs one indexed count per snapshot of the page.
			used, err := store.Count[cloud.Disk](ctx, tx, "", store.Where("snapshot", sn.ID))
			if err != nil {
				return err
			}
			resp.Snapshots.Snapshot = append(resp.Snapshots.Snapshot, snapshotItem(sn, used, tx.Now()))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteSnapshotRequest is §5.6.
type DeleteSnapshotRequest struct {
	SnapshotID string
	Force      bool
}

// Bind implements rpc.Binder.
func (r *DeleteSnapshotRequest) Bind(p *rpc.Params) {
	r.SnapshotID = p.Required("SnapshotId")
	r.Force = p.Bool("Force", false)
}

// DeleteSnapshotResponse is {RequestId}.
type DeleteSnapshotResponse struct{ rpc.Base }

// DeleteSnapshot deletes a snapshot; one that disks were created from needs
// Force, and those disks keep naming it as SourceSnapshotId.
func (s *Service) DeleteSnapshot(ctx context.Context, call *rpc.Call, req *DeleteSnapshotRequest) (*DeleteSnapshotResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		sn, err := store.Get[cloud.Snapshot](ctx, tx, req.SnapshotID)
		if err != nil {
			return notFound(err, apierr.InvalidSnapshotIDNotFound)
		}
		used, err := store.Count[cloud.Disk](ctx, tx, "", store.Where("snapshot", sn.ID))
		if err != nil {
			return err
		}
		if err := cloud.CheckDeleteSnapshot(sn, used, req.Force); err != nil {
			return err
		}
		return store.Delete[cloud.Snapshot](ctx, tx, sn.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteSnapshotResponse{}, nil
}
