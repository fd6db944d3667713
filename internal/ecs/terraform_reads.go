package ecs

// The read actions the alicloud Terraform provider calls on every refresh of
// an alicloud_instance besides DescribeInstances and DescribeInstanceAttribute.
// Each answers from the stored instance: what ecslocal cannot configure (RAM
// roles, maintenance policies, private pools) reads as the state a new real
// instance has.

import (
	"cmp"
	"context"
	"strconv"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerTerraformReads(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "DescribeUserData", s.DescribeUserData)
	rpc.Handle(t, v, "DescribeInstanceRamRole", s.DescribeInstanceRamRole)
	rpc.Handle(t, v, "DescribeInstanceMaintenanceAttributes", s.DescribeInstanceMaintenanceAttributes)
	rpc.Handle(t, v, "DescribeInstanceAutoRenewAttribute", s.DescribeInstanceAutoRenewAttribute)
	rpc.Handle(t, v, "DescribeInstanceAttachmentAttributes", s.DescribeInstanceAttachmentAttributes)
	rpc.Handle(t, v, "DescribeInstanceHistoryEvents", s.DescribeInstanceHistoryEvents)
}

// instancesIn loads the named instances of region, in the order given; an
// unknown id, or one of another region, is InvalidInstanceId.NotFound. No ids
// lists every instance of the region.
func instancesIn(ctx context.Context, tx store.Tx, region string, ids []string) ([]cloud.Instance, error) {
	if len(ids) == 0 {
		return store.All[cloud.Instance](ctx, tx, region)
	}
	out := make([]cloud.Instance, 0, len(ids))
	for _, id := range ids {
		i, err := store.GetIn[cloud.Instance](ctx, tx, region, id)
		if err != nil {
			return nil, notFound(err, apierr.InvalidInstanceIDNotFound)
		}
		out = append(out, i)
	}
	return out, nil
}

// DescribeUserDataRequest names one instance.
type DescribeUserDataRequest struct{ RegionID, InstanceID string }

// Bind implements rpc.Binder.
func (r *DescribeUserDataRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
}

// DescribeUserDataResponse carries the Base64 user data, "" when none.
type DescribeUserDataResponse struct {
	rpc.Base
	RegionID   string `json:"RegionId"`
	InstanceID string `json:"InstanceId"`
	UserData   string `json:"UserData"`
}

// DescribeUserData answers the user data the instance was launched with.
func (s *Service) DescribeUserData(ctx context.Context, call *rpc.Call, req *DescribeUserDataRequest) (*DescribeUserDataResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeUserDataResponse{RegionID: req.RegionID, InstanceID: req.InstanceID}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, err := instancesIn(ctx, tx, req.RegionID, []string{req.InstanceID})
		if err != nil {
			return err
		}
		resp.UserData = list[0].UserData
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceRamRoleRequest names up to 100 instances as a JSON array.
type DescribeInstanceRamRoleRequest struct {
	RegionID, RamRoleName string
	IDs                   []string
	PageNumber, PageSize  int
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceRamRoleRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	p.Required("InstanceIds") // required by the official definition
	r.IDs = p.JSONList("InstanceIds")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidInstanceIDsTooMany.New())
	}
	r.RamRoleName = p.String("RamRoleName")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// InstanceRAMRoleSet is one instance and the RAM role attached to it.
type InstanceRAMRoleSet struct {
	InstanceID  string `json:"InstanceId"`
	RAMRoleName string `json:"RamRoleName"`
}

// DescribeInstanceRamRoleResponse wraps InstanceRamRoleSets.InstanceRamRoleSet[].
type DescribeInstanceRamRoleResponse struct {
	rpc.Base
	RegionID            string `json:"RegionId"`
	TotalCount          int    `json:"TotalCount"`
	InstanceRAMRoleSets struct {
		InstanceRAMRoleSet []InstanceRAMRoleSet `json:"InstanceRamRoleSet"`
	} `json:"InstanceRamRoleSets"`
}

// DescribeInstanceRamRole lists the named instances that carry a RAM role
// (only those with RamRoleName when given); the instances must exist.
func (s *Service) DescribeInstanceRamRole(ctx context.Context, call *rpc.Call, req *DescribeInstanceRamRoleRequest) (*DescribeInstanceRamRoleResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceRamRoleResponse{RegionID: req.RegionID}
	resp.InstanceRAMRoleSets.InstanceRAMRoleSet = []InstanceRAMRoleSet{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		insts, err := instancesIn(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		var sets []InstanceRAMRoleSet
		for _, i := range insts {
			if i.RAMRoleName != "" && (req.RamRoleName == "" || strings.EqualFold(i.RAMRoleName, req.RamRoleName)) {
				sets = append(sets, InstanceRAMRoleSet{InstanceID: i.ID, RAMRoleName: i.RAMRoleName})
			}
		}
		resp.TotalCount = len(sets)
		from := min((req.PageNumber-1)*req.PageSize, len(sets))
		resp.InstanceRAMRoleSets.InstanceRAMRoleSet = append(resp.InstanceRAMRoleSets.InstanceRAMRoleSet, sets[from:min(from+req.PageSize, len(sets))]...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceMaintenanceAttributesRequest takes InstanceId.N.
type DescribeInstanceMaintenanceAttributesRequest struct {
	RegionID             string
	IDs                  []string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceMaintenanceAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("InstanceId")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("InstanceId"))
	}
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// MaintenanceWindow is one daily window, as UTC times of day.
type MaintenanceWindow struct {
	StartTime string `json:"StartTime"`
	EndTime   string `json:"EndTime"`
}

// MaintenanceAttribute is one instance's maintenance policy.
type MaintenanceAttribute struct {
	InstanceID          string `json:"InstanceId"`
	NotifyOnMaintenance bool   `json:"NotifyOnMaintenance"`
	ActionOnMaintenance struct {
		Value           string `json:"Value"`
		DefaultValue    string `json:"DefaultValue"`
		SupportedValues struct {
			SupportedValue []string `json:"SupportedValue"`
		} `json:"SupportedValues"`
	} `json:"ActionOnMaintenance"`
	MaintenanceWindows struct {
		MaintenanceWindow []MaintenanceWindow `json:"MaintenanceWindow"`
	} `json:"MaintenanceWindows"`
}

// DescribeInstanceMaintenanceAttributesResponse wraps MaintenanceAttributes.MaintenanceAttribute[].
type DescribeInstanceMaintenanceAttributesResponse struct {
	rpc.Base
	TotalCount            int `json:"TotalCount"`
	PageNumber            int `json:"PageNumber"`
	PageSize              int `json:"PageSize"`
	MaintenanceAttributes struct {
		MaintenanceAttribute []MaintenanceAttribute `json:"MaintenanceAttribute"`
	} `json:"MaintenanceAttributes"`
}

// maintenanceOf is the instance's maintenance policy: as
// ModifyInstanceMaintenanceAttributes set it, else the default (recover
// automatically, no notice, no window).
func maintenanceOf(i cloud.Instance) MaintenanceAttribute {
	m := MaintenanceAttribute{InstanceID: i.ID}
	m.ActionOnMaintenance.Value, m.ActionOnMaintenance.DefaultValue = "AutoRecover", "AutoRecover"
	m.ActionOnMaintenance.SupportedValues.SupportedValue = []string{"Stop", "AutoRecover", "AutoRedeploy"}
	m.MaintenanceWindows.MaintenanceWindow = []MaintenanceWindow{}
	if p := i.Tail.Maintenance; p != nil {
		m.ActionOnMaintenance.Value, m.NotifyOnMaintenance = p.Action, p.Notify
		for _, w := range p.Windows {
			m.MaintenanceWindows.MaintenanceWindow = append(m.MaintenanceWindows.MaintenanceWindow, MaintenanceWindow{StartTime: w.Start, EndTime: w.End})
		}
	}
	return m
}

// DescribeInstanceMaintenanceAttributes lists the maintenance policies.
func (s *Service) DescribeInstanceMaintenanceAttributes(ctx context.Context, call *rpc.Call, req *DescribeInstanceMaintenanceAttributesRequest) (*DescribeInstanceMaintenanceAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceMaintenanceAttributesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.MaintenanceAttributes.MaintenanceAttribute = []MaintenanceAttribute{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, err := instancesIn(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		resp.TotalCount = len(list)
		for _, i := range pageOf(list, req.PageNumber, req.PageSize) {
			resp.MaintenanceAttributes.MaintenanceAttribute = append(resp.MaintenanceAttributes.MaintenanceAttribute, maintenanceOf(i))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceAutoRenewAttributeRequest takes InstanceId as up to 100
// comma-separated ids.
type DescribeInstanceAutoRenewAttributeRequest struct {
	RegionID, RenewalStatus string
	IDs                     []string
	PageNumber, PageSize    int
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceAutoRenewAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	for _, id := range strings.Split(p.String("InstanceId"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			r.IDs = append(r.IDs, id)
		}
	}
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("InstanceId"))
	}
	r.RenewalStatus = p.Enum("RenewalStatus", "", "AutoRenewal", "Normal", "NotRenewal")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// InstanceRenewAttribute is one subscription's renewal setting.
type InstanceRenewAttribute struct {
	InstanceID       string `json:"InstanceId"`
	AutoRenewEnabled bool   `json:"AutoRenewEnabled"`
	Duration         int    `json:"Duration"`
	PeriodUnit       string `json:"PeriodUnit"`
	RenewalStatus    string `json:"RenewalStatus"`
}

// DescribeInstanceAutoRenewAttributeResponse wraps InstanceRenewAttributes.InstanceRenewAttribute[].
type DescribeInstanceAutoRenewAttributeResponse struct {
	rpc.Base
	TotalCount              int `json:"TotalCount"`
	PageNumber              int `json:"PageNumber"`
	PageSize                int `json:"PageSize"`
	InstanceRenewAttributes struct {
		InstanceRenewAttribute []InstanceRenewAttribute `json:"InstanceRenewAttribute"`
	} `json:"InstanceRenewAttributes"`
}

// renewOf is the renewal setting of a subscription instance: auto-renewal
// renews by the purchased period; a pay-as-you-go instance is never renewed.
func renewOf(i cloud.Instance) InstanceRenewAttribute {
	a := InstanceRenewAttribute{InstanceID: i.ID, PeriodUnit: "Month", RenewalStatus: "Normal"}
	if i.ChargeType != cloud.PrePaid {
		a.RenewalStatus = "NotRenewal"
		return a
	}
	if i.PeriodUnit != "" {
		a.PeriodUnit = i.PeriodUnit
	}
	if i.AutoRenew {
		a.AutoRenewEnabled, a.Duration, a.RenewalStatus = true, max(i.Period, 1), "AutoRenewal"
	}
	if i.Tail.RenewDuration > 0 {
		a.Duration, a.PeriodUnit = i.Tail.RenewDuration, i.Tail.RenewUnit
	}
	if i.Tail.NotRenewal {
		a.RenewalStatus = "NotRenewal"
	}
	return a
}

// DescribeInstanceAutoRenewAttribute lists renewal settings; only
// subscription instances are listed when no id is named.
func (s *Service) DescribeInstanceAutoRenewAttribute(ctx context.Context, call *rpc.Call, req *DescribeInstanceAutoRenewAttributeRequest) (*DescribeInstanceAutoRenewAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceAutoRenewAttributeResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.InstanceRenewAttributes.InstanceRenewAttribute = []InstanceRenewAttribute{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, err := instancesIn(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		var attrs []InstanceRenewAttribute
		for _, i := range list {
			if len(req.IDs) == 0 && i.ChargeType != cloud.PrePaid {
				continue
			}
			a := renewOf(i)
			if req.RenewalStatus == "" || req.RenewalStatus == a.RenewalStatus {
				attrs = append(attrs, a)
			}
		}
		resp.TotalCount = len(attrs)
		resp.InstanceRenewAttributes.InstanceRenewAttribute = pageOf(attrs, req.PageNumber, req.PageSize)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceAttachmentAttributesRequest names instances as a JSON array.
type DescribeInstanceAttachmentAttributesRequest struct {
	RegionID             string
	IDs                  []string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceAttachmentAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	p.Required("InstanceIds") // required by the official definition
	r.IDs = p.JSONList("InstanceIds")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidInstanceIDsTooMany.New())
	}
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// InstanceAttachmentAttribute is the private pool an instance draws from.
type InstanceAttachmentAttribute struct {
	InstanceID                      string `json:"InstanceId"`
	PrivatePoolOptionsID            string `json:"PrivatePoolOptionsId"`
	PrivatePoolOptionsMatchCriteria string `json:"PrivatePoolOptionsMatchCriteria"`
}

// DescribeInstanceAttachmentAttributesResponse wraps Instances.Instance[].
type DescribeInstanceAttachmentAttributesResponse struct {
	rpc.Base
	TotalCount int `json:"TotalCount"`
	PageNumber int `json:"PageNumber"`
	PageSize   int `json:"PageSize"`
	Instances  struct {
		Instance []InstanceAttachmentAttribute `json:"Instance"`
	} `json:"Instances"`
}

// DescribeInstanceAttachmentAttributes shows private-pool matching. ecslocal
// has no private pools (elasticity assurances, capacity reservations), so
// every instance is open to matching and draws from none. Unknown ids are
// simply absent, as in DescribeInstances.
func (s *Service) DescribeInstanceAttachmentAttributes(ctx context.Context, call *rpc.Call, req *DescribeInstanceAttachmentAttributesRequest) (*DescribeInstanceAttachmentAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceAttachmentAttributesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Instances.Instance = []InstanceAttachmentAttribute{}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.Instance](ctx, tx, q)
		resp.TotalCount = page.Total
		for _, i := range list {
			resp.Instances.Instance = append(resp.Instances.Instance, InstanceAttachmentAttribute{InstanceID: i.ID, PrivatePoolOptionsMatchCriteria: cmp.Or(i.Tail.PrivatePoolMatch, "Open")})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInstanceHistoryEventsRequest filters system events.
type DescribeInstanceHistoryEventsRequest struct {
	RegionID, InstanceID, EventType, ResourceType string
	ResourceIDs                                   []string
	PageNumber, PageSize                          int
}

// Bind implements rpc.Binder. ResourceId.N is read from N = 0: the alicloud
// provider numbers it from 0, which the real API accepts.
func (r *DescribeInstanceHistoryEventsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.String("InstanceId")
	r.EventType = p.String("EventType")
	r.ResourceType = p.Enum("ResourceType", "instance", "instance", "ddh", "managehost")
	for k, v := range p.Values() {
		n, ok := strings.CutPrefix(k, "ResourceId.")
		if !ok || v == "" {
			continue
		}
		if i, err := strconv.Atoi(n); err != nil || i < 0 || i > 100 {
			p.Fail(apierr.InvalidParameter.New(k))
			continue
		}
		r.ResourceIDs = append(r.ResourceIDs, v)
	}
	r.PageNumber, r.PageSize = paging(p, 10, 100)
	p.Int("MaxResults", 10, 1, 100)
}

// InstanceSystemEvent is one system event of an instance.
type InstanceSystemEvent struct {
	EventID          string `json:"EventId"`
	InstanceID       string `json:"InstanceId"`
	ResourceType     string `json:"ResourceType"`
	EventPublishTime string `json:"EventPublishTime"`
	NotBefore        string `json:"NotBefore"`
	EventFinishTime  string `json:"EventFinishTime"`
	Reason           string `json:"Reason"`
	ReasonCode       string `json:"ReasonCode"`
	ImpactLevel      string `json:"ImpactLevel"`
	EventType        struct {
		Name string `json:"Name"`
		Code int    `json:"Code"`
	} `json:"EventType"`
	EventCycleStatus struct {
		Name string `json:"Name"`
		Code int    `json:"Code"`
	} `json:"EventCycleStatus"`
}

// DescribeInstanceHistoryEventsResponse wraps InstanceSystemEventSet.InstanceSystemEventType[].
type DescribeInstanceHistoryEventsResponse struct {
	rpc.Base
	TotalCount             int    `json:"TotalCount"`
	PageNumber             int    `json:"PageNumber"`
	PageSize               int    `json:"PageSize"`
	NextToken              string `json:"NextToken"`
	InstanceSystemEventSet struct {
		InstanceSystemEventType []InstanceSystemEvent `json:"InstanceSystemEventType"`
	} `json:"InstanceSystemEventSet"`
}

// DescribeInstanceHistoryEvents lists system events (maintenance, failures,
// SystemFailure.Delete …). ecslocal's instances never meet one, so the set
// is empty; unknown instance ids are no error, as for the real filter.
func (s *Service) DescribeInstanceHistoryEvents(ctx context.Context, call *rpc.Call, req *DescribeInstanceHistoryEventsRequest) (*DescribeInstanceHistoryEventsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceHistoryEventsResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.InstanceSystemEventSet.InstanceSystemEventType = []InstanceSystemEvent{}
	return resp, nil
}
