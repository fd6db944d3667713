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

func (s *Service) registerImages(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateImage", s.CreateImage)
	rpc.Handle(t, v, "DeleteImage", s.DeleteImage)
	rpc.Handle(t, v, "ModifyImageAttribute", s.ModifyImageAttribute)
	rpc.Handle(t, v, "CopyImage", s.CopyImage)
	rpc.Handle(t, v, "DescribeImageSupportInstanceTypes", s.DescribeImageSupportInstanceTypes)
}

// CreateImageRequest makes an image from an instance or from a snapshot.
type CreateImageRequest struct {
	RegionID, Name, Description, Family, InstanceID, SnapshotID string
	Architecture, ResourceGroupID, ClientToken, fingerprint     string
	Tags                                                        []rpc.Tag
	DryRun                                                      bool
}

// Bind implements rpc.Binder.
func (r *CreateImageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("ImageName")
	if r.Name != "" && !cloud.ValidImageName(r.Name) {
		p.Fail(apierr.ImageNameMalformed.New())
	}
	r.Description = p.String("Description")
	r.Family = p.String("ImageFamily")
	r.InstanceID = p.String("InstanceId")
	r.SnapshotID = p.String("SnapshotId")
	if maps := p.Objects("DiskDeviceMapping"); r.SnapshotID == "" && len(maps) > 0 {
		// The system disk mapping names the snapshot [choice: data disk mappings are not kept].
		r.SnapshotID = maps[0].String("SnapshotId")
	}
	if r.InstanceID == "" && r.SnapshotID == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceId"))
	}
	r.Architecture = p.Enum("Architecture", "x86_64", "i386", "x86_64", "arm64")
	p.String("Platform")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
	r.fingerprint = p.Fingerprint()
}

// CreateImageResponse names the new image.
type CreateImageResponse struct {
	rpc.Base
	ImageID string `json:"ImageId"`
}

// baseImage is the OS an instance carries: its public image, or the base
// of the custom image it was launched from.
func (s *Service) baseImage(ctx context.Context, tx store.Tx, region, imageID string) (cloud.Image, bool) {
	if im, ok := s.catalog.Image(imageID); ok {
		return im, true
	}
	m, err := store.GetIn[cloud.CustomImage](ctx, tx, region, imageID)
	return m.Base, err == nil
}

// CreateImage snapshots every disk of the instance (or takes the snapshot
// given) and makes an image of them; it is Creating until they complete.
func (s *Service) CreateImage(ctx context.Context, call *rpc.Call, req *CreateImageRequest) (*CreateImageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateImageResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		img := cloud.CustomImage{
			ID: s.ids.ID("m", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			Family: req.Family, Status: cloud.ImageCreating, Tags: cloudTags(req.Tags), Created: now,
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), DoneAt: now,
		}
		if img.Name == "" {
			img.Name = img.ID
		}
		if n, err := store.Count[cloud.CustomImage](ctx, tx, req.RegionID, store.Where("name", img.Name)); err != nil {
			return err
		} else if n > 0 {
			return apierr.ImageNameDuplicated.New()
		}
		var snaps []cloud.Snapshot
		if req.InstanceID != "" {
			inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.InstanceID)
			if err != nil {
				return notFound(err, apierr.InvalidInstanceIDNotFound)
			}
			if inst.Status != cloud.StatusRunning && inst.Status != cloud.StatusStopped {
				return apierr.IncorrectInstanceStatus.New()
			}
			img.SourceInst = inst.ID
			img.Base, _ = s.baseImage(ctx, tx, req.RegionID, inst.ImageID)
			disks, err := attachedTo(ctx, tx, inst.ID)
			if err != nil {
				return err
			}
			// The system disk first: it is the image's root.
			slices.SortStableFunc(disks, func(a, b cloud.Disk) int {
				return boolRank(a.Type != cloud.DiskSystem) - boolRank(b.Type != cloud.DiskSystem)
			})
			for _, d := range disks {
				have, err := snapshotsOf(ctx, tx, d.ID)
				if err != nil {
					return err
				}
				if err := cloud.CheckCreateSnapshot(d, &inst, have); err != nil {
					return err
				}
				sn := cloud.NewSnapshot(cloud.SnapshotSpec{ID: s.ids.ID("s", d.Region), Type: cloud.SnapshotUser,
					Description: "Created for image " + img.ID}, d, now, cfg.Delays)
				snaps = append(snaps, sn)
				img.DoneAt = sn.DoneAt
			}
		} else {
			sn, err := store.GetIn[cloud.Snapshot](ctx, tx, req.RegionID, req.SnapshotID)
			if err != nil {
				return notFound(err, apierr.InvalidSnapshotIDNotFound)
			}
			if sn.Status != cloud.SnapshotAccomplished {
				return apierr.SnapshotNotReady.New()
			}
			base, ok := cloud.Image{}, false
			if inst, err := store.Get[cloud.Instance](ctx, tx, sn.InstanceID); err == nil {
				base, ok = s.baseImage(ctx, tx, req.RegionID, inst.ImageID)
			}
			if !ok {
				// The source is gone: the first public image of the architecture [choice].
				for _, im := range s.catalog.Images() {
					if im.Architecture == req.Architecture {
						base, ok = im, true
						break
					}
				}
			}
			img.Base = base
			snaps = append(snaps, sn)
		}
		if req.DryRun {
			return dryRun()
		}
		for k, sn := range snaps {
			typ := cloud.DiskData
			if k == 0 {
				typ = cloud.DiskSystem
			}
			img.Disks = append(img.Disks, cloud.ImageDisk{SnapshotID: sn.ID, Type: typ, Size: sn.SourceDiskSize})
			if req.SnapshotID != "" {
				// Stored as it was; only the image list changes.
				if sn, err = store.GetIn[cloud.Snapshot](ctx, tx, req.RegionID, sn.ID); err != nil {
					return err
				}
			}
			sn.Images = append(sn.Images, img.ID)
			if err := store.Put(ctx, tx, sn); err != nil {
				return err
			}
		}
		if !img.DoneAt.After(now) {
			img.Status = cloud.ImageAvailable
		}
		if err := store.Put(ctx, tx, img); err != nil {
			return err
		}
		resp.ImageID = img.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DeleteImageRequest is RegionId, ImageId, Force, DryRun.
type DeleteImageRequest struct {
	RegionID, ImageID string
	Force, DryRun     bool
}

// Bind implements rpc.Binder.
func (r *DeleteImageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.Required("ImageId")
	r.Force = p.Bool("Force", false)
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteImageResponse is RequestId only.
type DeleteImageResponse struct{ rpc.Base }

// DeleteImage removes a custom image and frees its snapshots; instances
// running it keep running.
func (s *Service) DeleteImage(ctx context.Context, call *rpc.Call, req *DeleteImageRequest) (*DeleteImageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		img, err := store.GetIn[cloud.CustomImage](ctx, tx, req.RegionID, req.ImageID)
		if err != nil {
			return notFound(err, apierr.InvalidImageIDNotFound)
		}
		used, err := store.Count[cloud.Instance](ctx, tx, req.RegionID, store.Where("image", img.ID))
		if err != nil {
			return err
		}
		if err := cloud.CheckDeleteImage(used, req.Force); err != nil {
			return err
		}
		if err := cloud.CheckDeleteShared(img); err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		for _, d := range img.Disks {
			sn, err := store.Get[cloud.Snapshot](ctx, tx, d.SnapshotID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			sn.Images = slices.DeleteFunc(sn.Images, func(id string) bool { return id == img.ID })
			if err := store.Put(ctx, tx, sn); err != nil {
				return err
			}
		}
		return store.Delete[cloud.CustomImage](ctx, tx, img.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteImageResponse{}, nil
}

// ModifyImageAttributeRequest renames or redescribes a custom image.
type ModifyImageAttributeRequest struct {
	RegionID, ImageID  string
	Name, Desc, Family *string
	DryRun             bool
}

// Bind implements rpc.Binder.
func (r *ModifyImageAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.Required("ImageId")
	opt := func(name string) *string {
		if !p.Has(name) {
			return nil
		}
		v := p.String(name)
		return &v
	}
	r.Name, r.Desc, r.Family = opt("ImageName"), opt("Description"), opt("ImageFamily")
	if r.Name != nil && !cloud.ValidImageName(*r.Name) {
		p.Fail(apierr.ImageNameMalformed.New())
	}
	p.Enum("Status", "", "Deprecated", "Available")
	p.Enum("BootMode", "", "BIOS", "UEFI")
	r.DryRun = p.Bool("DryRun", false)
}

// ModifyImageAttributeResponse is RequestId only.
type ModifyImageAttributeResponse struct{ rpc.Base }

// ModifyImageAttribute changes the name, description or family.
func (s *Service) ModifyImageAttribute(ctx context.Context, call *rpc.Call, req *ModifyImageAttributeRequest) (*ModifyImageAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		img, err := store.GetIn[cloud.CustomImage](ctx, tx, req.RegionID, req.ImageID)
		if err != nil {
			return notFound(err, apierr.InvalidImageIDNotFound)
		}
		if req.Name != nil && *req.Name != img.Name {
			if n, err := store.Count[cloud.CustomImage](ctx, tx, req.RegionID, store.Where("name", *req.Name)); err != nil {
				return err
			} else if n > 0 {
				return apierr.ImageNameDuplicated.New()
			}
			img.Name = *req.Name
		}
		if req.Desc != nil {
			img.Description = *req.Desc
		}
		if req.Family != nil {
			img.Family = *req.Family
		}
		if req.DryRun {
			return dryRun()
		}
		return store.Put(ctx, tx, img)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyImageAttributeResponse{}, nil
}

// CopyImageRequest copies a custom image to a region (its own by default).
type CopyImageRequest struct {
	RegionID, ImageID, DestRegion, DestName, DestDesc string
	ResourceGroupID, ClientToken, fingerprint         string
	Tags                                              []rpc.Tag
	DryRun                                            bool
}

// Bind implements rpc.Binder.
func (r *CopyImageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.Required("ImageId")
	r.DestRegion = p.String("DestinationRegionId")
	if r.DestRegion == "" {
		r.DestRegion = r.RegionID
	}
	r.DestName = p.String("DestinationImageName")
	if r.DestName != "" && !cloud.ValidImageName(r.DestName) {
		p.Fail(apierr.ImageNameMalformed.New())
	}
	r.DestDesc = p.String("DestinationDescription")
	p.Bool("Encrypted", false)
	p.String("KMSKeyId")
	p.String("EncryptAlgorithm")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
	r.fingerprint = p.Fingerprint()
}

// CopyImageResponse names the copy.
type CopyImageResponse struct {
	rpc.Base
	ImageID string `json:"ImageId"`
}

// CopyImage makes a new image in the destination region with copies of the
// source's snapshots; it is Creating until the copies complete.
func (s *Service) CopyImage(ctx context.Context, call *rpc.Call, req *CopyImageRequest) (*CopyImageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if err := s.checkRegion(req.DestRegion); err != nil {
		return nil, err
	}
	resp := &CopyImageResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		src, err := store.GetIn[cloud.CustomImage](ctx, tx, req.RegionID, req.ImageID)
		if err != nil {
			return notFound(err, apierr.InvalidImageIDNotFound)
		}
		if src.Status != cloud.ImageAvailable {
			return apierr.ImageNotAvailable.New()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		now := tx.Now()
		cp := cloud.CustomImage{
			ID: s.ids.ID("m", req.DestRegion), Region: req.DestRegion, Name: req.DestName, Description: req.DestDesc,
			Family: src.Family, Status: cloud.ImageCreating, Base: src.Base, Tags: cloudTags(req.Tags), Created: now,
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), DoneAt: now.Add(cfg.Delays.Snapshot.D()),
			CopyOf: src.ID,
		}
		if cp.Name == "" {
			cp.Name = cp.ID
		}
		if n, err := store.Count[cloud.CustomImage](ctx, tx, req.DestRegion, store.Where("name", cp.Name)); err != nil {
			return err
		} else if n > 0 {
			return apierr.ImageNameDuplicated.New()
		}
		if req.DryRun {
			return dryRun()
		}
		for _, d := range src.Disks {
			orig, err := store.Get[cloud.Snapshot](ctx, tx, d.SnapshotID)
			if err != nil {
				return err // an image's snapshots cannot be deleted
			}
			sn := orig
			sn.ID, sn.Region, sn.Name, sn.Created, sn.DoneAt = s.ids.ID("s", req.DestRegion), req.DestRegion, "", now, cp.DoneAt
			sn.Status, sn.Type, sn.PolicyID, sn.RetentionDays, sn.Tags = cloud.SnapshotProgressing, cloud.SnapshotUser, "", 0, nil
			sn.Description, sn.Images = "Copied for image "+cp.ID, []string{cp.ID}
			if !sn.DoneAt.After(now) {
				sn.Status = cloud.SnapshotAccomplished
			}
			if err := store.Put(ctx, tx, sn); err != nil {
				return err
			}
			cp.Disks = append(cp.Disks, cloud.ImageDisk{SnapshotID: sn.ID, Type: d.Type, Size: d.Size})
		}
		if !cp.DoneAt.After(now) {
			cp.Status = cloud.ImageAvailable
		}
		if err := store.Put(ctx, tx, cp); err != nil {
			return err
		}
		resp.ImageID = cp.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeImageSupportInstanceTypesRequest names the image, directly or by filter.
type DescribeImageSupportInstanceTypesRequest struct{ RegionID, ImageID string }

// Bind implements rpc.Binder.
func (r *DescribeImageSupportInstanceTypesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.String("ImageId")
	for _, f := range p.Objects("Filter") {
		if f.String("Key") == "imageId" && r.ImageID == "" {
			r.ImageID = f.String("Value")
		}
	}
	if r.ImageID == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("ImageId"))
	}
	p.Enum("ActionType", "", "CreateEcs", "ChangeOS", "DescribeImages")
}

// ImageSupportInstanceType is one type that runs the image.
type ImageSupportInstanceType struct {
	InstanceTypeID     string  `json:"InstanceTypeId"`
	InstanceTypeFamily string  `json:"InstanceTypeFamily"`
	CPUCoreCount       int     `json:"CpuCoreCount"`
	MemorySize         float64 `json:"MemorySize"`
}

// DescribeImageSupportInstanceTypesResponse wraps InstanceTypes.InstanceType[].
type DescribeImageSupportInstanceTypesResponse struct {
	rpc.Base
	RegionID      string `json:"RegionId"`
	ImageID       string `json:"ImageId"`
	InstanceTypes struct {
		InstanceType []ImageSupportInstanceType `json:"InstanceType"`
	} `json:"InstanceTypes"`
}

// DescribeImageSupportInstanceTypes lists the catalogue's types of the
// image's architecture.
func (s *Service) DescribeImageSupportInstanceTypes(ctx context.Context, call *rpc.Call, req *DescribeImageSupportInstanceTypesRequest) (*DescribeImageSupportInstanceTypesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var image cloud.Image
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		im, ok := s.baseImage(ctx, tx, req.RegionID, req.ImageID)
		if !ok {
			return apierr.InvalidImageIDNotFound.New()
		}
		image = im
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeImageSupportInstanceTypesResponse{RegionID: req.RegionID, ImageID: req.ImageID}
	resp.InstanceTypes.InstanceType = []ImageSupportInstanceType{}
	for _, t := range s.catalog.InstanceTypes() {
		if cloud.ImageRunsOn(image, t) {
			resp.InstanceTypes.InstanceType = append(resp.InstanceTypes.InstanceType, ImageSupportInstanceType{
				InstanceTypeID: t.InstanceTypeID, InstanceTypeFamily: t.InstanceTypeFamily, CPUCoreCount: t.CPUCoreCount, MemorySize: t.MemorySize})
		}
	}
	return resp, nil
}
