package ecs

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/netip"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerActivations(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateActivation", s.CreateActivation)
	rpc.Handle(t, v, "DescribeActivations", s.DescribeActivations)
	rpc.Handle(t, v, "DisableActivation", s.DisableActivation)
	rpc.Handle(t, v, "DeleteActivation", s.DeleteActivation)
}

// CreateActivationRequest is an activation code's limits.
type CreateActivationRequest struct {
	RegionID, InstanceName, Description, IPRange, ResourceGroupID string
	InstanceCount, TTLHours                                       int
	Tags                                                          []rpc.Tag
	ClientToken, fingerprint                                      string
}

// Bind implements rpc.Binder: InstanceCount 1..1000 (10), TimeToLiveInHours
// 1..876000 (4), IpAddressRange a CIDR block (0.0.0.0/0).
func (r *CreateActivationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceName = p.String("InstanceName")
	if n := len([]rune(r.InstanceName)); r.InstanceName != "" && (n < 2 || n > 50) {
		p.Fail(apierr.InvalidParameter.New("InstanceName"))
	}
	r.Description = p.String("Description")
	r.InstanceCount = p.Int("InstanceCount", 10, 1, 1000)
	r.TTLHours = p.Int("TimeToLiveInHours", 4, 1, 876000)
	r.IPRange = p.String("IpAddressRange")
	if r.IPRange == "" {
		r.IPRange = "0.0.0.0/0"
	} else if _, err := netip.ParsePrefix(r.IPRange); err != nil {
		p.Fail(apierr.InvalidParameter.New("IpAddressRange"))
	}
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateActivationResponse carries the id and the code, answered once.
type CreateActivationResponse struct {
	rpc.Base
	ActivationID   string `json:"ActivationId"`
	ActivationCode string `json:"ActivationCode"`
}

// activationCode is a fresh secret of 30 random bytes.
func activationCode() string {
	b := make([]byte, 30)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateActivation makes an activation code for servers outside ECS.
func (s *Service) CreateActivation(ctx context.Context, call *rpc.Call, req *CreateActivationRequest) (*CreateActivationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateActivationResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		a := cloud.Activation{ID: s.ids.ID("act", req.RegionID), Region: req.RegionID, Code: activationCode(),
			InstanceName: req.InstanceName, Description: req.Description, InstanceCount: req.InstanceCount, TTLHours: req.TTLHours,
			IPAddressRange: req.IPRange, ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
			Tags: cloudTags(req.Tags), Created: tx.Now()}
		if err := store.Put(ctx, tx, a); err != nil {
			return err
		}
		resp.ActivationID, resp.ActivationCode = a.ID, a.Code
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ActivationItem is one activation code, without the code.
type ActivationItem struct {
	ActivationID      string    `json:"ActivationId"`
	InstanceName      string    `json:"InstanceName"`
	Description       string    `json:"Description"`
	InstanceCount     int       `json:"InstanceCount"`
	RegisteredCount   int       `json:"RegisteredCount"`
	DeregisteredCount int       `json:"DeregisteredCount"`
	IPAddressRange    string    `json:"IpAddressRange"`
	TimeToLiveInHours int64     `json:"TimeToLiveInHours"`
	CreationTime      string    `json:"CreationTime"`
	Disabled          bool      `json:"Disabled"`
	ResourceGroupID   string    `json:"ResourceGroupId,omitempty"`
	Tags              []TagItem `json:"Tags,omitempty"`
}

func activationItem(a cloud.Activation, withTags bool) ActivationItem {
	it := ActivationItem{ActivationID: a.ID, InstanceName: a.InstanceName, Description: a.Description, InstanceCount: a.InstanceCount,
		IPAddressRange: a.IPAddressRange, TimeToLiveInHours: int64(a.TTLHours), CreationTime: cloud.FormatSecond(a.Created),
		Disabled: a.Disabled}
	if withTags {
		it.ResourceGroupID = a.ResourceGroup
		it.Tags = tagsOf(a.Tags).Tag
	}
	return it
}

// DescribeActivationsRequest filters the activation codes.
type DescribeActivationsRequest struct {
	RegionID, ActivationID, InstanceName, ResourceGroupID string
	Tags                                                  []rpc.Tag
	PageNumber, PageSize                                  int
	offset, max                                           int
	keyset                                                bool
}

// Bind implements rpc.Binder.
func (r *DescribeActivationsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ActivationID = p.String("ActivationId")
	r.InstanceName = p.String("InstanceName")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.PageNumber, r.PageSize = paging(p, 10, 50)
	if p.Has("MaxResults") || p.String("NextToken") != "" {
		r.keyset = true
		r.offset, r.max = offsetPage(p, 10, 50)
	}
}

// DescribeActivationsResponse wraps ActivationList[].
type DescribeActivationsResponse struct {
	rpc.Base
	TotalCount     int              `json:"TotalCount"`
	PageNumber     int              `json:"PageNumber"`
	PageSize       int              `json:"PageSize"`
	NextToken      string           `json:"NextToken"`
	ActivationList []ActivationItem `json:"ActivationList"`
}

// hasTags tells whether tags hold every wanted key (and value, when given).
func hasTags(tags []cloud.Tag, want []rpc.Tag) bool {
	for _, w := range want {
		if !slices.ContainsFunc(tags, func(t cloud.Tag) bool { return t.Key == w.Key && (w.Value == "" || t.Value == w.Value) }) {
			return false
		}
	}
	return true
}

// DescribeActivations lists the region's activation codes (never the code).
func (s *Service) DescribeActivations(ctx context.Context, call *rpc.Call, req *DescribeActivationsRequest) (*DescribeActivationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []ActivationItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var filters []store.Filter
		if req.InstanceName != "" {
			filters = append(filters, store.Where("name", req.InstanceName))
		}
		all, err := store.All[cloud.Activation](ctx, tx, req.RegionID, filters...)
		for _, a := range all {
			if req.ActivationID != "" && a.ID != req.ActivationID || req.ResourceGroupID != "" && a.ResourceGroup != req.ResourceGroupID ||
				!hasTags(a.Tags, req.Tags) {
				continue
			}
			match = append(match, activationItem(a, true))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeActivationsResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	if req.keyset {
		resp.ActivationList, resp.NextToken = pageAt(match, req.offset, req.max)
	} else {
		resp.ActivationList = pageOf(match, req.PageNumber, req.PageSize)
	}
	return resp, nil
}

// ActivationRequest names one activation code.
type ActivationRequest struct{ RegionID, ActivationID string }

// Bind implements rpc.Binder.
func (r *ActivationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ActivationID = p.Required("ActivationId")
}

// ActivationResponse answers the activation code acted on.
type ActivationResponse struct {
	rpc.Base
	Activation ActivationItem `json:"Activation"`
}

// changeActivation applies fn to one activation code in one transaction.
func (s *Service) changeActivation(ctx context.Context, call *rpc.Call, req *ActivationRequest, del bool) (*ActivationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ActivationResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := store.GetIn[cloud.Activation](ctx, tx, req.RegionID, req.ActivationID)
		if err != nil {
			return notFound(err, apierr.InvalidActivationID)
		}
		if del {
			// No instance ever registers with a code in ecslocal, so none holds it back.
			resp.Activation = activationItem(a, false)
			return store.Delete[cloud.Activation](ctx, tx, a.ID)
		}
		a.Disabled = true
		resp.Activation = activationItem(a, false)
		return store.Put(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DisableActivation stops a code from registering more servers.
func (s *Service) DisableActivation(ctx context.Context, call *rpc.Call, req *ActivationRequest) (*ActivationResponse, error) {
	return s.changeActivation(ctx, call, req, false)
}

// DeleteActivation deletes a code.
func (s *Service) DeleteActivation(ctx context.Context, call *rpc.Call, req *ActivationRequest) (*ActivationResponse, error) {
	return s.changeActivation(ctx, call, req, true)
}
