package ecs

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerMetadataOptions(t *rpc.Table) {
	rpc.Handle(t, rpc.VersionECS, "ModifyInstanceMetadataOptions", s.ModifyInstanceMetadataOptions)
}

// ModifyInstanceMetadataOptionsRequest sets the metadata endpoint, token mode and hop limit.
type ModifyInstanceMetadataOptionsRequest struct {
	RegionID, InstanceID, Endpoint, Tokens string
	HopLimit                               *int
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceMetadataOptionsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	if p.Required("HttpEndpoint") != "" {
		r.Endpoint = p.Enum("HttpEndpoint", "enabled", "enabled", "disabled")
	}
	r.InstanceID = p.Required("InstanceId")
	r.Tokens = p.Enum("HttpTokens", "", "optional", "required")
	r.HopLimit = p.OptInt("HttpPutResponseHopLimit", 1, 64)
	p.Enum("InstanceMetadataTags", "", "enabled", "disabled")
}

// ModifyInstanceMetadataOptionsResponse is RequestId only.
type ModifyInstanceMetadataOptionsResponse struct{ rpc.Base }

// ModifyInstanceMetadataOptions changes what DescribeInstances answers as MetadataOptions.
func (s *Service) ModifyInstanceMetadataOptions(ctx context.Context, call *rpc.Call, req *ModifyInstanceMetadataOptionsRequest) (*ModifyInstanceMetadataOptionsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		md := inst.MetadataOf()
		md.Endpoint = req.Endpoint
		if req.Tokens != "" {
			md.Tokens = req.Tokens
		}
		if req.HopLimit != nil {
			md.HopLimit = *req.HopLimit
		}
		inst.Metadata = &md
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceMetadataOptionsResponse{}, nil
}
