package vpc

import (
	"context"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerBandwidthPackages adds the Internet Shared Bandwidth actions.
func (s *Service) registerBandwidthPackages(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "CreateCommonBandwidthPackage", s.CreateCommonBandwidthPackage)
	rpc.Handle(t, v, "DescribeCommonBandwidthPackages", s.DescribeCommonBandwidthPackages)
	rpc.Handle(t, v, "ModifyCommonBandwidthPackageAttribute", s.ModifyCommonBandwidthPackageAttribute)
	rpc.Handle(t, v, "ModifyCommonBandwidthPackageSpec", s.ModifyCommonBandwidthPackageSpec)
	rpc.Handle(t, v, "DeleteCommonBandwidthPackage", s.DeleteCommonBandwidthPackage)
	rpc.Handle(t, v, "AddCommonBandwidthPackageIp", s.AddCommonBandwidthPackageIp)
	rpc.Handle(t, v, "AddCommonBandwidthPackageIps", s.AddCommonBandwidthPackageIps)
	rpc.Handle(t, v, "RemoveCommonBandwidthPackageIp", s.RemoveCommonBandwidthPackageIp)
	rpc.Handle(t, v, "ModifyCommonBandwidthPackageIpBandwidth", s.ModifyCommonBandwidthPackageIpBandwidth)
	rpc.Handle(t, v, "CancelCommonBandwidthPackageIpBandwidth", s.CancelCommonBandwidthPackageIpBandwidth)
}

// getPackage reads an Internet Shared Bandwidth instance of the region.
func getPackage(ctx context.Context, tx store.Tx, region, id string) (cloud.CommonBandwidthPackage, error) {
	c, err := store.GetIn[cloud.CommonBandwidthPackage](ctx, tx, region, id)
	return c, notFound(err, apierr.InvalidBandwidthPackageNotFound)
}

// packageBandwidth reads a bandwidth parameter of the package actions.
func packageBandwidth(p *rpc.Params, required bool) int {
	v := p.String("Bandwidth")
	if required {
		v = p.Required("Bandwidth")
	}
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < cloud.MinPackageBandwidth || n > cloud.MaxPackageBandwidth {
		p.Fail(apierr.InvalidParameter.New("Bandwidth"))
	}
	return n
}

// CreateCommonBandwidthPackageRequest is VPC CreateCommonBandwidthPackage.
type CreateCommonBandwidthPackageRequest struct {
	RegionID, Name, Description, ISP, InternetChargeType, Zone, ResourceGroupID, ClientToken string
	Bandwidth, Ratio                                                                         int
	Tags                                                                                     []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateCommonBandwidthPackageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Bandwidth = packageBandwidth(p, true)
	r.InternetChargeType = p.Enum("InternetChargeType", "PayByBandwidth", "PayByBandwidth", "PayBy95", "PayByDominantTraffic")
	r.Ratio = p.Int("Ratio", 20, 20, 20) // 20%, the only minimum of PayBy95
	r.ISP = p.Enum("ISP", "BGP", "BGP", "BGP_PRO")
	r.Zone = p.String("Zone")
	r.Name = p.String("Name")
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	p.List("SecurityProtectionTypes")
	r.Tags = tagging.BindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
}

// CreateCommonBandwidthPackageResponse carries the new instance.
type CreateCommonBandwidthPackageResponse struct {
	rpc.Base
	BandwidthPackageID string `json:"BandwidthPackageId"`
	ResourceGroupID    string `json:"ResourceGroupId"`
}

// CreateCommonBandwidthPackage makes an Available, empty instance.
func (s *Service) CreateCommonBandwidthPackage(ctx context.Context, call *rpc.Call, req *CreateCommonBandwidthPackageRequest) (*CreateCommonBandwidthPackageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateCommonBandwidthPackageResponse{}
	fingerprint := call.Params.Fingerprint()
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, fingerprint, resp); replayed || err != nil {
			return err
		}
		c := cloud.CommonBandwidthPackage{
			ID: s.ids.ID("cbwp", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			Bandwidth: req.Bandwidth, ISP: req.ISP, InternetChargeType: req.InternetChargeType, Ratio: req.Ratio, Zone: req.Zone,
			Status: cloud.EIPAvailable, Created: tx.Now(), ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID),
			Tags: tagging.Cloud(req.Tags),
		}
		if err := store.Put(ctx, tx, c); err != nil {
			return err
		}
		resp.BandwidthPackageID, resp.ResourceGroupID = c.ID, c.ResourceGroup
		return store.Remember(ctx, tx, call.Action, req.ClientToken, fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeCommonBandwidthPackagesRequest is VPC DescribeCommonBandwidthPackages.
type DescribeCommonBandwidthPackagesRequest struct {
	RegionID             string
	IDs                  []string
	Filters              []store.Filter
	DryRun               bool
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeCommonBandwidthPackagesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = idList(p.String("BandwidthPackageId"))
	r.Filters = append(r.Filters, bindWhere(p, []where{{"Name", "name"}, {"ResourceGroupId", "resourceGroup"}})...)
	// No instance here has security protection: asking for it matches none.
	if v := p.OptBool("SecurityProtectionEnabled"); v != nil && *v {
		r.Filters = append(r.Filters, store.Filter{Name: "name"})
	}
	p.Bool("IncludeReservationData", false)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tag"))...)
	r.DryRun = p.Bool("DryRun", false)
	r.PageNumber, r.PageSize = paging(p)
}

// PackageIPItem is one EIP of a package's PublicIpAddresses.
type PackageIPItem struct {
	AllocationID                     string `json:"AllocationId"`
	IPAddress                        string `json:"IpAddress"`
	BandwidthPackageIPRelationStatus string `json:"BandwidthPackageIpRelationStatus"`
}

// CommonBandwidthPackageItem is one instance of the answer.
type CommonBandwidthPackageItem struct {
	BandwidthPackageID string `json:"BandwidthPackageId"`
	RegionID           string `json:"RegionId"`
	Name               string `json:"Name"`
	Description        string `json:"Description"`
	Bandwidth          string `json:"Bandwidth"`
	ISP                string `json:"ISP"`
	InternetChargeType string `json:"InternetChargeType"`
	InstanceChargeType string `json:"InstanceChargeType"`
	Ratio              int    `json:"Ratio"`
	Zone               string `json:"Zone"`
	Status             string `json:"Status"`
	BusinessStatus     string `json:"BusinessStatus"`
	CreationTime       string `json:"CreationTime"`
	ExpiredTime        string `json:"ExpiredTime"`
	ResourceGroupID    string `json:"ResourceGroupId"`
	HasReservationData string `json:"HasReservationData"`
	DeletionProtection bool   `json:"DeletionProtection"`
	ServiceManaged     int    `json:"ServiceManaged"`
	PublicIPAddresses  struct {
		PublicIPAddresse []PackageIPItem `json:"PublicIpAddresse"`
	} `json:"PublicIpAddresses"`
	Tags Tags `json:"Tags"`
}

// DescribeCommonBandwidthPackagesResponse wraps CommonBandwidthPackages.
type DescribeCommonBandwidthPackagesResponse struct {
	rpc.Base
	TotalCount              int `json:"TotalCount"`
	PageNumber              int `json:"PageNumber"`
	PageSize                int `json:"PageSize"`
	CommonBandwidthPackages struct {
		CommonBandwidthPackage []CommonBandwidthPackageItem `json:"CommonBandwidthPackage"`
	} `json:"CommonBandwidthPackages"`
}

// DescribeCommonBandwidthPackages lists a region's instances with the
// EIPs in each.
func (s *Service) DescribeCommonBandwidthPackages(ctx context.Context, call *rpc.Call, req *DescribeCommonBandwidthPackagesRequest) (*DescribeCommonBandwidthPackagesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize, Count: true}
	resp := &DescribeCommonBandwidthPackagesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.CommonBandwidthPackages.CommonBandwidthPackage = []CommonBandwidthPackageItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		list, page, err := store.Find[cloud.CommonBandwidthPackage](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, c := range list {
			item := CommonBandwidthPackageItem{
				BandwidthPackageID: c.ID, RegionID: c.Region, Name: c.Name, Description: c.Description, Bandwidth: strconv.Itoa(c.Bandwidth),
				ISP: c.ISP, InternetChargeType: c.InternetChargeType, InstanceChargeType: cloud.PostPaid, Ratio: c.Ratio, Zone: c.Zone,
				Status: c.Status, BusinessStatus: "Normal", CreationTime: cloud.FormatSecond(c.Created), ResourceGroupID: c.ResourceGroup,
				HasReservationData: "false", Tags: tagsOf(c.Tags),
			}
			item.PublicIPAddresses.PublicIPAddresse = []PackageIPItem{}
			eips, err := store.All[cloud.EIP](ctx, tx, c.Region, store.Where("bandwidthPackage", c.ID))
			if err != nil {
				return err
			}
			for _, e := range eips {
				item.PublicIPAddresses.PublicIPAddresse = append(item.PublicIPAddresses.PublicIPAddresse,
					PackageIPItem{AllocationID: e.ID, IPAddress: e.IPAddress, BandwidthPackageIPRelationStatus: "BINDED"})
			}
			resp.CommonBandwidthPackages.CommonBandwidthPackage = append(resp.CommonBandwidthPackages.CommonBandwidthPackage, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyCommonBandwidthPackageAttributeRequest is the VPC action.
type ModifyCommonBandwidthPackageAttributeRequest struct {
	RegionID, ID      string
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifyCommonBandwidthPackageAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.Name = optString(p, "Name")
	r.Description = optString(p, "Description")
}

// ModifyCommonBandwidthPackageAttributeResponse is {RequestId}.
type ModifyCommonBandwidthPackageAttributeResponse struct{ rpc.Base }

// ModifyCommonBandwidthPackageAttribute renames or redescribes an instance.
func (s *Service) ModifyCommonBandwidthPackageAttribute(ctx context.Context, call *rpc.Call, req *ModifyCommonBandwidthPackageAttributeRequest) (*ModifyCommonBandwidthPackageAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := getPackage(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		rename(&c.Name, &c.Description, req.Name, req.Description)
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyCommonBandwidthPackageAttributeResponse{}, nil
}

// ModifyCommonBandwidthPackageSpecRequest is the VPC action.
type ModifyCommonBandwidthPackageSpecRequest struct {
	RegionID, ID string
	Bandwidth    int
}

// Bind implements rpc.Binder.
func (r *ModifyCommonBandwidthPackageSpecRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.Bandwidth = packageBandwidth(p, true)
}

// ModifyCommonBandwidthPackageSpecResponse is {RequestId}.
type ModifyCommonBandwidthPackageSpecResponse struct{ rpc.Base }

// ModifyCommonBandwidthPackageSpec changes an instance's bandwidth; a cap
// set on one of its EIPs above the new bandwidth is refused first.
func (s *Service) ModifyCommonBandwidthPackageSpec(ctx context.Context, call *rpc.Call, req *ModifyCommonBandwidthPackageSpecRequest) (*ModifyCommonBandwidthPackageSpecResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := getPackage(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		eips, err := store.All[cloud.EIP](ctx, tx, c.Region, store.Where("bandwidthPackage", c.ID))
		if err != nil {
			return err
		}
		for _, e := range eips {
			if e.PackageBandwidth > req.Bandwidth {
				return apierr.InvalidParameterMsg.New("Bandwidth is below the " + strconv.Itoa(e.PackageBandwidth) + " Mbit/s cap of " + e.ID)
			}
		}
		c.Bandwidth = req.Bandwidth
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyCommonBandwidthPackageSpecResponse{}, nil
}

// DeleteCommonBandwidthPackageRequest is VPC DeleteCommonBandwidthPackage.
type DeleteCommonBandwidthPackageRequest struct {
	RegionID, ID string
	Force        bool
}

// Bind implements rpc.Binder: Force is the string "true" or "false".
func (r *DeleteCommonBandwidthPackageRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.Force = p.Enum("Force", "false", "true", "false") == "true"
}

// DeleteCommonBandwidthPackageResponse is {RequestId}.
type DeleteCommonBandwidthPackageResponse struct{ rpc.Base }

// DeleteCommonBandwidthPackage removes an instance: while EIPs are in it,
// only with Force, which takes them out first.
func (s *Service) DeleteCommonBandwidthPackage(ctx context.Context, call *rpc.Call, req *DeleteCommonBandwidthPackageRequest) (*DeleteCommonBandwidthPackageResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := getPackage(ctx, tx, req.RegionID, req.ID)
		if err != nil {
			return err
		}
		eips, err := store.All[cloud.EIP](ctx, tx, c.Region, store.Where("bandwidthPackage", c.ID))
		if err != nil {
			return err
		}
		if len(eips) > 0 && !req.Force {
			return apierr.BandwidthPackageHasIps.New().WithDetail("%s holds %d EIPs", c.ID, len(eips))
		}
		for _, e := range eips {
			next, err := cloud.RemoveFromPackage(e, c.ID)
			if err != nil {
				return err
			}
			if err := store.Put(ctx, tx, next); err != nil {
				return err
			}
		}
		return store.Delete[cloud.CommonBandwidthPackage](ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteCommonBandwidthPackageResponse{}, nil
}

// AddCommonBandwidthPackageIpRequest is VPC AddCommonBandwidthPackageIp.
type AddCommonBandwidthPackageIpRequest struct {
	RegionID, ID, IPInstanceID string
	DryRun                     bool
}

// bindIPType reads IpType: EIP is the only type (EIP segments and IP
// address pools are not modelled).
func bindIPType(p *rpc.Params) { p.Enum("IpType", "EIP", "EIP") }

// Bind implements rpc.Binder.
func (r *AddCommonBandwidthPackageIpRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.IPInstanceID = p.Required("IpInstanceId")
	bindIPType(p)
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// AddCommonBandwidthPackageIpResponse is {RequestId}.
type AddCommonBandwidthPackageIpResponse struct{ rpc.Base }

// addToPackage puts the EIPs ids into package id, all or none.
func (s *Service) addToPackage(ctx context.Context, tx store.Tx, region, id string, ids []string, dryRun bool) error {
	c, err := getPackage(ctx, tx, region, id)
	if err != nil {
		return err
	}
	have, err := store.Count[cloud.EIP](ctx, tx, c.Region, store.Where("bandwidthPackage", c.ID))
	if err != nil {
		return err
	}
	if have+len(ids) > cloud.MaxPackageIPs {
		return apierr.IPQuotaExceededPackage.New()
	}
	var next []cloud.EIP
	for _, eid := range ids {
		e, err := store.GetIn[cloud.EIP](ctx, tx, region, eid)
		if err != nil {
			return notFound(err, apierr.InvalidIPInstanceNotFound)
		}
		n, err := cloud.AddToPackage(e, c)
		if err != nil {
			return err
		}
		next = append(next, n)
	}
	if dryRun {
		return apierr.DryRunOperation.New()
	}
	for _, e := range next {
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

// AddCommonBandwidthPackageIp adds one pay-as-you-go EIP of the same line;
// it shares the instance's bandwidth at once (no BINDING window).
func (s *Service) AddCommonBandwidthPackageIp(ctx context.Context, call *rpc.Call, req *AddCommonBandwidthPackageIpRequest) (*AddCommonBandwidthPackageIpResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		return s.addToPackage(ctx, tx, req.RegionID, req.ID, []string{req.IPInstanceID}, req.DryRun)
	})
	if err != nil {
		return nil, err
	}
	return &AddCommonBandwidthPackageIpResponse{}, nil
}

// AddCommonBandwidthPackageIpsRequest is VPC AddCommonBandwidthPackageIps.
type AddCommonBandwidthPackageIpsRequest struct {
	RegionID, ID  string
	IPInstanceIDs []string
}

// Bind implements rpc.Binder.
func (r *AddCommonBandwidthPackageIpsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.IPInstanceIDs = p.List("IpInstanceIds")
	if len(r.IPInstanceIDs) == 0 {
		p.Fail(apierr.MissingParameter.New("IpInstanceIds"))
	}
	bindIPType(p)
	p.ClientToken()
}

// AddCommonBandwidthPackageIpsResponse is {RequestId}.
type AddCommonBandwidthPackageIpsResponse struct{ rpc.Base }

// AddCommonBandwidthPackageIps adds several EIPs, all or none.
func (s *Service) AddCommonBandwidthPackageIps(ctx context.Context, call *rpc.Call, req *AddCommonBandwidthPackageIpsRequest) (*AddCommonBandwidthPackageIpsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		return s.addToPackage(ctx, tx, req.RegionID, req.ID, req.IPInstanceIDs, false)
	})
	if err != nil {
		return nil, err
	}
	return &AddCommonBandwidthPackageIpsResponse{}, nil
}

// RemoveCommonBandwidthPackageIpRequest is VPC RemoveCommonBandwidthPackageIp.
type RemoveCommonBandwidthPackageIpRequest struct {
	RegionID, ID, IPInstanceID string
	DryRun                     bool
}

// Bind implements rpc.Binder.
func (r *RemoveCommonBandwidthPackageIpRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.IPInstanceID = p.Required("IpInstanceId")
	r.DryRun = p.Bool("DryRun", false)
	p.ClientToken()
}

// RemoveCommonBandwidthPackageIpResponse is {RequestId}.
type RemoveCommonBandwidthPackageIpResponse struct{ rpc.Base }

// packageEIP reads package id and one of its EIPs.
func packageEIP(ctx context.Context, tx store.Tx, region, id, eipID string) (cloud.CommonBandwidthPackage, cloud.EIP, error) {
	c, err := getPackage(ctx, tx, region, id)
	if err != nil {
		return c, cloud.EIP{}, err
	}
	e, err := store.GetIn[cloud.EIP](ctx, tx, region, eipID)
	if err != nil {
		return c, e, notFound(err, apierr.InvalidIPInstanceNotFound)
	}
	if e.BandwidthPackageID != c.ID {
		return c, e, apierr.IPNotInBandwidthPackage.New().WithDetail("%s is not in %s", e.ID, c.ID)
	}
	return c, e, nil
}

// RemoveCommonBandwidthPackageIp takes an EIP out; it has its own
// bandwidth again.
func (s *Service) RemoveCommonBandwidthPackageIp(ctx context.Context, call *rpc.Call, req *RemoveCommonBandwidthPackageIpRequest) (*RemoveCommonBandwidthPackageIpResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, e, err := packageEIP(ctx, tx, req.RegionID, req.ID, req.IPInstanceID)
		if err != nil {
			return err
		}
		if req.DryRun {
			return apierr.DryRunOperation.New()
		}
		next, err := cloud.RemoveFromPackage(e, c.ID)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &RemoveCommonBandwidthPackageIpResponse{}, nil
}

// ModifyCommonBandwidthPackageIpBandwidthRequest is the VPC action.
type ModifyCommonBandwidthPackageIpBandwidthRequest struct {
	RegionID, ID, EipID string
	Bandwidth           int
}

// Bind implements rpc.Binder.
func (r *ModifyCommonBandwidthPackageIpBandwidthRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.EipID = p.Required("EipId")
	r.Bandwidth = packageBandwidth(p, true)
}

// ModifyCommonBandwidthPackageIpBandwidthResponse is {RequestId}.
type ModifyCommonBandwidthPackageIpBandwidthResponse struct{ rpc.Base }

// ModifyCommonBandwidthPackageIpBandwidth caps one EIP of an instance at
// no more than the instance's bandwidth.
func (s *Service) ModifyCommonBandwidthPackageIpBandwidth(ctx context.Context, call *rpc.Call, req *ModifyCommonBandwidthPackageIpBandwidthRequest) (*ModifyCommonBandwidthPackageIpBandwidthResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, e, err := packageEIP(ctx, tx, req.RegionID, req.ID, req.EipID)
		if err != nil {
			return err
		}
		if req.Bandwidth > c.Bandwidth {
			return apierr.InvalidParameter.New("Bandwidth")
		}
		e.PackageBandwidth = req.Bandwidth
		return store.Put(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyCommonBandwidthPackageIpBandwidthResponse{}, nil
}

// CancelCommonBandwidthPackageIpBandwidthRequest is the VPC action.
type CancelCommonBandwidthPackageIpBandwidthRequest struct {
	RegionID, ID, EipID string
}

// Bind implements rpc.Binder.
func (r *CancelCommonBandwidthPackageIpBandwidthRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("BandwidthPackageId")
	r.EipID = p.Required("EipId")
}

// CancelCommonBandwidthPackageIpBandwidthResponse is {RequestId}.
type CancelCommonBandwidthPackageIpBandwidthResponse struct{ rpc.Base }

// CancelCommonBandwidthPackageIpBandwidth lifts an EIP's cap: it may use
// the instance's whole bandwidth again.
func (s *Service) CancelCommonBandwidthPackageIpBandwidth(ctx context.Context, call *rpc.Call, req *CancelCommonBandwidthPackageIpBandwidthRequest) (*CancelCommonBandwidthPackageIpBandwidthResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		_, e, err := packageEIP(ctx, tx, req.RegionID, req.ID, req.EipID)
		if err != nil {
			return err
		}
		e.PackageBandwidth = 0
		return store.Put(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &CancelCommonBandwidthPackageIpBandwidthResponse{}, nil
}
