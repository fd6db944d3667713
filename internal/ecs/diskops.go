package ecs

import (
	"context"
	"errors"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerDiskOps(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "ResetDisk", s.ResetDisk)
	rpc.Handle(t, v, "ResetDisks", s.ResetDisks)
	rpc.Handle(t, v, "ReInitDisk", s.ReInitDisk)
	rpc.Handle(t, v, "ReplaceSystemDisk", s.ReplaceSystemDisk)
	rpc.Handle(t, v, "ModifyDiskSpec", s.ModifyDiskSpec)
	rpc.Handle(t, v, "DescribeDisksFullStatus", s.DescribeDisksFullStatus)
	rpc.Handle(t, v, "EnableDiskEncryptionByDefault", s.EnableDiskEncryptionByDefault)
	rpc.Handle(t, v, "DisableDiskEncryptionByDefault", s.DisableDiskEncryptionByDefault)
	rpc.Handle(t, v, "DescribeDiskEncryptionByDefaultStatus", s.DescribeDiskEncryptionByDefaultStatus)
	rpc.Handle(t, v, "DescribeDiskDefaultKMSKeyId", s.DescribeDiskDefaultKMSKeyId)
	rpc.Handle(t, v, "ModifyDiskDefaultKMSKeyId", s.ModifyDiskDefaultKMSKeyId)
	rpc.Handle(t, v, "ResetDiskDefaultKMSKeyId", s.ResetDiskDefaultKMSKeyId)
}

// diskInstance reads the instance a disk is attached to, nil when detached.
func diskInstance(ctx context.Context, tx store.Tx, d cloud.Disk) (*cloud.Instance, error) {
	if d.InstanceID == "" {
		return nil, nil
	}
	inst, err := loadInstance(ctx, tx, d.InstanceID)
	if err != nil {
		return nil, err
	}
	return &inst, nil
}

// resetOne rolls one disk back to one of its snapshots, in tx.
func resetOne(ctx context.Context, tx store.Tx, region, diskID, snapshotID string) (cloud.Disk, error) {
	d, err := loadDisk(ctx, tx, region, diskID)
	if err != nil {
		return d, err
	}
	sn, err := store.GetIn[cloud.Snapshot](ctx, tx, region, snapshotID)
	if err != nil {
		return d, notFound(err, apierr.InvalidSnapshotIDNotFound)
	}
	inst, err := diskInstance(ctx, tx, d)
	if err != nil {
		return d, err
	}
	return cloud.ResetDisk(d, inst, sn, tx.Now())
}

// ResetDiskRequest is DiskId, SnapshotId, DryRun.
type ResetDiskRequest struct {
	DiskID, SnapshotID string
	DryRun             bool
}

// Bind implements rpc.Binder.
func (r *ResetDiskRequest) Bind(p *rpc.Params) {
	r.DiskID = p.Required("DiskId")
	r.SnapshotID = p.Required("SnapshotId")
	r.DryRun = p.Bool("DryRun", false)
}

// ResetDiskResponse is RequestId only.
type ResetDiskResponse struct{ rpc.Base }

// ResetDisk rolls a disk back to one of its own snapshots.
func (s *Service) ResetDisk(ctx context.Context, call *rpc.Call, req *ResetDiskRequest) (*ResetDiskResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := resetOne(ctx, tx, "", req.DiskID, req.SnapshotID)
		if err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		return store.Put(ctx, tx, d)
	})
	if err != nil {
		return nil, err
	}
	return &ResetDiskResponse{}, nil
}

// ResetDisksRequest rolls several disks back, each to its snapshot.
type ResetDisksRequest struct {
	RegionID string
	Disks    [][2]string // disk id, snapshot id
	DryRun   bool
}

// Bind implements rpc.Binder.
func (r *ResetDisksRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	for _, o := range p.Objects("Disk") {
		r.Disks = append(r.Disks, [2]string{o.Required("DiskId"), o.Required("SnapshotId")})
	}
	if len(r.Disks) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("Disk.1.DiskId"))
	}
	if len(r.Disks) > 10 {
		p.Fail(apierr.InvalidParameter.New("Disk"))
	}
	r.DryRun = p.Bool("DryRun", false)
}

// ResetDisksRelatedItem names a disk and its snapshot in a progress item.
type ResetDisksRelatedItem struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// ResetDisksProgress is one disk's outcome.
type ResetDisksProgress struct {
	OperationStatus string `json:"OperationStatus"`
	ErrorCode       string `json:"ErrorCode,omitempty"`
	ErrorMsg        string `json:"ErrorMsg,omitempty"`
	RelatedItemSet  struct {
		RelatedItem []ResetDisksRelatedItem `json:"RelatedItem"`
	} `json:"RelatedItemSet"`
}

// ResetDisksResponse wraps OperationProgressSet.OperationProgress[].
type ResetDisksResponse struct {
	rpc.Base
	OperationProgressSet struct {
		OperationProgress []ResetDisksProgress `json:"OperationProgress"`
	} `json:"OperationProgressSet"`
}

// ResetDisks rolls back every disk or none: the first refusal is the
// answer and nothing changes [choice: the cloud reports per disk; an
// all-or-nothing batch keeps a failed call from leaving half the disks
// rolled back].
func (s *Service) ResetDisks(ctx context.Context, call *rpc.Call, req *ResetDisksRequest) (*ResetDisksResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ResetDisksResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		var out []cloud.Disk
		for _, pair := range req.Disks {
			d, err := resetOne(ctx, tx, req.RegionID, pair[0], pair[1])
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		if req.DryRun {
			return dryRun()
		}
		for k, d := range out {
			if err := store.Put(ctx, tx, d); err != nil {
				return err
			}
			item := ResetDisksProgress{OperationStatus: "Success"}
			item.RelatedItemSet.RelatedItem = []ResetDisksRelatedItem{{Name: "DiskId", Value: d.ID}, {Name: "SnapshotId", Value: req.Disks[k][1]}}
			resp.OperationProgressSet.OperationProgress = append(resp.OperationProgressSet.OperationProgress, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ReInitDiskRequest names the disk; a system disk takes a new login.
type ReInitDiskRequest struct {
	DiskID, KeyPairName string
	AutoStart           bool
}

// Bind implements rpc.Binder.
func (r *ReInitDiskRequest) Bind(p *rpc.Params) {
	r.DiskID = p.Required("DiskId")
	r.KeyPairName = p.String("KeyPairName")
	p.String("Password")
	p.Enum("SecurityEnhancementStrategy", "", "Active", "Deactive")
	r.AutoStart = p.Bool("AutoStartInstance", false)
}

// ReInitDiskResponse is RequestId only.
type ReInitDiskResponse struct{ rpc.Base }

// ReInitDisk rewrites an attached disk of a Stopped instance to its initial
// state; AutoStartInstance starts the instance afterwards.
func (s *Service) ReInitDisk(ctx context.Context, call *rpc.Call, req *ReInitDiskRequest) (*ReInitDiskResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := loadDisk(ctx, tx, "", req.DiskID)
		if err != nil {
			return err
		}
		if d.InstanceID == "" {
			return apierr.IncorrectDiskStatus.New().WithDetail("disk %s is not attached", d.ID)
		}
		inst, err := loadInstance(ctx, tx, d.InstanceID)
		if err != nil {
			return err
		}
		if d, err = cloud.ReInitDisk(d, inst, tx.Now()); err != nil {
			return err
		}
		if req.KeyPairName != "" && d.Type == cloud.DiskSystem {
			if _, err := store.GetIn[cloud.KeyPair](ctx, tx, inst.Region, req.KeyPairName); err != nil {
				return notFound(err, apierr.KeyPairNotFound)
			}
			inst.KeyPairName = req.KeyPairName
		}
		if req.AutoStart {
			cfg, err := store.LoadConfig(ctx, tx)
			if err != nil {
				return err
			}
			if inst, err = cloud.Start(inst, tx.Now(), cfg.Delays); err != nil {
				return err
			}
		}
		if err := store.Put(ctx, tx, d); err != nil {
			return err
		}
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &ReInitDiskResponse{}, nil
}

// ReplaceSystemDiskRequest is §ReplaceSystemDisk: a new system disk from
// ImageId (the instance's own image when absent).
type ReplaceSystemDiskRequest struct {
	InstanceID, ImageID, KeyPairName, KMSKeyID string
	Size                                       int
	Encrypted                                  bool
	ClientToken, fingerprint                   string
}

// Bind implements rpc.Binder.
func (r *ReplaceSystemDiskRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.ImageID = p.String("ImageId")
	p.String("DiskId")
	r.Size = p.Int("SystemDisk.Size", 0, 1, 2048)
	r.KeyPairName = p.String("KeyPairName")
	p.String("Password")
	p.Bool("PasswordInherit", false)
	p.Enum("SecurityEnhancementStrategy", "", "Active", "Deactive")
	p.Bool("UseAdditionalService", false)
	p.Enum("Platform", "", "CentOS", "Ubuntu", "SUSE", "OpenSUSE", "Debian", "CoreOS", "Windows Server 2003",
		"Windows Server 2008", "Windows Server 2012", "Windows 7", "Customized Linux", "Others Linux")
	p.Enum("Architecture", "", "i386", "x86_64")
	r.Encrypted = p.Bool("Encrypted", false)
	r.KMSKeyID = p.String("KMSKeyId")
	p.String("EncryptAlgorithm")
	for _, a := range p.Objects("Arn") {
		a.String("Rolearn")
		a.String("RoleType")
		a.Int("AssumeRoleFor", 0, 0, 1<<62)
	}
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// ReplaceSystemDiskResponse names the new system disk.
type ReplaceSystemDiskResponse struct {
	rpc.Base
	DiskID string `json:"DiskId"`
}

// ReplaceSystemDisk gives a Stopped instance a new system disk (a new id)
// from an image, and releases the old one as a release would: its
// automatic snapshots go when DeleteAutoSnapshot says so, its manual,
// image and locked snapshots stay.
func (s *Service) ReplaceSystemDisk(ctx context.Context, call *rpc.Call, req *ReplaceSystemDiskRequest) (*ReplaceSystemDiskResponse, error) {
	resp := &ReplaceSystemDiskResponse{}
	probe := launchParams{ImageID: req.ImageID}
	if err := s.readShared(ctx, call, &probe); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		disks, err := attachedTo(ctx, tx, inst.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(disks, func(d cloud.Disk) bool { return d.Type == cloud.DiskSystem })
		if i < 0 {
			return apierr.IncorrectInstanceStatus.New().WithDetail("instance %s has no system disk", inst.ID)
		}
		old := disks[i]
		imageID := req.ImageID
		if imageID == "" {
			imageID = inst.ImageID
		}
		im, ok := s.catalog.Image(imageID)
		if !ok && probe.shared.ID == imageID && imageID != "" {
			im, ok = probe.shared.AsSharedImage(), probe.shared.Status == cloud.ImageAvailable
		}
		if !ok {
			m, err := store.GetIn[cloud.CustomImage](ctx, tx, inst.Region, imageID)
			if err != nil {
				return notFound(err, apierr.InvalidImageIDNotFound)
			}
			if m.Status != cloud.ImageAvailable {
				return apierr.ImageNotAvailable.New()
			}
			im = m.AsImage()
		}
		itype, _ := s.catalog.InstanceType(inst.InstanceType)
		if req.KeyPairName != "" {
			if _, err := store.GetIn[cloud.KeyPair](ctx, tx, inst.Region, req.KeyPairName); err != nil {
				return notFound(err, apierr.KeyPairNotFound)
			}
			inst.KeyPairName = req.KeyPairName
		}
		next, nd, err := cloud.ReplaceSystem(inst, old, im, itype, req.Size, s.ids.ID("d", inst.Region), req.Encrypted, tx.Now())
		if err != nil {
			return err
		}
		if req.KMSKeyID != "" {
			nd.KMSKeyID, nd.Encrypted = req.KMSKeyID, true
		}
		if err := store.Delete[cloud.Disk](ctx, tx, old.ID); err != nil {
			return err
		}
		snaps, err := snapshotsOf(ctx, tx, old.ID)
		if err != nil {
			return err
		}
		for _, sn := range snaps {
			if cloud.SnapshotGoesWithDisk(sn, old) {
				if err := store.Delete[cloud.Snapshot](ctx, tx, sn.ID); err != nil {
					return err
				}
			}
		}
		if err := store.Put(ctx, tx, nd); err != nil {
			return err
		}
		if err := store.Put(ctx, tx, next); err != nil {
			return err
		}
		resp.DiskID = nd.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyDiskSpecRequest changes a disk's category or performance level.
type ModifyDiskSpecRequest struct {
	DiskID, Category, Level string
	DryRun                  bool
}

// Bind implements rpc.Binder.
func (r *ModifyDiskSpecRequest) Bind(p *rpc.Params) {
	r.DiskID = p.Required("DiskId")
	r.Category = p.Enum("DiskCategory", "", cloud.DiskCategoryESSD, cloud.DiskCategoryAuto, cloud.DiskCategorySSD,
		cloud.DiskCategoryEfficiency, cloud.DiskCategoryESSDEntry)
	r.Level = p.Enum("PerformanceLevel", "", "PL0", "PL1", "PL2", "PL3")
	p.String("DestinationZoneId")
	p.Object("PerformanceControlOptions")
	p.Int("ProvisionedIops", 0, 0, 1<<30)
	if r.Category == "" && r.Level == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("PerformanceLevel"))
	}
	r.DryRun = p.Bool("DryRun", false)
}

// ModifyDiskSpecResponse carries the change's task and order.
type ModifyDiskSpecResponse struct {
	rpc.Base
	TaskID  string `json:"TaskId"`
	OrderID string `json:"OrderId,omitempty"`
}

// ModifyDiskSpec changes the performance level of an ESSD, or moves a disk
// to another category, at once [choice: the cloud runs it as a task that
// completes within minutes; the emulator completes it in the call].
func (s *Service) ModifyDiskSpec(ctx context.Context, call *rpc.Call, req *ModifyDiskSpecRequest) (*ModifyDiskSpecResponse, error) {
	resp := &ModifyDiskSpecResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := loadDisk(ctx, tx, "", req.DiskID)
		if err != nil {
			return err
		}
		if inst, err := diskInstance(ctx, tx, d); err != nil {
			return err
		} else if inst != nil && inst.HasLock(cloud.LockSecurity) {
			return apierr.InstanceLockedForSecurity.New()
		}
		if d, err = cloud.ChangeDiskSpec(d, req.Category, req.Level); err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		// The change completes in the call: its task is Finished at once.
		task := cloud.Task{ID: s.ids.ID("tsk", d.Region), Region: d.Region, Action: "ModifyDiskSpec", ResourceID: d.ID,
			Status: cloud.TaskFinished, Created: tx.Now(), Finished: tx.Now()}
		if err := store.Put(ctx, tx, task); err != nil {
			return err
		}
		resp.TaskID = task.ID
		return store.Put(ctx, tx, d)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeDisksFullStatusRequest filters disks by id, status, health.
type DescribeDisksFullStatusRequest struct {
	RegionID, Status, Health string
	DiskIDs, EventIDs        []string
	EventType                string
	PageNumber, PageSize     int
}

// Bind implements rpc.Binder.
func (r *DescribeDisksFullStatusRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.DiskIDs = p.List("DiskId")
	if len(r.DiskIDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("DiskId"))
	}
	r.EventIDs = p.List("EventId")
	r.Status = p.Enum("Status", "", "In_use", "Available", "Attaching", "Detaching", "Creating", "ReIniting")
	r.Health = p.Enum("HealthStatus", "", "Impaired", "Warning", "Initializing", "InsufficientData", "NotApplicable", "Ok")
	r.EventType = p.String("EventType")
	p.String("EventTime.Start")
	p.String("EventTime.End")
	p.String("ResourceGroupId")
	p.Tags("Tag")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// DiskCode is a numbered status.
type DiskCode struct {
	Code int    `json:"Code"`
	Name string `json:"Name"`
}

// DiskFullStatus is one disk's status and health.
type DiskFullStatus struct {
	DiskID       string   `json:"DiskId"`
	InstanceID   string   `json:"InstanceId"`
	Device       string   `json:"Device"`
	Status       DiskCode `json:"Status"`
	HealthStatus DiskCode `json:"HealthStatus"`
	DiskEventSet struct {
		DiskEventType []struct{} `json:"DiskEventType"`
	} `json:"DiskEventSet"`
}

// DescribeDisksFullStatusResponse wraps DiskFullStatusSet.DiskFullStatusType[].
type DescribeDisksFullStatusResponse struct {
	rpc.Base
	TotalCount        int `json:"TotalCount"`
	PageNumber        int `json:"PageNumber"`
	PageSize          int `json:"PageSize"`
	DiskFullStatusSet struct {
		DiskFullStatusType []DiskFullStatus `json:"DiskFullStatusType"`
	} `json:"DiskFullStatusSet"`
}

// diskStatusCodes number the disk statuses [choice: the reference lists
// the names without their numbers].
var diskStatusCodes = map[string]int{cloud.DiskInUse: 129, cloud.DiskAvailable: 0, cloud.DiskAttaching: 1,
	cloud.DiskDetaching: 2, cloud.DiskCreating: 3}

// DescribeDisksFullStatus answers each disk's status and health: an
// emulated disk is always healthy ("Ok", code 0) and has no events, so an
// event filter matches no disk.
func (s *Service) DescribeDisksFullStatus(ctx context.Context, call *rpc.Call, req *DescribeDisksFullStatusRequest) (*DescribeDisksFullStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var disks []cloud.Disk
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var filters []store.Filter
		if req.Status != "" {
			filters = append(filters, store.Where("status", req.Status))
		}
		var err error
		disks, err = store.All[cloud.Disk](ctx, tx, req.RegionID, filters...)
		return err
	})
	if err != nil {
		return nil, err
	}
	var match []DiskFullStatus
	for _, d := range disks {
		if len(req.DiskIDs) > 0 && !slices.Contains(req.DiskIDs, d.ID) || len(req.EventIDs) > 0 || req.EventType != "" ||
			req.Health != "" && req.Health != "Ok" {
			continue
		}
		item := DiskFullStatus{DiskID: d.ID, InstanceID: d.InstanceID, Device: d.Device,
			Status: DiskCode{Code: diskStatusCodes[d.Status], Name: d.Status}, HealthStatus: DiskCode{Code: 0, Name: "Ok"}}
		item.DiskEventSet.DiskEventType = []struct{}{}
		match = append(match, item)
	}
	resp := &DescribeDisksFullStatusResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.DiskFullStatusSet.DiskFullStatusType = pageOf(match, req.PageNumber, req.PageSize)
	return resp, nil
}

// diskDefaults reads a region's encryption defaults (zero when never set).
func diskDefaults(ctx context.Context, tx store.Tx, region string) (cloud.DiskDefaults, error) {
	dd, err := store.Get[cloud.DiskDefaults](ctx, tx, cloud.DiskDefaultsID(region))
	if errors.Is(err, store.ErrNotFound) {
		return cloud.DiskDefaults{ID: cloud.DiskDefaultsID(region), Region: region}, nil
	}
	return dd, err
}

// encryptByDefault makes a new disk encrypted when its region says so.
func encryptByDefault(dd cloud.DiskDefaults, d cloud.Disk) cloud.Disk {
	if dd.Encrypted && !d.IsLocal() {
		d.Encrypted = true
	}
	if d.Encrypted && d.KMSKeyID == "" {
		d.KMSKeyID = dd.KMSKeyID
	}
	return d
}

// RegionOnlyRequest is the request of the region settings actions.
type RegionOnlyRequest struct{ RegionID string }

// Bind implements rpc.Binder.
func (r *RegionOnlyRequest) Bind(p *rpc.Params) { r.RegionID = p.Required("RegionId") }

// changeDiskDefaults applies fn to a region's defaults in one transaction.
func (s *Service) changeDiskDefaults(ctx context.Context, call *rpc.Call, region string, fn func(*cloud.DiskDefaults)) error {
	if err := s.checkRegion(region); err != nil {
		return err
	}
	return s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		dd, err := diskDefaults(ctx, tx, region)
		if err != nil {
			return err
		}
		fn(&dd)
		return store.Put(ctx, tx, dd)
	})
}

// readDiskDefaults reads a region's defaults.
func (s *Service) readDiskDefaults(ctx context.Context, call *rpc.Call, region string) (cloud.DiskDefaults, error) {
	if err := s.checkRegion(region); err != nil {
		return cloud.DiskDefaults{}, err
	}
	var dd cloud.DiskDefaults
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		dd, err = diskDefaults(ctx, tx, region)
		return err
	})
	return dd, err
}

// EnableDiskEncryptionByDefaultResponse is RequestId only.
type EnableDiskEncryptionByDefaultResponse struct{ rpc.Base }

// EnableDiskEncryptionByDefault makes every new cloud disk of the region
// encrypted, whatever its request says.
func (s *Service) EnableDiskEncryptionByDefault(ctx context.Context, call *rpc.Call, req *RegionOnlyRequest) (*EnableDiskEncryptionByDefaultResponse, error) {
	if err := s.changeDiskDefaults(ctx, call, req.RegionID, func(dd *cloud.DiskDefaults) { dd.Encrypted = true }); err != nil {
		return nil, err
	}
	return &EnableDiskEncryptionByDefaultResponse{}, nil
}

// DisableDiskEncryptionByDefaultResponse is RequestId only.
type DisableDiskEncryptionByDefaultResponse struct{ rpc.Base }

// DisableDiskEncryptionByDefault stops encrypting new disks by default;
// encrypted disks stay encrypted.
func (s *Service) DisableDiskEncryptionByDefault(ctx context.Context, call *rpc.Call, req *RegionOnlyRequest) (*DisableDiskEncryptionByDefaultResponse, error) {
	if err := s.changeDiskDefaults(ctx, call, req.RegionID, func(dd *cloud.DiskDefaults) { dd.Encrypted = false }); err != nil {
		return nil, err
	}
	return &DisableDiskEncryptionByDefaultResponse{}, nil
}

// DescribeDiskEncryptionByDefaultStatusResponse carries Encrypted.
type DescribeDiskEncryptionByDefaultStatusResponse struct {
	rpc.Base
	Encrypted bool `json:"Encrypted"`
}

// DescribeDiskEncryptionByDefaultStatus answers whether new disks are encrypted.
func (s *Service) DescribeDiskEncryptionByDefaultStatus(ctx context.Context, call *rpc.Call, req *RegionOnlyRequest) (*DescribeDiskEncryptionByDefaultStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeDiskEncryptionByDefaultStatusResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		n, err := store.Count[cloud.DiskDefaults](ctx, tx, req.RegionID, store.WhereFlag("encrypted", true))
		resp.Encrypted = n > 0
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeDiskDefaultKMSKeyIdResponse carries KMSKeyId.
type DescribeDiskDefaultKMSKeyIdResponse struct {
	rpc.Base
	KMSKeyID string `json:"KMSKeyId"`
}

// DescribeDiskDefaultKMSKeyId answers the key new encrypted disks use; ""
// is the region's service key.
func (s *Service) DescribeDiskDefaultKMSKeyId(ctx context.Context, call *rpc.Call, req *RegionOnlyRequest) (*DescribeDiskDefaultKMSKeyIdResponse, error) {
	dd, err := s.readDiskDefaults(ctx, call, req.RegionID)
	if err != nil {
		return nil, err
	}
	return &DescribeDiskDefaultKMSKeyIdResponse{KMSKeyID: dd.KMSKeyID}, nil
}

// ModifyDiskDefaultKMSKeyIdRequest names the key.
type ModifyDiskDefaultKMSKeyIdRequest struct{ RegionID, KMSKeyID string }

// Bind implements rpc.Binder.
func (r *ModifyDiskDefaultKMSKeyIdRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.KMSKeyID = p.Required("KMSKeyId")
}

// ModifyDiskDefaultKMSKeyIdResponse is RequestId only.
type ModifyDiskDefaultKMSKeyIdResponse struct{ rpc.Base }

// ModifyDiskDefaultKMSKeyId sets the key new encrypted disks use. ecslocal
// serves no KMS, so any key id is taken as it is [choice].
func (s *Service) ModifyDiskDefaultKMSKeyId(ctx context.Context, call *rpc.Call, req *ModifyDiskDefaultKMSKeyIdRequest) (*ModifyDiskDefaultKMSKeyIdResponse, error) {
	if err := s.changeDiskDefaults(ctx, call, req.RegionID, func(dd *cloud.DiskDefaults) { dd.KMSKeyID = req.KMSKeyID }); err != nil {
		return nil, err
	}
	return &ModifyDiskDefaultKMSKeyIdResponse{}, nil
}

// ResetDiskDefaultKMSKeyIdResponse is RequestId only.
type ResetDiskDefaultKMSKeyIdResponse struct{ rpc.Base }

// ResetDiskDefaultKMSKeyId returns to the region's service key.
func (s *Service) ResetDiskDefaultKMSKeyId(ctx context.Context, call *rpc.Call, req *RegionOnlyRequest) (*ResetDiskDefaultKMSKeyIdResponse, error) {
	if err := s.changeDiskDefaults(ctx, call, req.RegionID, func(dd *cloud.DiskDefaults) { dd.KMSKeyID = "" }); err != nil {
		return nil, err
	}
	return &ResetDiskDefaultKMSKeyIdResponse{}, nil
}
