package ecs

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Image sharing crosses accounts, and every store transaction is one
// account's: the share is kept on the owner's image only (one source of
// truth), and an account it is shared with reads it in a transaction of
// the owner's account of its own, never nested in one of its own.

func (s *Service) registerImageShares(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "ModifyImageSharePermission", s.ModifyImageSharePermission)
	rpc.Handle(t, v, "DescribeImageSharePermission", s.DescribeImageSharePermission)
	rpc.Handle(t, v, "ModifyImageShareGroupPermission", s.ModifyImageShareGroupPermission)
	rpc.Handle(t, v, "CancelCopyImage", s.CancelCopyImage)
	rpc.Handle(t, v, "DescribeImageFromFamily", s.DescribeImageFromFamily)
}

// sharedWith answers the images of other accounts in region that account
// may use (shared with it or public), each with its owner.
func (s *Service) sharedWith(ctx context.Context, account, region string) ([]cloud.CustomImage, error) {
	shelves, err := s.store.Inventory(ctx)
	if err != nil {
		return nil, err
	}
	var out []cloud.CustomImage
	for _, sh := range shelves {
		if sh.Kind != cloud.KindImage || sh.Region != region || sh.Account == account {
			continue
		}
		err := s.store.View(ctx, sh.Account, func(tx store.Tx) error {
			found, err := store.All[cloud.CustomImage](ctx, tx, region, store.Where("shared", account, cloud.ShareAll))
			for _, m := range found {
				m.Owner = sh.Account
				out = append(out, m)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sharedImage answers image id of another account if account may use it.
func (s *Service) sharedImage(ctx context.Context, account, region, id string) (cloud.CustomImage, bool, error) {
	if id == "" {
		return cloud.CustomImage{}, false, nil
	}
	owners, err := s.store.AccountsOf(ctx, cloud.KindImage, id)
	if err != nil {
		return cloud.CustomImage{}, false, err
	}
	for _, owner := range owners {
		if owner == account {
			continue
		}
		var m cloud.CustomImage
		err := s.store.View(ctx, owner, func(tx store.Tx) error {
			var err error
			m, err = store.GetIn[cloud.CustomImage](ctx, tx, region, id)
			return err
		})
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return m, false, err
		}
		if m.SharedWith(account) {
			return m, true, nil
		}
	}
	return cloud.CustomImage{}, false, nil
}

// readShared reads, before a launch's transaction, the image another
// account shares with the caller under the launch's ImageId.
func (s *Service) readShared(ctx context.Context, call *rpc.Call, l *launchParams) error {
	if !strings.HasPrefix(l.ImageID, "m-") {
		return nil
	}
	m, ok, err := s.sharedImage(ctx, call.Account, l.RegionID, l.ImageID)
	if ok {
		l.shared = m
	}
	return err
}

// ModifyImageSharePermissionRequest adds and removes the accounts an image
// is shared with; IsPublic shares it with every account.
type ModifyImageSharePermissionRequest struct {
	RegionID, ImageID string
	Add, Remove       []string
	IsPublic          *bool
	DryRun            bool
}

// Bind implements rpc.Binder.
func (r *ModifyImageSharePermissionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.Required("ImageId")
	r.Add, r.Remove = p.List("AddAccount"), p.List("RemoveAccount")
	if len(r.Add) > 10 {
		p.Fail(apierr.InvalidParameter.New("AddAccount"))
	}
	if len(r.Remove) > 10 {
		p.Fail(apierr.InvalidParameter.New("RemoveAccount"))
	}
	r.IsPublic = p.OptBool("IsPublic")
	p.String("LaunchPermission")
	r.DryRun = p.Bool("DryRun", false)
}

// ModifyImageSharePermissionResponse is RequestId only.
type ModifyImageSharePermissionResponse struct{ rpc.Base }

// ModifyImageSharePermission shares a custom image with other accounts of
// the server, or stops sharing it; accounts they launched keep running.
func (s *Service) ModifyImageSharePermission(ctx context.Context, call *rpc.Call, req *ModifyImageSharePermissionRequest) (*ModifyImageSharePermissionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	for _, a := range append(slices.Clone(req.Add), req.Remove...) {
		if a == call.Account || strings.TrimSpace(a) != a {
			return nil, apierr.ImageShareAccount.New(a)
		}
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		img, err := store.GetIn[cloud.CustomImage](ctx, tx, req.RegionID, req.ImageID)
		if err != nil {
			return notFound(err, apierr.InvalidImageIDNotFound)
		}
		if img.Status != cloud.ImageAvailable {
			return apierr.ImageNotAvailable.New()
		}
		img.Shares = slices.DeleteFunc(img.Shares, func(sh cloud.ImageShare) bool { return slices.Contains(req.Remove, sh.Account) })
		for _, a := range req.Add {
			if !slices.ContainsFunc(img.Shares, func(sh cloud.ImageShare) bool { return sh.Account == a }) {
				img.Shares = append(img.Shares, cloud.ImageShare{Account: a, At: tx.Now()})
			}
		}
		if len(img.Shares) > cloud.MaxImageShares {
			return apierr.ImageShareLimit.New()
		}
		if req.IsPublic != nil {
			img.Public = *req.IsPublic
		}
		if req.DryRun {
			return dryRun()
		}
		return store.Put(ctx, tx, img)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyImageSharePermissionResponse{}, nil
}

// DescribeImageSharePermissionRequest names the image; the accounts page.
type DescribeImageSharePermissionRequest struct {
	RegionID, ImageID    string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeImageSharePermissionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.Required("ImageId")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// ImageShareAccount is one account an image is shared with.
type ImageShareAccount struct {
	AliyunID   string `json:"AliyunId"`
	SharedTime string `json:"SharedTime"`
}

// ImageShareGroup is one group an image is shared with ("all": public).
type ImageShareGroup struct {
	Group string `json:"Group"`
}

// DescribeImageSharePermissionResponse lists the accounts and groups.
type DescribeImageSharePermissionResponse struct {
	rpc.Base
	RegionID   string `json:"RegionId"`
	ImageID    string `json:"ImageId"`
	TotalCount int    `json:"TotalCount"`
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	Accounts   struct {
		Account []ImageShareAccount `json:"Account"`
	} `json:"Accounts"`
	ShareGroups struct {
		ShareGroup []ImageShareGroup `json:"ShareGroup"`
	} `json:"ShareGroups"`
}

// DescribeImageSharePermission lists whom the owner shares an image with.
func (s *Service) DescribeImageSharePermission(ctx context.Context, call *rpc.Call, req *DescribeImageSharePermissionRequest) (*DescribeImageSharePermissionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var img cloud.CustomImage
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		img, err = store.GetIn[cloud.CustomImage](ctx, tx, req.RegionID, req.ImageID)
		return notFound(err, apierr.InvalidImageIDNotFound)
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeImageSharePermissionResponse{RegionID: req.RegionID, ImageID: img.ID, TotalCount: len(img.Shares),
		PageNumber: req.PageNumber, PageSize: req.PageSize}
	all := make([]ImageShareAccount, 0, len(img.Shares))
	for _, sh := range img.Shares {
		all = append(all, ImageShareAccount{AliyunID: sh.Account, SharedTime: sh.At.UTC().Format(time.RFC3339)})
	}
	resp.Accounts.Account = pageOf(all, req.PageNumber, req.PageSize)
	resp.ShareGroups.ShareGroup = []ImageShareGroup{}
	if img.Public {
		resp.ShareGroups.ShareGroup = append(resp.ShareGroups.ShareGroup, ImageShareGroup{Group: cloud.ShareAll})
	}
	return resp, nil
}

// ModifyImageShareGroupPermissionRequest adds or removes the group "all".
type ModifyImageShareGroupPermissionRequest struct {
	RegionID, ImageID string
	Add, Remove       string
}

// Bind implements rpc.Binder.
func (r *ModifyImageShareGroupPermissionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.Required("ImageId")
	r.Add = p.Enum("AddGroup.1", "", cloud.ShareAll)
	r.Remove = p.Enum("RemoveGroup.1", "", cloud.ShareAll)
}

// ModifyImageShareGroupPermissionResponse is RequestId only.
type ModifyImageShareGroupPermissionResponse struct{ rpc.Base }

// ModifyImageShareGroupPermission makes a custom image public (group
// "all": every account of the server sees it as "others") or private.
func (s *Service) ModifyImageShareGroupPermission(ctx context.Context, call *rpc.Call, req *ModifyImageShareGroupPermissionRequest) (*ModifyImageShareGroupPermissionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		img, err := store.GetIn[cloud.CustomImage](ctx, tx, req.RegionID, req.ImageID)
		if err != nil {
			return notFound(err, apierr.InvalidImageIDNotFound)
		}
		if img.Status != cloud.ImageAvailable {
			return apierr.ImageNotAvailable.New()
		}
		switch {
		case req.Add != "":
			img.Public = true
		case req.Remove != "":
			img.Public = false
		}
		return store.Put(ctx, tx, img)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyImageShareGroupPermissionResponse{}, nil
}

// CancelCopyImageRequest names the copy (in its destination region).
type CancelCopyImageRequest struct{ RegionID, ImageID string }

// Bind implements rpc.Binder.
func (r *CancelCopyImageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ImageID = p.Required("ImageId")
}

// CancelCopyImageResponse is RequestId only.
type CancelCopyImageResponse struct{ rpc.Base }

// CancelCopyImage drops a copy CopyImage is still making, with the
// snapshots it was copying; a finished copy is an ordinary image.
func (s *Service) CancelCopyImage(ctx context.Context, call *rpc.Call, req *CancelCopyImageRequest) (*CancelCopyImageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		img, err := store.GetIn[cloud.CustomImage](ctx, tx, req.RegionID, req.ImageID)
		if err != nil {
			return notFound(err, apierr.InvalidImageIDNotFound)
		}
		if img.CopyOf == "" || img.Status != cloud.ImageCreating {
			return apierr.ImageNotCopying.New()
		}
		for _, d := range img.Disks {
			if err := store.Delete[cloud.Snapshot](ctx, tx, d.SnapshotID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return store.Delete[cloud.CustomImage](ctx, tx, img.ID)
	})
	if err != nil {
		return nil, err
	}
	return &CancelCopyImageResponse{}, nil
}

// DescribeImageFromFamilyRequest names the family.
type DescribeImageFromFamilyRequest struct{ RegionID, Family string }

// Bind implements rpc.Binder.
func (r *DescribeImageFromFamilyRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Family = p.Required("ImageFamily")
}

// FamilyImage is the newest available image of a family.
type FamilyImage struct {
	ImageID              string `json:"ImageId,omitempty"`
	ImageName            string `json:"ImageName,omitempty"`
	ImageFamily          string `json:"ImageFamily,omitempty"`
	Description          string `json:"Description,omitempty"`
	OSType               string `json:"OSType,omitempty"`
	OSName               string `json:"OSName,omitempty"`
	Platform             string `json:"Platform,omitempty"`
	Architecture         string `json:"Architecture,omitempty"`
	Size                 int    `json:"Size,omitempty"`
	Status               string `json:"Status,omitempty"`
	ImageOwnerAlias      string `json:"ImageOwnerAlias,omitempty"`
	IsSupportIoOptimized bool   `json:"IsSupportIoOptimized,omitempty"`
	Usage                string `json:"Usage,omitempty"`
	CreationTime         string `json:"CreationTime,omitempty"`
	Progress             string `json:"Progress,omitempty"`
}

// DescribeImageFromFamilyResponse carries the image; empty when the family
// has no available image.
type DescribeImageFromFamilyResponse struct {
	rpc.Base
	Image FamilyImage `json:"Image"`
}

// DescribeImageFromFamily answers the newest available image of a family:
// a public family ("acs:…") from the catalogue, else the account's custom
// images of that family.
func (s *Service) DescribeImageFromFamily(ctx context.Context, call *rpc.Call, req *DescribeImageFromFamilyRequest) (*DescribeImageFromFamilyResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var candidates []cloud.Image
	for _, im := range s.catalog.Images() {
		if im.ImageFamily == req.Family {
			candidates = append(candidates, im)
		}
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		custom, err := store.All[cloud.CustomImage](ctx, tx, req.RegionID, store.Where("family", req.Family),
			store.Where("status", cloud.ImageAvailable))
		for _, m := range custom {
			candidates = append(candidates, m.AsImage())
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeImageFromFamilyResponse{}
	var best *cloud.Image
	for i := range candidates {
		// Creation times are RFC 3339 in UTC: they sort as strings; a later one in the list wins a tie.
		if best == nil || candidates[i].CreationTime >= best.CreationTime {
			best = &candidates[i]
		}
	}
	if best != nil {
		resp.Image = FamilyImage{ImageID: best.ImageID, ImageName: best.ImageName, ImageFamily: best.ImageFamily,
			Description: best.Description, OSType: best.OSType, OSName: best.OSName, Platform: best.Platform,
			Architecture: best.Architecture, Size: best.Size, Status: best.Status, ImageOwnerAlias: best.ImageOwnerAlias,
			IsSupportIoOptimized: true, Usage: "instance", CreationTime: best.CreationTime, Progress: "100%"}
	}
	return resp, nil
}
