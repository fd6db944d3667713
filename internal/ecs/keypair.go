package ecs

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerKeyPairs(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateKeyPair", s.CreateKeyPair)
	rpc.Handle(t, v, "ImportKeyPair", s.ImportKeyPair)
	rpc.Handle(t, v, "DeleteKeyPairs", s.DeleteKeyPairs)
	rpc.Handle(t, v, "DescribeKeyPairs", s.DescribeKeyPairs)
	rpc.Handle(t, v, "AttachKeyPair", s.AttachKeyPair)
	rpc.Handle(t, v, "DetachKeyPair", s.DetachKeyPair)
}

// keyPairParams are what CreateKeyPair and ImportKeyPair share.
type keyPairParams struct {
	RegionID, Name, ResourceGroupID string
	Tags                            []rpc.Tag
}

func (k *keyPairParams) bind(p *rpc.Params) {
	k.RegionID = p.Required("RegionId")
	k.Name = p.Required("KeyPairName")
	k.ResourceGroupID = p.String("ResourceGroupId")
	k.Tags = p.Tags("Tag")
}

// checkName runs once every required parameter was read: a missing one is
// answered before a malformed name.
func (k *keyPairParams) checkName(p *rpc.Params) {
	if p.Err() == nil && !cloud.ValidKeyPairName(k.Name) {
		p.Fail(apierr.KeyPairNameMalformed.New())
	}
}

// addKeyPair stores a new key pair unless the name is taken or the region
// is full.
func (s *Service) addKeyPair(ctx context.Context, tx store.Tx, account string, k keyPairParams, publicKey, fingerprint string) (cloud.KeyPair, error) {
	if _, err := store.Get[cloud.KeyPair](ctx, tx, k.Name); err == nil {
		return cloud.KeyPair{}, apierr.KeyPairAlreadyExist.New()
	} else if !errors.Is(err, store.ErrNotFound) {
		return cloud.KeyPair{}, err
	}
	n, err := store.Count[cloud.KeyPair](ctx, tx, k.RegionID)
	if err != nil {
		return cloud.KeyPair{}, err
	}
	if n >= cloud.KeyPairQuota {
		return cloud.KeyPair{}, apierr.KeyPairQuotaExceed.New()
	}
	tags := make([]cloud.Tag, 0, len(k.Tags))
	for _, t := range k.Tags {
		tags = append(tags, cloud.Tag{Key: t.Key, Value: t.Value})
	}
	kp := cloud.KeyPair{
		Name: k.Name, Region: k.RegionID, ID: s.ids.ID("kp", k.RegionID), Fingerprint: fingerprint, PublicKey: publicKey,
		ResourceGroup: cloud.ResourceGroup(account, k.ResourceGroupID), Tags: cloud.MergeTags(nil, tags), Created: tx.Now(),
	}
	return kp, store.Put(ctx, tx, kp)
}

// CreateKeyPairRequest is CreateKeyPair's parameters.
type CreateKeyPairRequest struct{ keyPairParams }

// Bind implements rpc.Binder.
func (r *CreateKeyPairRequest) Bind(p *rpc.Params) { r.bind(p); r.checkName(p) }

// CreateKeyPairResponse carries the private key, answered this once only.
type CreateKeyPairResponse struct {
	rpc.Base
	KeyPairID          string `json:"KeyPairId"`
	KeyPairName        string `json:"KeyPairName"`
	KeyPairFingerPrint string `json:"KeyPairFingerPrint"`
	PrivateKeyBody     string `json:"PrivateKeyBody"`
}

// CreateKeyPair makes an RSA 2048 key pair and keeps its public half.
func (s *Service) CreateKeyPair(ctx context.Context, call *rpc.Call, req *CreateKeyPairRequest) (*CreateKeyPairResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	// Generated outside the transaction: a retried attempt keeps the key.
	private, public, fp, err := cloud.GenerateKeyPair(rand.Reader)
	if err != nil {
		return nil, err
	}
	resp := &CreateKeyPairResponse{}
	err = s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		kp, err := s.addKeyPair(ctx, tx, call.Account, req.keyPairParams, public, fp)
		if err != nil {
			return err
		}
		resp.KeyPairID, resp.KeyPairName, resp.KeyPairFingerPrint, resp.PrivateKeyBody = kp.ID, kp.Name, kp.Fingerprint, private
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ImportKeyPairRequest adds PublicKeyBody.
type ImportKeyPairRequest struct {
	keyPairParams
	PublicKeyBody string
}

// Bind implements rpc.Binder.
func (r *ImportKeyPairRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.PublicKeyBody = p.Required("PublicKeyBody")
	r.checkName(p)
}

// ImportKeyPairResponse names the key pair and its fingerprint.
type ImportKeyPairResponse struct {
	rpc.Base
	KeyPairName        string `json:"KeyPairName"`
	KeyPairFingerPrint string `json:"KeyPairFingerPrint"`
}

// ImportKeyPair keeps a public key the caller made (OpenSSH authorized_keys form).
func (s *Service) ImportKeyPair(ctx context.Context, call *rpc.Call, req *ImportKeyPairRequest) (*ImportKeyPairResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	public, fp, err := cloud.ParsePublicKey(req.PublicKeyBody)
	if err != nil {
		return nil, err
	}
	resp := &ImportKeyPairResponse{}
	err = s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		kp, err := s.addKeyPair(ctx, tx, call.Account, req.keyPairParams, public, fp)
		resp.KeyPairName, resp.KeyPairFingerPrint = kp.Name, kp.Fingerprint
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteKeyPairsRequest is a JSON array of up to 100 names.
type DeleteKeyPairsRequest struct {
	RegionID string
	Names    []string
}

// Bind implements rpc.Binder.
func (r *DeleteKeyPairsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	if p.Required("KeyPairNames") == "" {
		return
	}
	r.Names = p.JSONList("KeyPairNames")
	if p.Err() == nil && (len(r.Names) == 0 || len(r.Names) > 100) {
		p.Fail(apierr.KeyPairNamesMalformed.New())
	}
}

// DeleteKeyPairsResponse is RequestId only.
type DeleteKeyPairsResponse struct{ rpc.Base }

// DeleteKeyPairs removes the named key pairs of the region; instances keep
// the name they were given. Every name must exist, or nothing is removed.
func (s *Service) DeleteKeyPairs(ctx context.Context, call *rpc.Call, req *DeleteKeyPairsRequest) (*DeleteKeyPairsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		for _, name := range req.Names {
			if _, err := store.GetIn[cloud.KeyPair](ctx, tx, req.RegionID, name); err != nil {
				return notFound(err, apierr.KeyPairNotFoundAttach)
			}
			if err := store.Delete[cloud.KeyPair](ctx, tx, name); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteKeyPairsResponse{}, nil
}

// DescribeKeyPairsRequest filters by name (with *), fingerprint, group and tags.
type DescribeKeyPairsRequest struct {
	RegionID, Name, Fingerprint, ResourceGroupID string
	IncludePublicKey                             bool
	Tags                                         []rpc.Tag
	PageNumber, PageSize                         int
}

// Bind implements rpc.Binder.
func (r *DescribeKeyPairsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.String("KeyPairName")
	r.Fingerprint = p.String("KeyPairFingerPrint")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.IncludePublicKey = p.Bool("IncludePublicKey", false)
	r.Tags = p.Tags("Tag")
	r.PageNumber, r.PageSize = paging(p, 10, 50)
}

// KeyPairItem is one key pair of DescribeKeyPairs.
type KeyPairItem struct {
	KeyPairName        string `json:"KeyPairName"`
	KeyPairFingerPrint string `json:"KeyPairFingerPrint"`
	CreationTime       string `json:"CreationTime"`
	ResourceGroupID    string `json:"ResourceGroupId"`
	PublicKey          string `json:"PublicKey,omitempty"`
	Tags               struct {
		Tag []TagItem `json:"Tag"`
	} `json:"Tags"`
}

// DescribeKeyPairsResponse pages KeyPairs.KeyPair[].
type DescribeKeyPairsResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	KeyPairs   struct {
		KeyPair []KeyPairItem `json:"KeyPair"`
	} `json:"KeyPairs"`
}

// DescribeKeyPairs lists the region's key pairs, oldest first.
func (s *Service) DescribeKeyPairs(ctx context.Context, call *rpc.Call, req *DescribeKeyPairsRequest) (*DescribeKeyPairsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var filters []store.Filter
	if req.Fingerprint != "" {
		filters = append(filters, store.Where(string(cloud.IdxFingerprint), req.Fingerprint))
	}
	if req.ResourceGroupID != "" {
		filters = append(filters, store.Where(string(cloud.IdxResourceGroup), req.ResourceGroupID))
	}
	for _, t := range req.Tags {
		if t.Value == "" {
			filters = append(filters, store.Where(string(cloud.IdxTagKey), t.Key))
		} else {
			filters = append(filters, store.Where(string(cloud.IdxTag), t.Key+"="+t.Value))
		}
	}
	var match []KeyPairItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.KeyPair](ctx, tx, req.RegionID, filters...)
		if err != nil {
			return err
		}
		for _, kp := range all {
			if req.Name != "" && !cloud.MatchKeyPairName(req.Name, kp.Name) {
				continue
			}
			item := KeyPairItem{KeyPairName: kp.Name, KeyPairFingerPrint: kp.Fingerprint,
				CreationTime: kp.Created.UTC().Format(time.RFC3339), ResourceGroupID: kp.ResourceGroup}
			if req.IncludePublicKey {
				item.PublicKey = kp.PublicKey
			}
			item.Tags.Tag = []TagItem{}
			for _, t := range kp.Tags {
				item.Tags.Tag = append(item.Tags.Tag, TagItem{TagKey: t.Key, TagValue: t.Value})
			}
			match = append(match, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeKeyPairsResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.KeyPairs.KeyPair = pageOf(match, req.PageNumber, req.PageSize)
	return resp, nil
}

// KeyPairBindingRequest is AttachKeyPair's and DetachKeyPair's parameters.
type KeyPairBindingRequest struct {
	RegionID, Name string
	InstanceIDs    []string
}

// Bind implements rpc.Binder.
func (r *KeyPairBindingRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.Required("KeyPairName")
	if p.Required("InstanceIds") == "" {
		return
	}
	r.InstanceIDs = p.JSONList("InstanceIds")
	if p.Err() == nil && (len(r.InstanceIDs) == 0 || len(r.InstanceIDs) > 50) {
		p.Fail(apierr.InvalidInstanceIDsValue.New())
	}
}

// BindingResult is one instance's outcome.
type BindingResult struct {
	InstanceID string `json:"InstanceId"`
	Success    string `json:"Success"`
	Code       string `json:"Code"`
	Message    string `json:"Message"`
}

// KeyPairBindingResponse counts the instances and answers each one's outcome.
type KeyPairBindingResponse struct {
	rpc.Base
	KeyPairName string `json:"KeyPairName"`
	TotalCount  string `json:"TotalCount"`
	FailCount   string `json:"FailCount"`
	Results     struct {
		Result []BindingResult `json:"Result"`
	} `json:"Results"`
}

// AttachKeyPair binds the key pair to Linux instances; it replaces any
// other key pair they had.
func (s *Service) AttachKeyPair(ctx context.Context, call *rpc.Call, req *KeyPairBindingRequest) (*KeyPairBindingResponse, error) {
	return s.bindKeyPair(ctx, call, req, true)
}

// DetachKeyPair unbinds the key pair from instances that have it.
func (s *Service) DetachKeyPair(ctx context.Context, call *rpc.Call, req *KeyPairBindingRequest) (*KeyPairBindingResponse, error) {
	return s.bindKeyPair(ctx, call, req, false)
}

// bindKeyPair answers per instance: a missing instance, or on detach one
// bound to another key pair, is a failed result, not an error of the call.
func (s *Service) bindKeyPair(ctx context.Context, call *rpc.Call, req *KeyPairBindingRequest, attach bool) (*KeyPairBindingResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &KeyPairBindingResponse{KeyPairName: req.Name}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		resp.Results.Result = []BindingResult{}
		if _, err := store.GetIn[cloud.KeyPair](ctx, tx, req.RegionID, req.Name); err != nil {
			return notFound(err, apierr.KeyPairNotFoundAttach)
		}
		fails := 0
		for _, id := range req.InstanceIDs {
			res := BindingResult{InstanceID: id, Success: "true", Code: "200", Message: "successful"}
			inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, id)
			switch {
			case errors.Is(err, store.ErrNotFound):
				e := apierr.InvalidInstanceIDNotFound.New()
				res.Success, res.Code, res.Message = "false", e.Code, e.Message
			case err != nil:
				return err
			case attach && inst.OSType == "windows":
				return apierr.KeyPairWindowsInstance.New()
			case !attach && inst.KeyPairName != req.Name:
				e := apierr.KeyPairNotFoundAttach.New()
				res.Success, res.Code, res.Message = "false", e.Code, e.Message
			default:
				inst.KeyPairName = ""
				if attach {
					inst.KeyPairName = req.Name
				}
				if err := store.Put(ctx, tx, inst); err != nil {
					return err
				}
			}
			if res.Success != "true" {
				fails++
			}
			resp.Results.Result = append(resp.Results.Result, res)
		}
		resp.TotalCount, resp.FailCount = strconv.Itoa(len(req.InstanceIDs)), strconv.Itoa(fails)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
