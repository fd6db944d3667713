package ecs

import (
	"context"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxGroupsPerInstance is how many security groups an instance or ENI may be in.
const maxGroupsPerInstance = 5

func (s *Service) registerSecurityGroupMembership(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "JoinSecurityGroup", s.JoinSecurityGroup)
	rpc.Handle(t, v, "LeaveSecurityGroup", s.LeaveSecurityGroup)
}

// SecurityGroupMembershipRequest names a group and an instance or an ENI.
type SecurityGroupMembershipRequest struct {
	RegionID, GroupID, InstanceID, ENIID string
}

// Bind implements rpc.Binder.
func (r *SecurityGroupMembershipRequest) Bind(p *rpc.Params) {
	r.RegionID = p.String("RegionId")
	r.GroupID = p.Required("SecurityGroupId")
	r.InstanceID = p.String("InstanceId")
	r.ENIID = p.String("NetworkInterfaceId")
	if r.InstanceID == "" && r.ENIID == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceId"))
	}
}

// SecurityGroupMembershipResponse is RequestId only.
type SecurityGroupMembershipResponse struct{ rpc.Base }

// JoinSecurityGroup adds the instance (its primary ENI) or the ENI to a group of its VPC.
func (s *Service) JoinSecurityGroup(ctx context.Context, call *rpc.Call, req *SecurityGroupMembershipRequest) (*SecurityGroupMembershipResponse, error) {
	return s.membership(ctx, call, req, true)
}

// LeaveSecurityGroup takes the instance or the ENI out of a group; the last one stays.
func (s *Service) LeaveSecurityGroup(ctx context.Context, call *rpc.Call, req *SecurityGroupMembershipRequest) (*SecurityGroupMembershipResponse, error) {
	return s.membership(ctx, call, req, false)
}

// membership changes the groups of an instance and its primary ENI
// together, or of a secondary ENI alone.
func (s *Service) membership(ctx context.Context, call *rpc.Call, req *SecurityGroupMembershipRequest, join bool) (*SecurityGroupMembershipResponse, error) {
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		var inst *cloud.Instance
		var enis []cloud.ENI
		instanceID := req.InstanceID
		if instanceID == "" {
			e, err := store.Get[cloud.ENI](ctx, tx, req.ENIID)
			if err != nil {
				return notFound(err, apierr.InvalidEniIDNotFound)
			}
			if e.Type == cloud.ENIPrimary && e.InstanceID() != "" {
				instanceID = e.InstanceID() // a primary ENI's groups are its instance's
			}
		}
		if instanceID != "" {
			i, err := loadInstance(ctx, tx, instanceID)
			if err != nil {
				return err
			}
			if i.HasLock(cloud.LockSecurity) {
				return apierr.InstanceLockedForSecurity.New()
			}
			inst = &i
			if enis, err = store.All[cloud.ENI](ctx, tx, i.Region, store.Where("instance", i.ID), store.Where("type", cloud.ENIPrimary)); err != nil {
				return err
			}
		} else {
			e, err := store.Get[cloud.ENI](ctx, tx, req.ENIID)
			if err != nil {
				return notFound(err, apierr.InvalidEniIDNotFound)
			}
			enis = []cloud.ENI{e}
		}
		region, vpc, have := "", "", []string(nil)
		if inst != nil {
			region, vpc, have = inst.Region, inst.VpcID, inst.SecurityGroups
		} else {
			region, vpc, have = enis[0].Region, enis[0].VpcID, enis[0].SecurityGroups
		}
		if req.RegionID != "" && req.RegionID != region {
			return apierr.InvalidInstanceIDNotFound.New()
		}
		sg, err := store.GetIn[cloud.SecurityGroup](ctx, tx, region, req.GroupID)
		if err != nil {
			return notFound(err, apierr.InvalidSecurityGroupIDNotFound)
		}
		groups, err := cloud.ChangeMembership(have, sg, vpc, join, maxGroupsPerInstance)
		if err != nil {
			return err
		}
		if inst != nil {
			inst.SecurityGroups = groups
			if err := store.Put(ctx, tx, *inst); err != nil {
				return err
			}
		}
		for _, e := range enis {
			e.SecurityGroups = slices.Clone(groups)
			if err := store.Put(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &SecurityGroupMembershipResponse{}, nil
}
