package ecs

import (
	"context"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// groupedKinds are JoinResourceGroup's ResourceType values ecslocal keeps a
// kind for, each with how its resource is moved.
var groupedKinds = map[string]func(ctx context.Context, tx store.Tx, region, id, rg string) error{
	"instance":       joinGroup[cloud.Instance],
	"disk":           joinGroup[cloud.Disk],
	"snapshot":       joinGroup[cloud.Snapshot],
	"image":          joinGroup[cloud.CustomImage],
	"securitygroup":  joinGroup[cloud.SecurityGroup],
	"eni":            joinGroup[cloud.ENI],
	"keypair":        joinGroup[cloud.KeyPair],
	"launchtemplate": joinGroup[cloud.LaunchTemplate],
	"prefixlist":     joinGroup[cloud.PrefixList],
	"portrangelist":  joinGroup[cloud.PortRangeList],
	"ddh":            joinGroup[cloud.DedicatedHost],
	"ddhcluster":     joinGroup[cloud.DedicatedHostCluster],
}

// joinGroup moves the resource of kind T with id in region into group rg.
func joinGroup[T cloud.Grouped](ctx context.Context, tx store.Tx, region, id, rg string) error {
	r, err := store.GetIn[T](ctx, tx, region, id)
	if err != nil {
		return notFound(err, apierr.InvalidResourceIDNotFound)
	}
	return store.Put(ctx, tx, r.WithResourceGroup(rg))
}

// JoinResourceGroupRequest moves one ECS resource into a resource group.
type JoinResourceGroupRequest struct {
	RegionID, ResourceGroupID, ResourceID, ResourceType string
}

// Bind implements rpc.Binder: the definition marks every parameter
// optional; none can be left out.
func (r *JoinResourceGroupRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceGroupID = p.Required("ResourceGroupId")
	r.ResourceID = p.Required("ResourceId")
	r.ResourceType = p.Required("ResourceType")
	if r.ResourceGroupID != "" && !strings.HasPrefix(r.ResourceGroupID, "rg-") {
		p.Fail(apierr.InvalidParameter.New("ResourceGroupId"))
	}
	if _, ok := groupedKinds[r.ResourceType]; r.ResourceType != "" && !ok {
		p.Fail(apierr.InvalidResourceTypeNotFound.New())
	}
}

// JoinResourceGroupResponse is {RequestId}.
type JoinResourceGroupResponse struct{ rpc.Base }

// JoinResourceGroup sets the resource's ResourceGroupId, which its Describe
// action answers and filters by. ecslocal has no Resource Manager: any id
// of the rg- form is a group [choice].
func (s *Service) JoinResourceGroup(ctx context.Context, call *rpc.Call, req *JoinResourceGroupRequest) (*JoinResourceGroupResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		join, ok := groupedKinds[req.ResourceType]
		if !ok {
			return apierr.InvalidResourceIDNotFound.New()
		}
		return join(ctx, tx, req.RegionID, req.ResourceID, req.ResourceGroupID)
	})
	if err != nil {
		return nil, err
	}
	return &JoinResourceGroupResponse{}, nil
}
