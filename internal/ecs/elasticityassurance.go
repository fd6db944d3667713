package ecs

import (
	"context"
	"slices"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerElasticityAssurances(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateElasticityAssurance", s.CreateElasticityAssurance)
	rpc.Handle(t, v, "DescribeElasticityAssurances", s.DescribeElasticityAssurances)
	rpc.Handle(t, v, "DescribeElasticityAssuranceInstances", s.DescribeElasticityAssuranceInstances)
	rpc.Handle(t, v, "ModifyElasticityAssurance", s.ModifyElasticityAssurance)
	rpc.Handle(t, v, "ModifyElasticityAssuranceAutoRenewAttribute", s.ModifyElasticityAssuranceAutoRenewAttribute)
	rpc.Handle(t, v, "DescribeElasticityAssuranceAutoRenewAttribute", s.DescribeElasticityAssuranceAutoRenewAttribute)
	rpc.Handle(t, v, "RenewElasticityAssurances", s.RenewElasticityAssurances)
	rpc.Handle(t, v, "PurchaseElasticityAssurance", s.PurchaseElasticityAssurance)
}

// eaPeriodValid: Month 1 to 12 or Year 1 to 5, the assurance's periods.
func eaPeriodValid(period int, unit string) bool {
	switch unit {
	case "Month":
		return period >= 1 && period <= 12
	case "Year":
		return period >= 1 && period <= 5
	}
	return false
}

// refuseRecurrence refuses RecurrenceRules: time-divided assurances are not
// modelled, and ignoring the rules would assure capacity they exclude.
func refuseRecurrence(p *rpc.Params) {
	for _, o := range p.Objects("RecurrenceRules") {
		rule := o.String("RecurrenceType") + o.String("RecurrenceValue") + o.String("StartHour") + o.String("EndHour")
		if rule != "" {
			p.Fail(apierr.InvalidParameter.New("RecurrenceRules"))
		}
	}
}

// CreateElasticityAssuranceRequest is CreateElasticityAssurance's parameters.
type CreateElasticityAssuranceRequest struct {
	RegionID, ZoneID, Criteria, Name, Description, PeriodUnit string
	StartTime, AssuranceTimes, ResourceGroupID                string
	Types                                                     []string
	Amount, Period, AutoRenewPeriod                           int
	AutoRenew                                                 bool
	Tags                                                      []rpc.Tag
	ClientToken, fingerprint                                  string
}

// Bind implements rpc.Binder.
func (r *CreateElasticityAssuranceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = oneZone(p)
	r.Types = p.List("InstanceType")
	if len(r.Types) == 0 {
		p.Fail(apierr.MissingParameter.New("InstanceType"))
	} else if len(r.Types) > 5 {
		p.Fail(apierr.InvalidParameter.New("InstanceType"))
	}
	r.Amount = p.Int("InstanceAmount", 1, 1, 1000)
	p.Int("InstanceCpuCoreCount", 0, 1, 1<<20)
	o := p.Object("PrivatePoolOptions")
	r.Criteria = o.Enum("MatchCriteria", cloud.MatchOpen, cloud.MatchOpen, cloud.MatchTarget)
	r.Name = o.String("Name")
	r.Description = p.String("Description")
	r.PeriodUnit = p.Enum("PeriodUnit", "Year", "Month", "Year")
	r.Period = p.Int("Period", 1, 1, 1000)
	r.AutoRenew = p.Bool("AutoRenew", false)
	r.AutoRenewPeriod = p.Int("AutoRenewPeriod", 1, 1, 60)
	r.StartTime = p.String("StartTime")
	r.AssuranceTimes = p.String("AssuranceTimes")
	if r.AssuranceTimes == "" {
		r.AssuranceTimes = "Unlimited"
	} else if r.AssuranceTimes != "Unlimited" {
		p.Fail(apierr.InvalidParameter.New("AssuranceTimes"))
	}
	refuseRecurrence(p)
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateElasticityAssuranceResponse names the assurance and its (free) order.
type CreateElasticityAssuranceResponse struct {
	rpc.Base
	OrderID              string `json:"OrderId"`
	PrivatePoolOptionsID string `json:"PrivatePoolOptionsId"`
}

// CreateElasticityAssurance buys a subscription of assured capacity:
// Prepared until its start, Active for Period, then released.
func (s *Service) CreateElasticityAssurance(ctx context.Context, call *rpc.Call, req *CreateElasticityAssuranceRequest) (*CreateElasticityAssuranceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	for _, t := range req.Types {
		if err := s.checkPoolType(req.RegionID, req.ZoneID, t); err != nil {
			return nil, err
		}
	}
	if !eaPeriodValid(req.Period, req.PeriodUnit) {
		return nil, apierr.InvalidPeriod.New()
	}
	resp := &CreateElasticityAssuranceResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		now := tx.Now()
		start, _, err := poolTimes(req.StartTime, "", "Unlimited", now)
		if err != nil {
			return err
		}
		status := cloud.PoolActive
		if start.After(now) {
			status = cloud.PoolPrepared
		}
		a := cloud.ElasticityAssurance{PrivatePool: cloud.PrivatePool{ID: s.ids.ID("eap", req.RegionID), Region: req.RegionID,
			Zone: req.ZoneID, Name: req.Name, Description: req.Description, InstanceTypes: slices.Compact(slices.Clone(req.Types)),
			Amount: req.Amount, Platform: "linux", MatchCriteria: req.Criteria, Status: status, Start: start,
			End:           cloud.AddPeriod(start, req.Period, req.PeriodUnit),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags), Created: now},
			Period: req.Period, PeriodUnit: req.PeriodUnit, AssuranceTimes: req.AssuranceTimes, RenewalStatus: "Normal"}
		if req.AutoRenew {
			a.AutoRenew, a.AutoRenewPeriod, a.RenewalStatus = true, req.AutoRenewPeriod, "AutoRenewal"
		}
		if err := store.Put(ctx, tx, a); err != nil {
			return err
		}
		resp.PrivatePoolOptionsID, resp.OrderID = a.ID, s.ids.Digits(15)
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ElasticityAssuranceResource is one assured type.
type ElasticityAssuranceResource struct {
	InstanceType              string `json:"InstanceType"`
	ZoneID                    string `json:"zoneId"` // lower-case, as the answer model has it
	TotalAmount               int    `json:"TotalAmount"`
	UsedAmount                int    `json:"UsedAmount"`
	AvailableAmount           int    `json:"AvailableAmount"`
	ElasticityAssuranceUsages struct {
		ElasticityAssuranceUsage []PoolUsage `json:"ElasticityAssuranceUsage"`
	} `json:"ElasticityAssuranceUsages"`
}

// ElasticityAssuranceItem is one assurance.
type ElasticityAssuranceItem struct {
	PrivatePoolOptionsID            string `json:"PrivatePoolOptionsId"`
	PrivatePoolOptionsName          string `json:"PrivatePoolOptionsName"`
	PrivatePoolOptionsMatchCriteria string `json:"PrivatePoolOptionsMatchCriteria"`
	Description                     string `json:"Description"`
	RegionID                        string `json:"RegionId"`
	Status                          string `json:"Status"`
	InstanceChargeType              string `json:"InstanceChargeType"`
	PackageType                     string `json:"PackageType"`
	StartTime                       string `json:"StartTime"`
	StartTimeType                   string `json:"StartTimeType"`
	LatestStartTime                 string `json:"LatestStartTime"`
	EndTime                         string `json:"EndTime"`
	TotalAssuranceTimes             string `json:"TotalAssuranceTimes"`
	UsedAssuranceTimes              int    `json:"UsedAssuranceTimes"`
	ResourceGroupID                 string `json:"ResourceGroupId"`
	AllocatedResources              struct {
		AllocatedResource []ElasticityAssuranceResource `json:"AllocatedResource"`
	} `json:"AllocatedResources"`
	Tags struct {
		Tag []TagItem `json:"Tag"`
	} `json:"Tags"`
}

// DescribeElasticityAssurancesRequest filters the region's assurances.
type DescribeElasticityAssurancesRequest struct {
	poolListParams
	PackageType string
}

// Bind implements rpc.Binder.
func (r *DescribeElasticityAssurancesRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.PackageType = p.String("PackageType")
}

// DescribeElasticityAssurancesResponse pages ElasticityAssuranceSet.ElasticityAssuranceItem[].
type DescribeElasticityAssurancesResponse struct {
	rpc.Base
	TotalCount             int    `json:"TotalCount"`
	MaxResults             int    `json:"MaxResults"`
	NextToken              string `json:"NextToken"`
	ElasticityAssuranceSet struct {
		ElasticityAssuranceItem []ElasticityAssuranceItem `json:"ElasticityAssuranceItem"`
	} `json:"ElasticityAssuranceSet"`
}

// DescribeElasticityAssurances lists assurances with their use.
func (s *Service) DescribeElasticityAssurances(ctx context.Context, call *rpc.Call, req *DescribeElasticityAssurancesRequest) (*DescribeElasticityAssurancesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeElasticityAssurancesResponse{MaxResults: req.MaxResults}
	resp.ElasticityAssuranceSet.ElasticityAssuranceItem = []ElasticityAssuranceItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.ElasticityAssurance](ctx, tx, req.RegionID, req.filters()...)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(a cloud.ElasticityAssurance) bool {
			return len(req.IDs) > 0 && !slices.Contains(req.IDs, a.ID) || req.Platform != "" && req.Platform != a.Platform ||
				req.ChargeType != "" && req.ChargeType != cloud.PrePaid || req.PackageType != "" && req.PackageType != "Normal"
		})
		from, to, next := req.page(len(all))
		resp.TotalCount, resp.NextToken = len(all), next
		for _, a := range all[from:to] {
			item := ElasticityAssuranceItem{PrivatePoolOptionsID: a.ID, PrivatePoolOptionsName: a.Name,
				PrivatePoolOptionsMatchCriteria: a.MatchCriteria, Description: a.Description, RegionID: a.Region, Status: a.Status,
				InstanceChargeType: cloud.PrePaid, PackageType: "Normal", StartTime: poolTime(a.Start), StartTimeType: "Now",
				LatestStartTime: poolTime(a.Start), EndTime: poolTime(a.End), TotalAssuranceTimes: a.AssuranceTimes,
				ResourceGroupID: a.ResourceGroup}
			if a.Start.After(a.Created) {
				item.StartTimeType = "Specified"
			}
			for _, t := range a.InstanceTypes {
				used := a.Used(t)
				res := ElasticityAssuranceResource{InstanceType: t, ZoneID: a.Zone, TotalAmount: a.Amount, UsedAmount: used,
					AvailableAmount: a.Amount - used}
				res.ElasticityAssuranceUsages.ElasticityAssuranceUsage = []PoolUsage{{AccountID: call.Account, ServiceName: "ecs", UsedAmount: used}}
				item.AllocatedResources.AllocatedResource = append(item.AllocatedResources.AllocatedResource, res)
			}
			item.Tags.Tag = tagItems(a.Tags)
			resp.ElasticityAssuranceSet.ElasticityAssuranceItem = append(resp.ElasticityAssuranceSet.ElasticityAssuranceItem, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeElasticityAssuranceInstancesRequest names the assurance.
type DescribeElasticityAssuranceInstancesRequest struct{ poolInstancesParams }

// Bind implements rpc.Binder.
func (r *DescribeElasticityAssuranceInstancesRequest) Bind(p *rpc.Params) { r.bind(p) }

// DescribeElasticityAssuranceInstancesResponse pages the instances.
type DescribeElasticityAssuranceInstancesResponse struct {
	rpc.Base
	TotalCount              int    `json:"TotalCount"`
	MaxResults              int    `json:"MaxResults"`
	NextToken               string `json:"NextToken"`
	ElasticityAssuranceItem struct {
		InstanceIDSet []PoolInstance `json:"InstanceIdSet"`
	} `json:"ElasticityAssuranceItem"`
}

// DescribeElasticityAssuranceInstances lists the instances that took the assurance.
func (s *Service) DescribeElasticityAssuranceInstances(ctx context.Context, call *rpc.Call, req *DescribeElasticityAssuranceInstancesRequest) (*DescribeElasticityAssuranceInstancesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeElasticityAssuranceInstancesResponse{MaxResults: req.MaxResults}
	var err error
	resp.ElasticityAssuranceItem.InstanceIDSet, resp.TotalCount, resp.NextToken, err = poolMembers(ctx, s, call, req.poolInstancesParams,
		apierr.ElasticityAssuranceNotFound, func(a cloud.ElasticityAssurance) []cloud.PoolMember { return a.Members })
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyElasticityAssuranceRequest changes the name, description or amount.
type ModifyElasticityAssuranceRequest struct {
	RegionID, ID             string
	Name, Description        *string
	Amount                   *int
	ClientToken, fingerprint string
}

// Bind implements rpc.Binder.
func (r *ModifyElasticityAssuranceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	o := p.Object("PrivatePoolOptions")
	r.ID = o.Required("Id")
	if o.Has("Name") {
		v := o.String("Name")
		r.Name = &v
	}
	r.Description = optString(p, "Description")
	r.Amount = p.OptInt("InstanceAmount", 1, 1000)
	refuseRecurrence(p)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// ModifyElasticityAssuranceResponse is RequestId only.
type ModifyElasticityAssuranceResponse struct{ rpc.Base }

// ModifyElasticityAssurance changes the attributes; the amount never below
// what the instances use.
func (s *Service) ModifyElasticityAssurance(ctx context.Context, call *rpc.Call, req *ModifyElasticityAssuranceRequest) (*ModifyElasticityAssuranceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ModifyElasticityAssuranceResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		a, err := store.GetIn[cloud.ElasticityAssurance](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.ElasticityAssuranceNotFound)
		}
		if req.Amount != nil {
			for _, t := range a.InstanceTypes {
				if *req.Amount < a.Used(t) {
					return apierr.CapacityReservationShrink.New()
				}
			}
			a.Amount = *req.Amount
		}
		rename(&a.Name, &a.Description, req.Name, req.Description)
		if err := store.Put(ctx, tx, a); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// assurancesOf reads the assurances named, refusing an unknown one.
func assurancesOf(ctx context.Context, tx store.Tx, region string, ids []string) ([]cloud.ElasticityAssurance, error) {
	if len(ids) == 0 {
		return store.All[cloud.ElasticityAssurance](ctx, tx, region)
	}
	out := make([]cloud.ElasticityAssurance, 0, len(ids))
	for _, id := range ids {
		a, err := store.GetIn[cloud.ElasticityAssurance](ctx, tx, region, id)
		if err != nil {
			return nil, notFound(err, apierr.ElasticityAssuranceNotFound)
		}
		out = append(out, a)
	}
	return out, nil
}

// ModifyElasticityAssuranceAutoRenewAttributeRequest sets the renewal.
type ModifyElasticityAssuranceAutoRenewAttributeRequest struct {
	RegionID, PeriodUnit, RenewalStatus string
	IDs                                 []string
	Period                              *int
}

// Bind implements rpc.Binder.
func (r *ModifyElasticityAssuranceAutoRenewAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.Object("PrivatePoolOptions").List("Id")
	if len(r.IDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("PrivatePoolOptions.Id.1"))
	}
	r.Period = p.OptInt("Period", 1, 60)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Year")
	r.RenewalStatus = p.Enum("RenewalStatus", "", "AutoRenewal", "Normal")
}

// ModifyElasticityAssuranceAutoRenewAttributeResponse is RequestId only.
type ModifyElasticityAssuranceAutoRenewAttributeResponse struct{ rpc.Base }

// ModifyElasticityAssuranceAutoRenewAttribute turns auto-renewal on or off.
func (s *Service) ModifyElasticityAssuranceAutoRenewAttribute(ctx context.Context, call *rpc.Call, req *ModifyElasticityAssuranceAutoRenewAttributeRequest) (*ModifyElasticityAssuranceAutoRenewAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		list, err := assurancesOf(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, a := range list {
			if req.RenewalStatus != "" {
				a.RenewalStatus, a.AutoRenew = req.RenewalStatus, req.RenewalStatus == "AutoRenewal"
			}
			if req.Period != nil {
				a.AutoRenewPeriod = *req.Period
				if req.PeriodUnit == "Year" {
					a.AutoRenewPeriod = *req.Period * 12
				}
			}
			if a.AutoRenew && a.AutoRenewPeriod == 0 {
				return apierr.MissingParameter.New("Period")
			}
			if err := store.Put(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ModifyElasticityAssuranceAutoRenewAttributeResponse{}, nil
}

// DescribeElasticityAssuranceAutoRenewAttributeRequest names the assurances (none: all).
type DescribeElasticityAssuranceAutoRenewAttributeRequest struct {
	RegionID string
	IDs      []string
}

// Bind implements rpc.Binder.
func (r *DescribeElasticityAssuranceAutoRenewAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.Object("PrivatePoolOptions").List("Id")
}

// AssuranceRenewItem is one assurance's renewal; Period is in months.
type AssuranceRenewItem struct {
	PrivatePoolOptionsID string `json:"PrivatePoolOptionsId"`
	RenewalStatus        string `json:"RenewalStatus"`
	Period               int    `json:"Period"`
	PeriodUnit           string `json:"PeriodUnit"`
}

// DescribeElasticityAssuranceAutoRenewAttributeResponse lists the renewals.
type DescribeElasticityAssuranceAutoRenewAttributeResponse struct {
	rpc.Base
	ElasticityAssuranceRenewAttributes struct {
		ElasticityAssuranceRenewAttribute []AssuranceRenewItem `json:"ElasticityAssuranceRenewAttribute"`
	} `json:"ElasticityAssuranceRenewAttributes"`
}

// DescribeElasticityAssuranceAutoRenewAttribute answers each assurance's renewal.
func (s *Service) DescribeElasticityAssuranceAutoRenewAttribute(ctx context.Context, call *rpc.Call, req *DescribeElasticityAssuranceAutoRenewAttributeRequest) (*DescribeElasticityAssuranceAutoRenewAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeElasticityAssuranceAutoRenewAttributeResponse{}
	resp.ElasticityAssuranceRenewAttributes.ElasticityAssuranceRenewAttribute = []AssuranceRenewItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, err := assurancesOf(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, a := range list {
			resp.ElasticityAssuranceRenewAttributes.ElasticityAssuranceRenewAttribute = append(
				resp.ElasticityAssuranceRenewAttributes.ElasticityAssuranceRenewAttribute,
				AssuranceRenewItem{PrivatePoolOptionsID: a.ID, RenewalStatus: a.RenewalStatus, Period: a.AutoRenewPeriod, PeriodUnit: "Month"})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RenewElasticityAssurancesRequest extends assurances.
type RenewElasticityAssurancesRequest struct {
	RegionID, PeriodUnit     string
	IDs                      []string
	Period, AutoRenewPeriod  int
	AutoRenew                *bool
	ClientToken, fingerprint string
}

// Bind implements rpc.Binder.
func (r *RenewElasticityAssurancesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.Object("PrivatePoolOptions").List("Id")
	if len(r.IDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("PrivatePoolOptions.Id.1"))
	}
	r.Period = p.Int("Period", 1, 1, 1000)
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Year")
	r.AutoRenew = p.OptBool("AutoRenew")
	r.AutoRenewPeriod = p.Int("AutoRenewPeriod", 1, 1, 60)
	p.Bool("AutoPay", true)
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// RenewElasticityAssurancesResponse names the renewed assurances.
type RenewElasticityAssurancesResponse struct {
	rpc.Base
	OrderID                 string `json:"OrderId"`
	PrivatePoolOptionsIDSet struct {
		PrivatePoolOptionsID []string `json:"PrivatePoolOptionsId"`
	} `json:"PrivatePoolOptionsIdSet"`
}

// RenewElasticityAssurances moves each assurance's end by the period.
func (s *Service) RenewElasticityAssurances(ctx context.Context, call *rpc.Call, req *RenewElasticityAssurancesRequest) (*RenewElasticityAssurancesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if !eaPeriodValid(req.Period, req.PeriodUnit) {
		return nil, apierr.InvalidPeriod.New()
	}
	resp := &RenewElasticityAssurancesResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		list, err := assurancesOf(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, a := range list {
			a.End = cloud.AddPeriod(a.End, req.Period, req.PeriodUnit)
			if req.AutoRenew != nil {
				a.AutoRenew = *req.AutoRenew
				a.RenewalStatus = map[bool]string{true: "AutoRenewal", false: "Normal"}[*req.AutoRenew]
				if a.AutoRenew {
					a.AutoRenewPeriod = req.AutoRenewPeriod
				}
			}
			if err := store.Put(ctx, tx, a); err != nil {
				return err
			}
			resp.PrivatePoolOptionsIDSet.PrivatePoolOptionsID = append(resp.PrivatePoolOptionsIDSet.PrivatePoolOptionsID, a.ID)
		}
		resp.OrderID = s.ids.Digits(15)
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// PurchaseElasticityAssuranceRequest buys a Prepared assurance.
type PurchaseElasticityAssuranceRequest struct {
	RegionID, ID, PeriodUnit, StartTime, Criteria string
	Period                                        int
	ClientToken, fingerprint                      string
}

// Bind implements rpc.Binder.
func (r *PurchaseElasticityAssuranceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	o := p.Object("PrivatePoolOptions")
	r.ID = o.Required("Id")
	r.Criteria = o.Enum("MatchCriteria", cloud.MatchOpen, cloud.MatchOpen, cloud.MatchTarget)
	r.PeriodUnit = p.Enum("PeriodUnit", "Year", "Month", "Year")
	r.Period = p.Int("Period", 1, 1, 1000)
	r.StartTime = p.String("StartTime")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// PurchaseElasticityAssuranceResponse is RequestId only.
type PurchaseElasticityAssuranceResponse struct{ rpc.Base }

// PurchaseElasticityAssurance buys an assurance that is Prepared (not yet
// Active): its period and start are set anew, from StartTime or now.
func (s *Service) PurchaseElasticityAssurance(ctx context.Context, call *rpc.Call, req *PurchaseElasticityAssuranceRequest) (*PurchaseElasticityAssuranceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.PeriodUnit == "Month" && req.Period > 9 || !eaPeriodValid(req.Period, req.PeriodUnit) {
		return nil, apierr.InvalidPeriod.New()
	}
	resp := &PurchaseElasticityAssuranceResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		a, err := store.GetIn[cloud.ElasticityAssurance](ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return notFound(err, apierr.ElasticityAssuranceNotFound)
		}
		if a.Status != cloud.PoolPrepared {
			return apierr.ElasticityAssuranceNotPrepared.New()
		}
		now := tx.Now()
		start, _, err := poolTimes(req.StartTime, "", "Unlimited", now)
		if err != nil {
			return err
		}
		a.Start, a.End, a.Period, a.PeriodUnit, a.MatchCriteria = start, cloud.AddPeriod(start, req.Period, req.PeriodUnit), req.Period, req.PeriodUnit, req.Criteria
		if !start.After(now) {
			a.Status = cloud.PoolActive
		}
		if err := store.Put(ctx, tx, a); err != nil {
			return err
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
