package ecs

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerActivations(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateActivation", s.CreateActivation)
	rpc.Handle(t, v, "DeleteActivation", s.DeleteActivation)
	rpc.Handle(t, v, "DescribeActivations", s.DescribeActivations)
	rpc.Handle(t, v, "DisableActivation", s.DisableActivation)
	rpc.Handle(t, v, "DescribeManagedInstances", s.DescribeManagedInstances)
	rpc.Handle(t, v, "ModifyManagedInstance", s.ModifyManagedInstance)
	rpc.Handle(t, v, "DeregisterManagedInstance", s.DeregisterManagedInstance)
}

// activationCode is a fresh code: 20 letters and digits.
func activationCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// ActivationItem is an activation code's use, as every activation action answers it.
type ActivationItem struct {
	ActivationID      string `json:"ActivationId"`
	CreationTime      string `json:"CreationTime"`
	Description       string `json:"Description"`
	InstanceCount     int    `json:"InstanceCount"`
	InstanceName      string `json:"InstanceName"`
	IPAddressRange    string `json:"IpAddressRange"`
	TimeToLiveInHours int64  `json:"TimeToLiveInHours"`
	RegisteredCount   int    `json:"RegisteredCount"`
	DeregisteredCount int    `json:"DeregisteredCount"`
	Disabled          *bool  `json:"Disabled,omitempty"`
}

func activationItem(a cloud.Activation, withDisabled bool) ActivationItem {
	item := ActivationItem{ActivationID: a.ID, CreationTime: apiTime(a.Created), Description: a.Description,
		InstanceCount: a.InstanceCount, InstanceName: a.InstanceName, IPAddressRange: a.IPRange, TimeToLiveInHours: a.TTLHours,
		RegisteredCount: a.Registered, DeregisteredCount: a.Deregistered}
	if withDisabled {
		item.Disabled = &a.Disabled
	}
	return item
}

// CreateActivationRequest is CreateActivation's parameters.
type CreateActivationRequest struct {
	RegionID, Description, InstanceName, IPRange, ResourceGroupID string
	InstanceCount                                                 int
	TTL                                                           int64
	Tags                                                          []rpc.Tag
	ClientToken, fingerprint                                      string
}

// Bind implements rpc.Binder.
func (r *CreateActivationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Description = p.String("Description")
	if len([]rune(r.Description)) > 100 {
		p.Fail(apierr.InvalidParameter.New("Description"))
	}
	r.InstanceCount = p.Int("InstanceCount", 10, 1, 1000)
	r.InstanceName = p.String("InstanceName")
	if len([]rune(r.InstanceName)) > 50 {
		p.Fail(apierr.InvalidParameter.New("InstanceName"))
	}
	r.IPRange = p.String("IpAddressRange")
	if r.IPRange == "" {
		r.IPRange = "0.0.0.0/0"
	} else if !cloud.ValidIPRange(r.IPRange) {
		p.Fail(apierr.InvalidParameter.New("IpAddressRange"))
	}
	r.TTL = int64(p.Int("TimeToLiveInHours", 4, 1, 876000))
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateActivationResponse carries the code, answered this once only.
type CreateActivationResponse struct {
	rpc.Base
	ActivationID   string `json:"ActivationId"`
	ActivationCode string `json:"ActivationCode"`
}

// CreateActivation makes an activation code that registers up to
// InstanceCount servers from IpAddressRange for TimeToLiveInHours.
func (s *Service) CreateActivation(ctx context.Context, call *rpc.Call, req *CreateActivationRequest) (*CreateActivationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateActivationResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		code := activationCode()
		a := cloud.Activation{ID: s.ids.RequestID(), Region: req.RegionID, CodeHash: cloud.HashActivationCode(code),
			Description: req.Description, InstanceCount: req.InstanceCount, InstanceName: req.InstanceName, IPRange: req.IPRange,
			TTLHours: req.TTL, ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags),
			Created: tx.Now()}
		if err := store.Put(ctx, tx, a); err != nil {
			return err
		}
		resp.ActivationID, resp.ActivationCode = a.ID, code
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ActivationRequest names one activation.
type ActivationRequest struct{ RegionID, ID string }

// Bind implements rpc.Binder.
func (r *ActivationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("ActivationId")
}

// ActivationResponse answers the activation acted on.
type ActivationResponse struct {
	rpc.Base
	Activation ActivationItem `json:"Activation"`
}

// changeActivation runs one change of an activation and answers it.
func (s *Service) changeActivation(ctx context.Context, call *rpc.Call, req *ActivationRequest, withDisabled bool,
	change func(tx store.Tx, a cloud.Activation) error) (*ActivationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ActivationResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		a, err := store.GetIn[cloud.Activation](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.ActivationNotFound)
		}
		if err := change(tx, a); err != nil {
			return err
		}
		if withDisabled {
			a.Disabled = true
		}
		resp.Activation = activationItem(a, withDisabled)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteActivationRequest names the activation.
type DeleteActivationRequest struct{ ActivationRequest }

// DeleteActivation removes a code no registered managed instance uses.
func (s *Service) DeleteActivation(ctx context.Context, call *rpc.Call, req *DeleteActivationRequest) (*ActivationResponse, error) {
	return s.changeActivation(ctx, call, &req.ActivationRequest, false, func(tx store.Tx, a cloud.Activation) error {
		if a.InUse() > 0 {
			return apierr.ActivationInUse.New()
		}
		return store.Delete[cloud.Activation](ctx, tx, a.ID)
	})
}

// DisableActivationRequest names the activation.
type DisableActivationRequest struct{ ActivationRequest }

// DisableActivation stops a code registering servers; registered ones stay.
func (s *Service) DisableActivation(ctx context.Context, call *rpc.Call, req *DisableActivationRequest) (*ActivationResponse, error) {
	return s.changeActivation(ctx, call, &req.ActivationRequest, true, func(tx store.Tx, a cloud.Activation) error {
		a.Disabled = true
		return store.Put(ctx, tx, a)
	})
}

// assistantPaging is PageNumber/PageSize or MaxResults/NextToken (offsets).
type assistantPaging struct {
	PageNumber, PageSize, MaxResults int
	Keyset                           bool
	Offset                           int64
}

func (a *assistantPaging) bind(p *rpc.Params) {
	a.PageNumber, a.PageSize = p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 10, 1, 50)
	if p.Has("MaxResults") || p.String("NextToken") != "" {
		a.Keyset = true
		a.MaxResults = p.Int("MaxResults", 10, 1, 50)
		a.Offset = nextToken(p)
	}
}

// cut answers the page of n matches and its NextToken.
func (a assistantPaging) cut(n int) (from, to int, next string) {
	if !a.Keyset {
		from = min((a.PageNumber-1)*a.PageSize, n)
		return from, min(from+a.PageSize, n), ""
	}
	return poolListParams{MaxResults: a.MaxResults, Offset: a.Offset}.page(n)
}

// DescribeActivationsRequest filters the region's activations.
type DescribeActivationsRequest struct {
	RegionID, ID, InstanceName, ResourceGroupID string
	TagF                                        []store.Filter
	assistantPaging
}

// Bind implements rpc.Binder.
func (r *DescribeActivationsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.String("ActivationId")
	r.InstanceName = p.String("InstanceName")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.TagF = tagFilters(p)
	r.assistantPaging.bind(p)
}

// ActivationListItem is one activation with its tags.
type ActivationListItem struct {
	ActivationItem
	ResourceGroupID string    `json:"ResourceGroupId"`
	Tags            []TagItem `json:"Tags"`
}

// DescribeActivationsResponse lists ActivationList[].
type DescribeActivationsResponse struct {
	rpc.Base
	TotalCount     int                  `json:"TotalCount"`
	PageNumber     int                  `json:"PageNumber"`
	PageSize       int                  `json:"PageSize"`
	NextToken      string               `json:"NextToken"`
	ActivationList []ActivationListItem `json:"ActivationList"`
}

// DescribeActivations lists activation codes (never the codes themselves).
func (s *Service) DescribeActivations(ctx context.Context, call *rpc.Call, req *DescribeActivationsRequest) (*DescribeActivationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	filters := slices.Clone(req.TagF)
	if req.InstanceName != "" {
		filters = append(filters, store.Where(string(cloud.IdxName), req.InstanceName))
	}
	if req.ResourceGroupID != "" {
		filters = append(filters, store.Where(string(cloud.IdxResourceGroup), req.ResourceGroupID))
	}
	resp := &DescribeActivationsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize, ActivationList: []ActivationListItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.Activation](ctx, tx, req.RegionID, filters...)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(a cloud.Activation) bool { return req.ID != "" && a.ID != req.ID })
		from, to, next := req.cut(len(all))
		resp.TotalCount, resp.NextToken = len(all), next
		for _, a := range all[from:to] {
			resp.ActivationList = append(resp.ActivationList, ActivationListItem{ActivationItem: activationItem(a, true),
				ResourceGroupID: a.ResourceGroup, Tags: tagItems(a.Tags)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ManagedInstanceItem is one managed instance.
type ManagedInstanceItem struct {
	InstanceID       string `json:"InstanceId"`
	InstanceName     string `json:"InstanceName"`
	ActivationID     string `json:"ActivationId"`
	Hostname         string `json:"Hostname"`
	MachineID        string `json:"MachineId"`
	IntranetIP       string `json:"IntranetIp"`
	InternetIP       string `json:"InternetIp"`
	OSType           string `json:"OsType"`
	OSVersion        string `json:"OsVersion"`
	AgentVersion     string `json:"AgentVersion"`
	RegistrationTime string `json:"RegistrationTime"`
	InvocationCount  int64  `json:"InvocationCount"`
	LastInvokedTime  string `json:"LastInvokedTime"`
	ResourceGroupID  string `json:"ResourceGroupId"`
}

func managedItem(m cloud.ManagedInstance) ManagedInstanceItem {
	return ManagedInstanceItem{InstanceID: m.ID, InstanceName: m.Name, ActivationID: m.ActivationID, Hostname: m.Hostname,
		MachineID: m.MachineID, IntranetIP: m.IntranetIP, InternetIP: m.InternetIP, OSType: m.OSType, OSVersion: m.OSVersion,
		AgentVersion: m.AgentVersion, RegistrationTime: apiTime(m.Registered), ResourceGroupID: m.ResourceGroup}
}

// DescribeManagedInstancesRequest filters the region's managed instances.
type DescribeManagedInstancesRequest struct {
	RegionID, ActivationID, Connected, IP, Name, MachineID, OSType, ResourceGroupID string
	IDs                                                                             []string
	TagF                                                                            []store.Filter
	assistantPaging
}

// Bind implements rpc.Binder.
func (r *DescribeManagedInstancesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ActivationID = p.String("ActivationId")
	r.Connected = p.Enum("Connected", "", "true", "false")
	r.IDs = p.List("InstanceId")
	r.IP = p.String("InstanceIp")
	r.Name = p.String("InstanceName")
	r.MachineID = p.String("MachineId")
	r.OSType = p.Enum("OsType", "", "windows", "linux", "freebsd")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.TagF = tagFilters(p)
	r.assistantPaging.bind(p)
}

// ManagedInstanceListItem is one managed instance with its state and tags.
type ManagedInstanceListItem struct {
	ManagedInstanceItem
	Connected bool      `json:"Connected"`
	Tags      []TagItem `json:"Tags"`
}

// DescribeManagedInstancesResponse lists Instances[].
type DescribeManagedInstancesResponse struct {
	rpc.Base
	TotalCount int                       `json:"TotalCount"`
	PageNumber int                       `json:"PageNumber"`
	PageSize   int                       `json:"PageSize"`
	NextToken  string                    `json:"NextToken"`
	Instances  []ManagedInstanceListItem `json:"Instances"`
}

// DescribeManagedInstances lists the registered servers; a registered
// server counts as connected (there is no agent to lose).
func (s *Service) DescribeManagedInstances(ctx context.Context, call *rpc.Call, req *DescribeManagedInstancesRequest) (*DescribeManagedInstancesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	filters := slices.Clone(req.TagF)
	for idx, v := range map[cloud.IndexName]string{cloud.IdxName: req.Name, cloud.IdxIP: req.IP, cloud.IdxResourceGroup: req.ResourceGroupID} {
		if v != "" {
			filters = append(filters, store.Where(string(idx), v))
		}
	}
	resp := &DescribeManagedInstancesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize, Instances: []ManagedInstanceListItem{}}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.ManagedInstance](ctx, tx, req.RegionID, filters...)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(m cloud.ManagedInstance) bool {
			return req.ActivationID != "" && m.ActivationID != req.ActivationID || len(req.IDs) > 0 && !slices.Contains(req.IDs, m.ID) ||
				req.MachineID != "" && m.MachineID != req.MachineID || req.OSType != "" && m.OSType != req.OSType ||
				req.Connected == "false"
		})
		from, to, next := req.cut(len(all))
		resp.TotalCount, resp.NextToken = len(all), next
		for _, m := range all[from:to] {
			resp.Instances = append(resp.Instances, ManagedInstanceListItem{ManagedInstanceItem: managedItem(m), Connected: true,
				Tags: tagItems(m.Tags)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyManagedInstanceRequest renames a managed instance.
type ModifyManagedInstanceRequest struct{ RegionID, ID, Name string }

// Bind implements rpc.Binder.
func (r *ModifyManagedInstanceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("InstanceId")
	r.Name = p.Required("InstanceName")
	if len([]rune(r.Name)) > 50 {
		p.Fail(apierr.InvalidParameter.New("InstanceName"))
	}
}

// ModifyManagedInstanceResponse answers the new name.
type ModifyManagedInstanceResponse struct {
	rpc.Base
	Instance struct {
		InstanceID   string `json:"InstanceId"`
		InstanceName string `json:"InstanceName"`
	} `json:"Instance"`
}

// ModifyManagedInstance renames a managed instance.
func (s *Service) ModifyManagedInstance(ctx context.Context, call *rpc.Call, req *ModifyManagedInstanceRequest) (*ModifyManagedInstanceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ModifyManagedInstanceResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		m, err := store.GetIn[cloud.ManagedInstance](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.ManagedInstanceNotFound)
		}
		m.Name = req.Name
		resp.Instance.InstanceID, resp.Instance.InstanceName = m.ID, m.Name
		return store.Put(ctx, tx, m)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeregisterManagedInstanceRequest names the managed instance.
type DeregisterManagedInstanceRequest struct {
	RegionID, ID             string
	ClientToken, fingerprint string
}

// Bind implements rpc.Binder.
func (r *DeregisterManagedInstanceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("InstanceId")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// DeregisterManagedInstanceResponse answers the instance deregistered.
type DeregisterManagedInstanceResponse struct {
	rpc.Base
	Instance ManagedInstanceItem `json:"Instance"`
}

// DeregisterManagedInstance removes a managed instance and counts it
// deregistered on its activation.
func (s *Service) DeregisterManagedInstance(ctx context.Context, call *rpc.Call, req *DeregisterManagedInstanceRequest) (*DeregisterManagedInstanceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DeregisterManagedInstanceResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		m, err := store.GetIn[cloud.ManagedInstance](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.ManagedInstanceNotFound)
		}
		a, err := store.GetIn[cloud.Activation](ctx, tx, req.RegionID, m.ActivationID)
		switch {
		case err == nil:
			a.Deregistered++
			if err := store.Put(ctx, tx, a); err != nil {
				return err
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		resp.Instance = managedItem(m)
		if err := store.Delete[cloud.ManagedInstance](ctx, tx, m.ID); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
