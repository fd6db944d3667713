package ecs

import (
	"context"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

func (s *Service) registerDisks(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateDisk", s.CreateDisk)
	rpc.Handle(t, v, "AttachDisk", s.AttachDisk)
	rpc.Handle(t, v, "DetachDisk", s.DetachDisk)
	rpc.Handle(t, v, "DescribeDisks", s.DescribeDisks)
	rpc.Handle(t, v, "ModifyDiskAttribute", s.ModifyDiskAttribute)
	rpc.Handle(t, v, "ModifyDiskChargeType", s.ModifyDiskChargeType)
	rpc.Handle(t, v, "ResizeDisk", s.ResizeDisk)
	rpc.Handle(t, v, "DeleteDisk", s.DeleteDisk)
	s.registerSnapshots(t)
	s.registerAutoSnapshotPolicies(t)
}

// loadDisk reads a disk by id; region "" means any, as the single-disk
// actions take no RegionId.
func loadDisk(ctx context.Context, tx store.Tx, region, id string) (cloud.Disk, error) {
	if strings.TrimSpace(id) == "" {
		return cloud.Disk{}, apierr.InvalidDiskIDNotFound.New()
	}
	d, err := store.GetIn[cloud.Disk](ctx, tx, region, id)
	return d, notFound(err, apierr.InvalidDiskIDNotFound)
}

// snapshotsOf lists every snapshot whose source is the disk, through the
// "disk" index.
func snapshotsOf(ctx context.Context, tx store.Tx, diskID string) ([]cloud.Snapshot, error) {
	return store.All[cloud.Snapshot](ctx, tx, "", store.Where("disk", diskID))
}

// attachedTo lists the disks attached to an instance, through the
// "instance" index.
func attachedTo(ctx context.Context, tx store.Tx, instanceID string) ([]cloud.Disk, error) {
	return store.All[cloud.Disk](ctx, tx, "", store.Where("instance", instanceID))
}

// cloudTags converts request tags to stored ones, as every product does.
func cloudTags(tags []rpc.Tag) []cloud.Tag { return tagging.Cloud(tags) }

// listPaging is the two paging styles every Describe action offers:
// PageNumber/PageSize, or MaxResults/NextToken once either is present.
type listPaging struct {
	PageNumber, PageSize int
	Keyset               bool
	MaxResults           int
	AfterSeq             int64
}

func (l *listPaging) bind(p *rpc.Params, defSize, maxSize, maxResults int) {
	l.PageNumber, l.PageSize = paging(p, defSize, maxSize)
	if p.Has("MaxResults") || p.String("NextToken") != "" {
		l.Keyset = true
		l.MaxResults = p.Int("MaxResults", defSize, 1, maxResults)
		l.AfterSeq = nextToken(p)
	}
}

// query sets the page of q; size is what the answer reports as PageSize.
func (l listPaging) query(q store.Query) (store.Query, int) {
	q.Count = true
	if l.Keyset {
		q.AfterSeq, q.Limit = l.AfterSeq, l.MaxResults
		return q, l.MaxResults
	}
	q.Offset, q.Limit = (l.PageNumber-1)*l.PageSize, l.PageSize
	return q, l.PageSize
}

// next is the NextToken of a keyset page, "" on the last one.
func (l listPaging) next(page store.Page) string {
	if l.Keyset && page.More && len(page.Records) > 0 {
		return encodeNextToken(page.Records[len(page.Records)-1].Seq)
	}
	return ""
}

// CreateDiskRequest is spec/semantics.md §5.5.
type CreateDiskRequest struct {
	RegionID, ZoneID, InstanceID  string
	Category, PerformanceLevel    string
	SnapshotID, Name, Description string
	Size                          *int
	Encrypted, DryRun             bool
	Tags                          []rpc.Tag
	ClientToken, fingerprint      string
}

// Bind implements rpc.Binder: ZoneId is needed unless InstanceId names the
// zone, Size unless SnapshotId gives one.
func (r *CreateDiskRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = p.String("ZoneId")
	r.InstanceID = p.String("InstanceId")
	if r.ZoneID == "" && r.InstanceID == "" {
		p.Fail(apierr.MissingParameter.New("ZoneId"))
	}
	r.Size = p.OptInt("Size", 1, 65536)
	r.SnapshotID = p.String("SnapshotId")
	if r.Size == nil && r.SnapshotID == "" {
		p.Fail(apierr.MissingParameter.New("Size"))
	}
	r.Category = p.String("DiskCategory")
	if r.Category == "" {
		r.Category = "cloud"
	}
	r.PerformanceLevel = p.String("PerformanceLevel")
	r.Name = p.String("DiskName")
	r.Description = p.String("Description")
	r.Encrypted = p.Bool("Encrypted", false)
	r.Tags = p.Tags("Tag")
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateDiskResponse carries the DiskId.
type CreateDiskResponse struct {
	rpc.Base
	DiskID  string `json:"DiskId"`
	OrderID string `json:"OrderId"`
}

// CreateDisk creates a data disk, empty or from a snapshot: Creating →
// Available, or → In_use when InstanceId attaches it at once.
func (s *Service) CreateDisk(ctx context.Context, call *rpc.Call, req *CreateDiskRequest) (*CreateDiskResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateDiskResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, "CreateDisk", req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		var inst *cloud.Instance
		zoneID := req.ZoneID
		if req.InstanceID != "" {
			i, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.InvalidInstanceIDNotFound)
			}
			if zoneID != "" && zoneID != i.Zone {
				return apierr.ResourcesNotInSameZone.New()
			}
			inst, zoneID = &i, i.Zone
		}
		zone, ok := s.catalog.Zone(zoneID)
		if !ok || zone.RegionID != req.RegionID {
			return apierr.InvalidZoneID.New()
		}
		// "cloud" (basic) is the API's default category, offered everywhere
		// for compatibility even where DescribeZones no longer lists it.
		if req.Category != cloud.DiskCategoryBasic && !contains(zone.DiskCategories, req.Category) {
			return apierr.InvalidDiskCategory.New()
		}
		size := req.Size
		if req.SnapshotID != "" {
			snap, err := store.GetIn[cloud.Snapshot](ctx, tx, req.RegionID, req.SnapshotID)
			if err != nil {
				return notFound(err, apierr.InvalidSnapshotIDNotFound)
			}
			if snap.Status != cloud.SnapshotAccomplished {
				return apierr.SnapshotNotReady.New()
			}
			if size == nil {
				size = &snap.SourceDiskSize
			}
			if *size < snap.SourceDiskSize {
				return apierr.InvalidDiskSize.New()
			}
		}
		if r := cloud.DataDiskSizeRange(req.Category, req.PerformanceLevel); !r.Contains(*size) {
			return apierr.InvalidDiskSize.New().WithDetail("Size %d is outside %d-%d GiB for %s", *size, r.Min, r.Max, cloud.DiskKindName(req.Category, req.PerformanceLevel))
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		d := cloud.NewDisk(cloud.NewDiskSpec{
			ID: s.ids.ID("d", req.RegionID), Region: req.RegionID, Zone: zoneID, Name: req.Name,
			Description: req.Description, Category: req.Category, PerformanceLevel: req.PerformanceLevel,
			Size: *size, SnapshotID: req.SnapshotID, Encrypted: req.Encrypted, Tags: cloudTags(req.Tags),
			DeleteAutoSnapshot: cfg.CreateDiskDeleteAutoSnapshot,
		}, tx.Now(), cfg.Delays)
		dd, err := diskDefaults(ctx, tx, req.RegionID)
		if err != nil {
			return err
		}
		d = encryptByDefault(dd, d)
		if inst != nil {
			attached, err := attachedTo(ctx, tx, inst.ID)
			if err != nil {
				return err
			}
			dev, err := cloud.PickDevice(attached, "")
			if err != nil {
				return err
			}
			if d, err = cloud.CreateAttached(d, *inst, dev); err != nil {
				return err
			}
		}
		if req.DryRun {
			return dryRun()
		}
		resp.DiskID = d.ID
		if d.ChargeType == cloud.PrePaid {
			resp.OrderID = s.ids.Digits(15)
		}
		if err := store.Put(ctx, tx, d); err != nil {
			return err
		}
		return store.Remember(ctx, tx, "CreateDisk", req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// AttachDiskRequest is §5.5: DeleteWithInstance defaults to false (§3.6).
type AttachDiskRequest struct {
	InstanceID, DiskID, Device string
	DeleteWithInstance         bool
}

// Bind implements rpc.Binder.
func (r *AttachDiskRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.DiskID = p.Required("DiskId")
	r.Device = p.String("Device")
	r.DeleteWithInstance = p.Bool("DeleteWithInstance", false)
	p.Bool("Bootable", false)
	p.Bool("Force", false)
}

// AttachDiskResponse is {RequestId}.
type AttachDiskResponse struct{ rpc.Base }

// AttachDisk attaches an Available disk of the instance's zone: Attaching →
// In_use after the disk delay, on the next free /dev/xvdX.
func (s *Service) AttachDisk(ctx context.Context, call *rpc.Call, req *AttachDiskRequest) (*AttachDiskResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := loadDisk(ctx, tx, "", req.DiskID)
		if err != nil {
			return err
		}
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		next, err := cloud.Attach(d, inst, "", req.DeleteWithInstance, tx.Now(), cfg.Delays)
		if err != nil {
			return err
		}
		attached, err := attachedTo(ctx, tx, inst.ID)
		if err != nil {
			return err
		}
		if next.Device, err = cloud.PickDevice(attached, req.Device); err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &AttachDiskResponse{}, nil
}

// DetachDiskRequest is §5.5. DeleteWithInstance only concerns system
// disks, which the emulator does not detach; it is read and ignored.
type DetachDiskRequest struct {
	InstanceID, DiskID string
}

// Bind implements rpc.Binder.
func (r *DetachDiskRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.DiskID = p.Required("DiskId")
	p.Bool("DeleteWithInstance", false)
}

// DetachDiskResponse is {RequestId}.
type DetachDiskResponse struct{ rpc.Base }

// DetachDisk detaches a pay-as-you-go data disk: Detaching → Available.
func (s *Service) DetachDisk(ctx context.Context, call *rpc.Call, req *DetachDiskRequest) (*DetachDiskResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := loadDisk(ctx, tx, "", req.DiskID)
		if err != nil {
			return err
		}
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		next, err := cloud.Detach(d, inst, tx.Now(), cfg.Delays)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &DetachDiskResponse{}, nil
}

// DescribeDisksRequest is §5.5: every filter is an indexed lookup.
type DescribeDisksRequest struct {
	RegionID string
	IDs      []string
	Filters  []store.Filter
	listPaging
}

// diskFilterParams maps DescribeDisks string parameters to disk indexes.
var diskFilterParams = []struct{ param, index string }{
	{"InstanceId", "instance"}, {"ZoneId", "zone"}, {"SnapshotId", "snapshot"},
	{"AutoSnapshotPolicyId", "policy"}, {"DiskChargeType", "chargeType"}, {"DiskName", "name"},
	// Disks carry no OperationLocks of their own, so a LockReason filter
	// matches none; it still goes through the index.
	{"LockReason", "lock"},
	{"ResourceGroupId", "resourceGroup"},
}

// diskBoolParams maps DescribeDisks boolean filters to disk indexes.
var diskBoolParams = []struct{ param, index string }{
	{"DeleteWithInstance", "dwi"}, {"DeleteAutoSnapshot", "das"}, {"EnableAutoSnapshot", "eas"},
	{"Portable", "portable"}, {"Encrypted", "encrypted"},
}

// Bind implements rpc.Binder.
func (r *DescribeDisksRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("DiskIds")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("DiskIds"))
	}
	if p.Has("DiskIds") && r.IDs == nil {
		r.IDs = []string{}
	}
	if t := p.Enum("DiskType", "all", "all", cloud.DiskSystem, cloud.DiskData); t != "all" {
		r.Filters = append(r.Filters, store.Where("type", t))
	}
	if c := p.String("Category"); c != "" && c != "all" {
		r.Filters = append(r.Filters, store.Where("category", c))
	}
	st := p.Enum("Status", "All", "All", cloud.DiskInUse, cloud.DiskAvailable, cloud.DiskAttaching, cloud.DiskDetaching, cloud.DiskCreating, "ReIniting")
	if st != "All" {
		r.Filters = append(r.Filters, store.Where("status", st))
	}
	for _, f := range diskFilterParams {
		if v := p.String(f.param); v != "" {
			r.Filters = append(r.Filters, store.Where(f.index, v))
		}
	}
	for _, f := range diskBoolParams {
		if b := p.OptBool(f.param); b != nil {
			r.Filters = append(r.Filters, store.WhereFlag(f.index, *b))
		}
	}
	r.Filters = append(r.Filters, tagFilters(p)...)
	r.listPaging.bind(p, 10, 100, 500)
}

// DiskLock is one disk OperationLocks entry: the element is OperationLock,
// not LockReason as on instances (protocol.md §9).
type DiskLock struct {
	LockReason string `json:"LockReason"`
}

// DiskAttachment is one MountInstances / Attachments entry.
type DiskAttachment struct {
	InstanceID   string `json:"InstanceId"`
	Device       string `json:"Device"`
	AttachedTime string `json:"AttachedTime"`
}

// DiskItem is one disk as DescribeDisks shows it (protocol.md §9); names
// and types match both SDKs' response structs.
type DiskItem struct {
	DiskID                        string `json:"DiskId"`
	DiskName                      string `json:"DiskName"`
	Description                   string `json:"Description"`
	Type                          string `json:"Type"`
	Category                      string `json:"Category"`
	Size                          int    `json:"Size"`
	Status                        string `json:"Status"`
	InstanceID                    string `json:"InstanceId"`
	Device                        string `json:"Device"`
	ImageID                       string `json:"ImageId"`
	SourceSnapshotID              string `json:"SourceSnapshotId"`
	SourceDiskID                  string `json:"SourceDiskId"`
	AutoSnapshotPolicyID          string `json:"AutoSnapshotPolicyId"`
	RegionID                      string `json:"RegionId"`
	ZoneID                        string `json:"ZoneId"`
	CreationTime                  string `json:"CreationTime"`
	AttachedTime                  string `json:"AttachedTime"`
	DetachedTime                  string `json:"DetachedTime"`
	ExpiredTime                   string `json:"ExpiredTime"`
	DiskChargeType                string `json:"DiskChargeType"`
	PerformanceLevel              string `json:"PerformanceLevel"`
	KMSKeyID                      string `json:"KMSKeyId"`
	ResourceGroupID               string `json:"ResourceGroupId"`
	SerialNumber                  string `json:"SerialNumber"`
	StorageSetID                  string `json:"StorageSetId"`
	StorageClusterID              string `json:"StorageClusterId"`
	ProductCode                   string `json:"ProductCode"`
	MultiAttach                   string `json:"MultiAttach"`
	BdfID                         string `json:"BdfId"`
	IOPS                          int    `json:"IOPS"`
	IOPSRead                      int    `json:"IOPSRead"`
	IOPSWrite                     int    `json:"IOPSWrite"`
	Throughput                    int    `json:"Throughput"`
	ThroughputRead                int    `json:"ThroughputRead"`
	ThroughputWrite               int    `json:"ThroughputWrite"`
	MountInstanceNum              int    `json:"MountInstanceNum"`
	StorageSetPartitionNumber     int    `json:"StorageSetPartitionNumber"`
	ProvisionedIops               int64  `json:"ProvisionedIops"`
	Portable                      bool   `json:"Portable"`
	Encrypted                     bool   `json:"Encrypted"`
	DeleteWithInstance            bool   `json:"DeleteWithInstance"`
	DeleteAutoSnapshot            bool   `json:"DeleteAutoSnapshot"`
	EnableAutoSnapshot            bool   `json:"EnableAutoSnapshot"`
	EnableAutomatedSnapshotPolicy bool   `json:"EnableAutomatedSnapshotPolicy"`
	BurstingEnabled               bool   `json:"BurstingEnabled"`
	OperationLocks                struct {
		OperationLock []DiskLock `json:"OperationLock"`
	} `json:"OperationLocks"`
	Tags           Tags `json:"Tags"`
	MountInstances struct {
		MountInstance []DiskAttachment `json:"MountInstance"`
	} `json:"MountInstances"`
	Attachments struct {
		Attachment []DiskAttachment `json:"Attachment"`
	} `json:"Attachments"`
	Placement struct {
		ZoneIDs string `json:"ZoneIds"`
	} `json:"Placement"`
}

// diskIOPS is a plausible IOPS figure for a category and size, as the
// real service computes one per disk.
func diskIOPS(category string, size int) int {
	switch category {
	case cloud.DiskCategoryBasic:
		return 300
	case cloud.DiskCategoryEfficiency:
		return min(1800+8*size, 5000)
	case cloud.DiskCategorySSD:
		return min(1800+30*size, 25000)
	}
	return min(1800+50*size, 50000)
}

func diskItem(d cloud.Disk) DiskItem {
	it := DiskItem{
		ResourceGroupID: d.ResourceGroup,
		DiskID:          d.ID, DiskName: d.Name, Description: d.Description, Type: d.Type, Category: d.Category,
		Size: d.Size, Status: d.Status, InstanceID: d.InstanceID, Device: d.Device, ImageID: d.ImageID,
		SourceSnapshotID: d.SourceSnapshotID, AutoSnapshotPolicyID: d.AutoSnapshotPolicy, RegionID: d.Region,
		ZoneID: d.Zone, CreationTime: cloud.FormatSecond(d.Created), AttachedTime: cloud.FormatSecond(d.Attached),
		DetachedTime: cloud.FormatSecond(d.Detached), ExpiredTime: cloud.FormatMinute(d.ExpiredTime()),
		DiskChargeType: d.ChargeType, PerformanceLevel: d.PerformanceLevel, SerialNumber: strings.TrimPrefix(d.ID, "d-"),
		MultiAttach: "Disabled", IOPS: diskIOPS(d.Category, d.Size), Portable: d.Portable, Encrypted: d.Encrypted, KMSKeyID: d.KMSKeyID,
		DeleteWithInstance: d.DeleteWithInstance, DeleteAutoSnapshot: d.DeleteAutoSnapshot,
		EnableAutoSnapshot:            d.EnableAutoSnapshot,
		EnableAutomatedSnapshotPolicy: d.AutoSnapshotPolicy != "" && d.EnableAutoSnapshot,
	}
	it.OperationLocks.OperationLock = []DiskLock{}
	it.Tags = tagsOf(d.Tags)
	it.MountInstances.MountInstance = []DiskAttachment{}
	it.Attachments.Attachment = []DiskAttachment{}
	if d.InstanceID != "" {
		a := DiskAttachment{InstanceID: d.InstanceID, Device: d.Device, AttachedTime: cloud.FormatSecond(d.Attached)}
		it.MountInstances.MountInstance = append(it.MountInstances.MountInstance, a)
		it.Attachments.Attachment = append(it.Attachments.Attachment, a)
		it.MountInstanceNum = 1
	}
	return it
}

// DescribeDisksResponse wraps Disks.Disk[].
type DescribeDisksResponse struct {
	rpc.Base
	TotalCount int    `json:"TotalCount"`
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	NextToken  string `json:"NextToken"`
	Disks      struct {
		Disk []DiskItem `json:"Disk"`
	} `json:"Disks"`
}

// DescribeDisks lists disks; unknown ids and the disks released with their
// instances are simply absent.
func (s *Service) DescribeDisks(ctx context.Context, call *rpc.Call, req *DescribeDisksRequest) (*DescribeDisksResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q, size := req.listPaging.query(store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters})
	resp := &DescribeDisksResponse{PageNumber: req.PageNumber, PageSize: size}
	resp.Disks.Disk = []DiskItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.Disk](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount, resp.NextToken = page.Total, req.listPaging.next(page)
		for _, d := range list {
			resp.Disks.Disk = append(resp.Disks.Disk, diskItem(d))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyDiskAttributeRequest is §5.5: one DiskId, or DiskIds.N with
// RegionId; omitted attributes stay unchanged.
type ModifyDiskAttributeRequest struct {
	RegionID string
	IDs      []string
	Change   cloud.DiskChange
}

// Bind implements rpc.Binder.
func (r *ModifyDiskAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.String("RegionId")
	if id := p.String("DiskId"); id != "" {
		r.IDs = append(r.IDs, id)
	}
	r.IDs = append(r.IDs, p.List("DiskIds")...)
	if len(r.IDs) == 0 {
		p.Fail(apierr.MissingParameter.New("DiskId"))
	}
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("DiskIds"))
	}
	r.Change = cloud.DiskChange{
		Name: optString(p, "DiskName"), Description: optString(p, "Description"),
		DeleteWithInstance: p.OptBool("DeleteWithInstance"), DeleteAutoSnapshot: p.OptBool("DeleteAutoSnapshot"),
		EnableAutoSnapshot: p.OptBool("EnableAutoSnapshot"),
	}
}

// ModifyDiskAttributeResponse is {RequestId}.
type ModifyDiskAttributeResponse struct{ rpc.Base }

// ModifyDiskAttribute changes disk attributes, all disks or none.
func (s *Service) ModifyDiskAttribute(ctx context.Context, call *rpc.Call, req *ModifyDiskAttributeRequest) (*ModifyDiskAttributeResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		next := make([]cloud.Disk, 0, len(req.IDs))
		for _, id := range req.IDs {
			d, err := loadDisk(ctx, tx, req.RegionID, id)
			if err != nil {
				return err
			}
			changed, err := cloud.Modify(d, req.Change)
			if err != nil {
				return err
			}
			next = append(next, changed)
		}
		for _, d := range next {
			if err := store.Put(ctx, tx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ModifyDiskAttributeResponse{}, nil
}

// ModifyDiskChargeTypeRequest converts disks attached to an instance: a
// subscription data disk must become pay-as-you-go before it may be
// detached and kept.
type ModifyDiskChargeTypeRequest struct {
	RegionID, InstanceID, ChargeType string
	IDs                              []string
	ClientToken, fingerprint         string
}

// Bind implements rpc.Binder.
func (r *ModifyDiskChargeTypeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.IDs = p.JSONList("DiskIds")
	if len(r.IDs) == 0 {
		p.Fail(apierr.MissingParameter.New("DiskIds"))
	}
	if len(r.IDs) > 16 {
		p.Fail(apierr.InvalidParameter.New("DiskIds"))
	}
	r.ChargeType = p.Enum("DiskChargeType", cloud.PostPaid, cloud.PostPaid, cloud.PrePaid)
	p.Bool("AutoPay", true)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// ModifyDiskChargeTypeResponse carries the OrderId.
type ModifyDiskChargeTypeResponse struct {
	rpc.Base
	OrderID string `json:"OrderId"`
}

// ModifyDiskChargeType switches disks attached to an instance between
// subscription and pay-as-you-go, all or none.
func (s *Service) ModifyDiskChargeType(ctx context.Context, call *rpc.Call, req *ModifyDiskChargeTypeRequest) (*ModifyDiskChargeTypeResponse, error) {
	resp := &ModifyDiskChargeTypeResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, "ModifyDiskChargeType", req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return notFound(err, apierr.InvalidInstanceIDNotFound)
		}
		var next []cloud.Disk
		for _, id := range req.IDs {
			d, err := loadDisk(ctx, tx, req.RegionID, id)
			if err != nil {
				return err
			}
			changed, err := cloud.ChangeDiskChargeType(d, inst, req.ChargeType)
			if err != nil {
				return err
			}
			next = append(next, changed)
		}
		for _, d := range next {
			if err := store.Put(ctx, tx, d); err != nil {
				return err
			}
		}
		resp.OrderID = s.ids.Digits(15)
		return store.Remember(ctx, tx, "ModifyDiskChargeType", req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ResizeDiskRequest grows a disk.
type ResizeDiskRequest struct {
	DiskID  string
	NewSize int
}

// Bind implements rpc.Binder.
func (r *ResizeDiskRequest) Bind(p *rpc.Params) {
	r.DiskID = p.Required("DiskId")
	if !p.Has("NewSize") {
		p.Fail(apierr.MissingParameter.New("NewSize"))
	}
	r.NewSize = p.Int("NewSize", 0, 1, 1<<30) // the category decides the top
	p.Enum("Type", "offline", "offline", "online")
	p.ClientToken()
}

// ResizeDiskResponse carries an OrderId, empty for pay-as-you-go disks.
type ResizeDiskResponse struct {
	rpc.Base
	OrderID string `json:"OrderId"`
}

// ResizeDisk grows a disk; the new size shows at once.
func (s *Service) ResizeDisk(ctx context.Context, call *rpc.Call, req *ResizeDiskRequest) (*ResizeDiskResponse, error) {
	resp := &ResizeDiskResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := loadDisk(ctx, tx, "", req.DiskID)
		if err != nil {
			return err
		}
		next, err := cloud.Resize(d, req.NewSize)
		if err != nil {
			return err
		}
		if next.ChargeType == cloud.PrePaid {
			resp.OrderID = s.ids.Digits(15)
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteDiskRequest is §5.5.
type DeleteDiskRequest struct{ DiskID string }

// Bind implements rpc.Binder.
func (r *DeleteDiskRequest) Bind(p *rpc.Params) { r.DiskID = p.Required("DiskId") }

// DeleteDiskResponse is {RequestId}.
type DeleteDiskResponse struct{ rpc.Base }

// DeleteDisk releases an Available disk; its automatic snapshots go with it
// when DeleteAutoSnapshot is true, its manual ones stay (S25).
func (s *Service) DeleteDisk(ctx context.Context, call *rpc.Call, req *DeleteDiskRequest) (*DeleteDiskResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		d, err := loadDisk(ctx, tx, "", req.DiskID)
		if err != nil {
			return err
		}
		snaps, err := snapshotsOf(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		if err := cloud.CheckDeleteDisk(d, snaps); err != nil {
			return err
		}
		for _, id := range cloud.SnapshotsGoingWith(d, snaps) {
			if err := store.Delete[cloud.Snapshot](ctx, tx, id); err != nil {
				return err
			}
		}
		return store.Delete[cloud.Disk](ctx, tx, d.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteDiskResponse{}, nil
}
