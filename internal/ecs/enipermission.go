package ecs

import (
	"context"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerENIPermissions adds the ENI permission actions.
func (s *Service) registerENIPermissions(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateNetworkInterfacePermission", s.CreateNetworkInterfacePermission)
	rpc.Handle(t, v, "DeleteNetworkInterfacePermission", s.DeleteNetworkInterfacePermission)
	rpc.Handle(t, v, "DescribeNetworkInterfacePermissions", s.DescribeNetworkInterfacePermissions)
}

// ENIPermissionItem is a permission as the answers show it.
type ENIPermissionItem struct {
	AccountID                    int64  `json:"AccountId"`
	NetworkInterfaceID           string `json:"NetworkInterfaceId"`
	NetworkInterfacePermissionID string `json:"NetworkInterfacePermissionId"`
	Permission                   string `json:"Permission"`
	PermissionState              string `json:"PermissionState"`
	ServiceName                  string `json:"ServiceName"`
}

func permissionItem(p cloud.ENIPermission) ENIPermissionItem {
	acc, _ := strconv.ParseInt(p.AccountID, 10, 64)
	return ENIPermissionItem{AccountID: acc, NetworkInterfaceID: p.ENIID, NetworkInterfacePermissionID: p.ID, Permission: p.Permission, PermissionState: p.State}
}

// CreateNetworkInterfacePermissionRequest grants another account an ENI.
type CreateNetworkInterfacePermissionRequest struct {
	RegionID, ENIID, AccountID, Permission string
}

// Bind implements rpc.Binder.
func (r *CreateNetworkInterfacePermissionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	r.AccountID = p.Required("AccountId")
	r.Permission = p.Required("Permission")
	if n, err := strconv.ParseInt(r.AccountID, 10, 64); r.AccountID != "" && (err != nil || n <= 0) {
		p.Fail(apierr.InvalidParameter.New("AccountId"))
	}
	if r.Permission != "" && r.Permission != "InstanceAttach" {
		p.Fail(apierr.InvalidParameter.New("Permission"))
	}
}

// CreateNetworkInterfacePermissionResponse is the new permission.
type CreateNetworkInterfacePermissionResponse struct {
	rpc.Base
	NetworkInterfacePermission ENIPermissionItem `json:"NetworkInterfacePermission"`
}

// CreateNetworkInterfacePermission lets another account attach a
// secondary ENI (InvalidOperation.InvalidEniType for a primary or trunk
// one) to its instances: Granted at once. The account's own id, and an
// account that already holds a granted permission on the ENI, are refused
// [choice].
func (s *Service) CreateNetworkInterfacePermission(ctx context.Context, call *rpc.Call, req *CreateNetworkInterfacePermissionRequest) (*CreateNetworkInterfacePermissionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.AccountID == call.Account {
		return nil, apierr.InvalidParameter.New("AccountId")
	}
	resp := &CreateNetworkInterfacePermissionResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		if e.Type != cloud.ENISecondary {
			return apierr.InvalidEniType.New().WithDetail("ENI %s is %s", e.ID, e.Type)
		}
		if e.Status == cloud.ENIDeleting {
			return apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
		}
		have, err := store.All[cloud.ENIPermission](ctx, tx, e.Region, store.Where(string(cloud.IdxENI), e.ID))
		if err != nil {
			return err
		}
		for _, h := range have {
			if h.AccountID == req.AccountID && h.State == cloud.PermissionGranted {
				return apierr.ENIPermissionExists.New().WithDetail("%s already holds %s", req.AccountID, h.ID)
			}
		}
		p := cloud.ENIPermission{ID: s.ids.ID("eni-perm", e.Region), Region: e.Region, ENIID: e.ID, AccountID: req.AccountID,
			Permission: req.Permission, State: cloud.PermissionGranted, Created: tx.Now()}
		if err := store.Put(ctx, tx, p); err != nil {
			return err
		}
		resp.NetworkInterfacePermission = permissionItem(p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteNetworkInterfacePermissionRequest names a permission.
type DeleteNetworkInterfacePermissionRequest struct {
	RegionID, ID string
}

// Bind implements rpc.Binder.
func (r *DeleteNetworkInterfacePermissionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("NetworkInterfacePermissionId")
	p.Bool("Force", false)
}

// DeleteNetworkInterfacePermissionResponse is {RequestId}.
type DeleteNetworkInterfacePermissionResponse struct{ rpc.Base }

// DeleteNetworkInterfacePermission revokes a granted permission; it stays
// listed as Revoked. Revoking it again answers
// InvalidOperation.InvalidPermissionState [choice]. No other account
// attaches ENIs here, so Force changes nothing.
func (s *Service) DeleteNetworkInterfacePermission(ctx context.Context, call *rpc.Call, req *DeleteNetworkInterfacePermissionRequest) (*DeleteNetworkInterfacePermissionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		p, err := store.GetIn[cloud.ENIPermission](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.ENIPermissionNotFound)
		}
		if p.State != cloud.PermissionGranted {
			return apierr.ENIPermissionState.New()
		}
		p.State = cloud.PermissionRevoked
		return store.Put(ctx, tx, p)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteNetworkInterfacePermissionResponse{}, nil
}

// DescribeNetworkInterfacePermissionsRequest names an ENI or permissions.
type DescribeNetworkInterfacePermissionsRequest struct {
	RegionID, ENIID      string
	IDs                  []string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder: one of NetworkInterfaceId and
// NetworkInterfacePermissionId.N is needed.
func (r *DescribeNetworkInterfacePermissionsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.String("NetworkInterfaceId")
	r.IDs = p.List("NetworkInterfacePermissionId")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("NetworkInterfacePermissionId"))
	}
	if r.ENIID == "" && len(r.IDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("NetworkInterfaceId"))
	}
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// DescribeNetworkInterfacePermissionsResponse wraps NetworkInterfacePermissions.NetworkInterfacePermission[].
type DescribeNetworkInterfacePermissionsResponse struct {
	rpc.Base
	TotalCount                  int `json:"TotalCount"`
	PageNumber                  int `json:"PageNumber"`
	PageSize                    int `json:"PageSize"`
	NetworkInterfacePermissions struct {
		NetworkInterfacePermission []ENIPermissionItem `json:"NetworkInterfacePermission"`
	} `json:"NetworkInterfacePermissions"`
}

// DescribeNetworkInterfacePermissions lists permissions by ENI (its
// index) or by id, granted and revoked.
func (s *Service) DescribeNetworkInterfacePermissions(ctx context.Context, call *rpc.Call, req *DescribeNetworkInterfacePermissionsRequest) (*DescribeNetworkInterfacePermissionsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeNetworkInterfacePermissionsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.NetworkInterfacePermissions.NetworkInterfacePermission = []ENIPermissionItem{}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	if req.ENIID != "" {
		q.Filters = []store.Filter{store.Where(string(cloud.IdxENI), req.ENIID)}
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.ENIPermission](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, p := range list {
			resp.NetworkInterfacePermissions.NetworkInterfacePermission = append(resp.NetworkInterfacePermissions.NetworkInterfacePermission, permissionItem(p))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
