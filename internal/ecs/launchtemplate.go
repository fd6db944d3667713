package ecs

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerLaunchTemplates(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateLaunchTemplate", s.CreateLaunchTemplate)
	rpc.Handle(t, v, "CreateLaunchTemplateVersion", s.CreateLaunchTemplateVersion)
	rpc.Handle(t, v, "DeleteLaunchTemplate", s.DeleteLaunchTemplate)
	rpc.Handle(t, v, "DeleteLaunchTemplateVersion", s.DeleteLaunchTemplateVersion)
	rpc.Handle(t, v, "DescribeLaunchTemplates", s.DescribeLaunchTemplates)
	rpc.Handle(t, v, "DescribeLaunchTemplateVersions", s.DescribeLaunchTemplateVersions)
	rpc.Handle(t, v, "ModifyLaunchTemplateDefaultVersion", s.ModifyLaunchTemplateDefaultVersion)
}

// templateRef names a template by id or by name.
type templateRef struct{ ID, Name string }

func (r *templateRef) bind(p *rpc.Params) {
	r.ID = p.String("LaunchTemplateId")
	r.Name = p.String("LaunchTemplateName")
}

// findTemplate loads the template a request names; naming none is
// MissingParameter LaunchTemplateId.
func findTemplate(ctx context.Context, tx store.Tx, region string, ref templateRef) (cloud.LaunchTemplate, error) {
	switch {
	case ref.ID != "":
		t, err := store.GetIn[cloud.LaunchTemplate](ctx, tx, region, ref.ID)
		return t, notFound(err, apierr.LaunchTemplateNotFound)
	case ref.Name != "":
		all, err := store.All[cloud.LaunchTemplate](ctx, tx, region, store.Where("name", ref.Name))
		if err != nil {
			return cloud.LaunchTemplate{}, err
		}
		if len(all) == 0 {
			return cloud.LaunchTemplate{}, apierr.LaunchTemplateNotFound.New()
		}
		return all[0], nil
	}
	return cloud.LaunchTemplate{}, apierr.MissingParameter.New("LaunchTemplateId")
}

// templateVersionParams are a version's own parameters and its launch data.
type templateVersionParams struct {
	RegionID, Description string
	Data                  map[string]string
}

func (v *templateVersionParams) bind(p *rpc.Params) {
	v.RegionID = p.Required("RegionId")
	v.Description = p.String("VersionDescription")
	v.Data = cloud.TemplateData(p.Values())
	// The data is checked the way a launch reads it, names and formats only.
	check := rpc.NewParams(v.Data)
	check.Object("SystemDisk").OptInt("Size", 1, 65536)
	for _, d := range check.Objects("DataDisk") {
		d.OptInt("Size", 1, 65536)
	}
	check.Tags("Tag")
	check.Int("InternetMaxBandwidthOut", 0, 0, 100)
	if err := check.Err(); err != nil && p.Err() == nil {
		var e *apierr.Error
		if errors.As(err, &e) {
			p.Fail(e)
		}
	}
}

// CreateLaunchTemplateRequest makes a template with its first version.
type CreateLaunchTemplateRequest struct {
	templateVersionParams
	Name, ResourceGroupID string
	Tags                  []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateLaunchTemplateRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Name = p.Required("LaunchTemplateName")
	if r.Name != "" && !cloud.ValidTemplateName(r.Name) {
		p.Fail(apierr.LaunchTemplateNameMalformed.New())
	}
	r.ResourceGroupID = p.String("TemplateResourceGroupId")
	r.Tags = p.Tags("TemplateTag")
}

// CreateLaunchTemplateResponse names the template and its version.
type CreateLaunchTemplateResponse struct {
	rpc.Base
	LaunchTemplateID            string `json:"LaunchTemplateId"`
	LaunchTemplateVersionNumber int    `json:"LaunchTemplateVersionNumber"`
}

// CreateLaunchTemplate stores a template whose version 1 is the default.
func (s *Service) CreateLaunchTemplate(ctx context.Context, call *rpc.Call, req *CreateLaunchTemplateRequest) (*CreateLaunchTemplateResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateLaunchTemplateResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if n, err := store.Count[cloud.LaunchTemplate](ctx, tx, req.RegionID, store.Where("name", req.Name)); err != nil {
			return err
		} else if n > 0 {
			return apierr.LaunchTemplateNameDuplicated.New()
		}
		if n, err := store.Count[cloud.LaunchTemplate](ctx, tx, req.RegionID); err != nil {
			return err
		} else if n >= cloud.LaunchTemplateQuota {
			return apierr.LaunchTemplateLimitExceed.New()
		}
		now := tx.Now()
		t := cloud.LaunchTemplate{
			ID: s.ids.ID("lt", req.RegionID), Region: req.RegionID, Name: req.Name, DefaultVersion: 1, LatestVersion: 1,
			Versions:      []cloud.LaunchTemplateVersion{{Number: 1, Description: req.Description, Data: req.Data, Created: now}},
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: cloudTags(req.Tags), Created: now, Modified: now,
		}
		resp.LaunchTemplateID, resp.LaunchTemplateVersionNumber = t.ID, 1
		return store.Put(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// CreateLaunchTemplateVersionRequest adds a version to a template.
type CreateLaunchTemplateVersionRequest struct {
	templateVersionParams
	Ref templateRef
}

// Bind implements rpc.Binder.
func (r *CreateLaunchTemplateVersionRequest) Bind(p *rpc.Params) {
	r.bind(p)
	r.Ref.bind(p)
}

// CreateLaunchTemplateVersionResponse names the new version.
type CreateLaunchTemplateVersionResponse struct {
	rpc.Base
	LaunchTemplateID            string `json:"LaunchTemplateId"`
	LaunchTemplateVersionNumber int    `json:"LaunchTemplateVersionNumber"`
}

// CreateLaunchTemplateVersion adds the next version; the default stays.
func (s *Service) CreateLaunchTemplateVersion(ctx context.Context, call *rpc.Call, req *CreateLaunchTemplateVersionRequest) (*CreateLaunchTemplateVersionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateLaunchTemplateVersionResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		t, err := findTemplate(ctx, tx, req.RegionID, req.Ref)
		if err != nil {
			return err
		}
		if len(t.Versions) >= cloud.LaunchTemplateVersionQuota {
			return apierr.LaunchTemplateVersionLimit.New()
		}
		now := tx.Now()
		t.LatestVersion++
		t.Versions = append(t.Versions, cloud.LaunchTemplateVersion{Number: t.LatestVersion, Description: req.Description, Data: req.Data, Created: now})
		t.Modified = now
		resp.LaunchTemplateID, resp.LaunchTemplateVersionNumber = t.ID, t.LatestVersion
		return store.Put(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteLaunchTemplateRequest names the template.
type DeleteLaunchTemplateRequest struct {
	RegionID string
	Ref      templateRef
}

// Bind implements rpc.Binder.
func (r *DeleteLaunchTemplateRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Ref.bind(p)
}

// DeleteLaunchTemplateResponse names what went.
type DeleteLaunchTemplateResponse struct {
	rpc.Base
	LaunchTemplateID             string `json:"LaunchTemplateId"`
	LaunchTemplateVersionNumbers struct {
		VersionNumbers []int `json:"versionNumbers"`
	} `json:"LaunchTemplateVersionNumbers"`
}

// DeleteLaunchTemplate removes the template with every version; instances
// launched from it are not touched.
func (s *Service) DeleteLaunchTemplate(ctx context.Context, call *rpc.Call, req *DeleteLaunchTemplateRequest) (*DeleteLaunchTemplateResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DeleteLaunchTemplateResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		t, err := findTemplate(ctx, tx, req.RegionID, req.Ref)
		if err != nil {
			return err
		}
		resp.LaunchTemplateID = t.ID
		resp.LaunchTemplateVersionNumbers.VersionNumbers = []int{}
		for _, v := range t.Versions {
			resp.LaunchTemplateVersionNumbers.VersionNumbers = append(resp.LaunchTemplateVersionNumbers.VersionNumbers, v.Number)
		}
		return store.Delete[cloud.LaunchTemplate](ctx, tx, t.ID)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DeleteLaunchTemplateVersionRequest names versions of a template.
type DeleteLaunchTemplateVersionRequest struct {
	RegionID string
	Ref      templateRef
	Versions []int
}

// Bind implements rpc.Binder.
func (r *DeleteLaunchTemplateVersionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Ref.bind(p)
	list := p.List("DeleteVersion")
	if len(list) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("DeleteVersion.N"))
	}
	for _, v := range list {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			p.Fail(apierr.InvalidParameter.New("DeleteVersion.N"))
			return
		}
		r.Versions = append(r.Versions, n)
	}
}

// DeleteLaunchTemplateVersionResponse is RequestId only.
type DeleteLaunchTemplateVersionResponse struct{ rpc.Base }

// DeleteLaunchTemplateVersion removes versions; never the default one.
func (s *Service) DeleteLaunchTemplateVersion(ctx context.Context, call *rpc.Call, req *DeleteLaunchTemplateVersionRequest) (*DeleteLaunchTemplateVersionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		t, err := findTemplate(ctx, tx, req.RegionID, req.Ref)
		if err != nil {
			return err
		}
		for _, n := range req.Versions {
			if _, ok := t.Version(n); !ok {
				return apierr.LaunchTemplateVersionNotFound.New()
			}
			if n == t.DefaultVersion {
				return apierr.LaunchTemplateDefaultVersion.New()
			}
		}
		kept := t.Versions[:0:0]
		for _, v := range t.Versions {
			drop := false
			for _, n := range req.Versions {
				drop = drop || v.Number == n
			}
			if !drop {
				kept = append(kept, v)
			}
		}
		t.Versions, t.Modified = kept, tx.Now()
		return store.Put(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteLaunchTemplateVersionResponse{}, nil
}

// ModifyLaunchTemplateDefaultVersionRequest names the new default.
type ModifyLaunchTemplateDefaultVersionRequest struct {
	RegionID string
	Ref      templateRef
	Version  int
}

// Bind implements rpc.Binder.
func (r *ModifyLaunchTemplateDefaultVersionRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Ref.bind(p)
	if p.Required("DefaultVersionNumber") != "" {
		r.Version = p.Int("DefaultVersionNumber", 1, 1, 1<<30)
	}
}

// ModifyLaunchTemplateDefaultVersionResponse is RequestId only.
type ModifyLaunchTemplateDefaultVersionResponse struct{ rpc.Base }

// ModifyLaunchTemplateDefaultVersion makes an existing version the default.
func (s *Service) ModifyLaunchTemplateDefaultVersion(ctx context.Context, call *rpc.Call, req *ModifyLaunchTemplateDefaultVersionRequest) (*ModifyLaunchTemplateDefaultVersionResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		t, err := findTemplate(ctx, tx, req.RegionID, req.Ref)
		if err != nil {
			return err
		}
		if _, ok := t.Version(req.Version); !ok {
			return apierr.LaunchTemplateVersionNotFound.New()
		}
		t.DefaultVersion, t.Modified = req.Version, tx.Now()
		return store.Put(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyLaunchTemplateDefaultVersionResponse{}, nil
}

// DescribeLaunchTemplatesRequest filters by ids, names, group and tags.
type DescribeLaunchTemplatesRequest struct {
	RegionID, ResourceGroupID string
	IDs, Names                []string
	Tags                      []rpc.Tag
	PageNumber, PageSize      int
}

// Bind implements rpc.Binder.
func (r *DescribeLaunchTemplatesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("LaunchTemplateId")
	r.Names = p.List("LaunchTemplateName")
	r.ResourceGroupID = p.String("TemplateResourceGroupId")
	r.Tags = p.Tags("TemplateTag")
	r.PageNumber, r.PageSize = paging(p, 10, 50)
}

// LaunchTemplateItem is one template.
type LaunchTemplateItem struct {
	LaunchTemplateID     string `json:"LaunchTemplateId"`
	LaunchTemplateName   string `json:"LaunchTemplateName"`
	DefaultVersionNumber int    `json:"DefaultVersionNumber"`
	LatestVersionNumber  int    `json:"LatestVersionNumber"`
	CreateTime           string `json:"CreateTime"`
	ModifiedTime         string `json:"ModifiedTime"`
	CreatedBy            string `json:"CreatedBy"`
	ResourceGroupID      string `json:"ResourceGroupId"`
	Tags                 struct {
		Tag []TagItem `json:"Tag"`
	} `json:"Tags"`
}

// DescribeLaunchTemplatesResponse pages LaunchTemplateSets.LaunchTemplateSet[].
type DescribeLaunchTemplatesResponse struct {
	rpc.Base
	TotalCount         int `json:"TotalCount"`
	PageNumber         int `json:"PageNumber"`
	PageSize           int `json:"PageSize"`
	LaunchTemplateSets struct {
		LaunchTemplateSet []LaunchTemplateItem `json:"LaunchTemplateSet"`
	} `json:"LaunchTemplateSets"`
}

func apiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// DescribeLaunchTemplates lists the region's templates, oldest first.
func (s *Service) DescribeLaunchTemplates(ctx context.Context, call *rpc.Call, req *DescribeLaunchTemplatesRequest) (*DescribeLaunchTemplatesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	if len(req.Names) > 0 {
		q.Filters = append(q.Filters, store.Where("name", req.Names...))
	}
	if req.ResourceGroupID != "" {
		q.Filters = append(q.Filters, store.Where("resourceGroup", req.ResourceGroupID))
	}
	for _, t := range req.Tags {
		if t.Value == "" {
			q.Filters = append(q.Filters, store.Where("tagKey", t.Key))
		} else {
			q.Filters = append(q.Filters, store.Where("tag", t.Key+"="+t.Value))
		}
	}
	resp := &DescribeLaunchTemplatesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.LaunchTemplateSets.LaunchTemplateSet = []LaunchTemplateItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.LaunchTemplate](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		for _, t := range list {
			item := LaunchTemplateItem{LaunchTemplateID: t.ID, LaunchTemplateName: t.Name, DefaultVersionNumber: t.DefaultVersion,
				LatestVersionNumber: t.LatestVersion, CreateTime: apiTime(t.Created), ModifiedTime: apiTime(t.Modified),
				CreatedBy: call.Account, ResourceGroupID: t.ResourceGroup}
			item.Tags.Tag = []TagItem{}
			for _, tg := range t.Tags {
				item.Tags.Tag = append(item.Tags.Tag, TagItem{TagKey: tg.Key, TagValue: tg.Value})
			}
			resp.LaunchTemplateSets.LaunchTemplateSet = append(resp.LaunchTemplateSets.LaunchTemplateSet, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeLaunchTemplateVersionsRequest filters one template's versions.
type DescribeLaunchTemplateVersionsRequest struct {
	RegionID             string
	Ref                  templateRef
	Versions             []string
	DefaultOnly          *bool
	Min, Max             int
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeLaunchTemplateVersionsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Ref.bind(p)
	r.Versions = p.List("LaunchTemplateVersion")
	r.DefaultOnly = p.OptBool("DefaultVersion")
	r.Min = p.Int("MinVersion", 0, 0, 1<<30)
	r.Max = p.Int("MaxVersion", 0, 0, 1<<30)
	p.Bool("DetailFlag", true)
	r.PageNumber, r.PageSize = paging(p, 10, 50)
}

// LaunchTemplateDataItem is a version's launch parameters as the API names
// them: what the version was given, nothing invented. The lists are always
// there (empty when none), as the cloud answers them and the Terraform
// provider reads them; the system disk is deleted with the instance unless
// told otherwise, the launch's own default.
type LaunchTemplateDataItem struct {
	ImageID                      string  `json:"ImageId,omitempty"`
	ImageOwnerAlias              string  `json:"ImageOwnerAlias,omitempty"`
	InstanceType                 string  `json:"InstanceType,omitempty"`
	SecurityGroupID              string  `json:"SecurityGroupId,omitempty"`
	VSwitchID                    string  `json:"VSwitchId,omitempty"`
	VpcID                        string  `json:"VpcId,omitempty"`
	ZoneID                       string  `json:"ZoneId,omitempty"`
	InstanceName                 string  `json:"InstanceName,omitempty"`
	HostName                     string  `json:"HostName,omitempty"`
	Description                  string  `json:"Description,omitempty"`
	KeyPairName                  string  `json:"KeyPairName,omitempty"`
	RAMRoleName                  string  `json:"RamRoleName,omitempty"`
	DeploymentSetID              string  `json:"DeploymentSetId,omitempty"`
	ResourceGroupID              string  `json:"ResourceGroupId,omitempty"`
	PrivateIPAddress             string  `json:"PrivateIpAddress,omitempty"`
	NetworkType                  string  `json:"NetworkType,omitempty"`
	IoOptimized                  string  `json:"IoOptimized,omitempty"`
	SecurityEnhancementStrategy  string  `json:"SecurityEnhancementStrategy,omitempty"`
	InstanceChargeType           string  `json:"InstanceChargeType,omitempty"`
	Period                       int     `json:"Period,omitempty"`
	PeriodUnit                   string  `json:"PeriodUnit,omitempty"`
	AutoRenew                    *bool   `json:"AutoRenew,omitempty"`
	AutoRenewPeriod              int     `json:"AutoRenewPeriod,omitempty"`
	AutoReleaseTime              string  `json:"AutoReleaseTime,omitempty"`
	SpotStrategy                 string  `json:"SpotStrategy,omitempty"`
	SpotPriceLimit               float64 `json:"SpotPriceLimit,omitempty"`
	SpotDuration                 int     `json:"SpotDuration,omitempty"`
	PasswordInherit              *bool   `json:"PasswordInherit,omitempty"`
	DeletionProtection           *bool   `json:"DeletionProtection,omitempty"`
	CreditSpecification          string  `json:"CreditSpecification,omitempty"`
	InternetChargeType           string  `json:"InternetChargeType,omitempty"`
	InternetMaxBandwidthIn       int     `json:"InternetMaxBandwidthIn,omitempty"`
	InternetMaxBandwidthOut      int     `json:"InternetMaxBandwidthOut,omitempty"`
	UserData                     string  `json:"UserData,omitempty"`
	SystemDiskCategory           string  `json:"SystemDisk.Category,omitempty"`
	SystemDiskSize               int     `json:"SystemDisk.Size,omitempty"`
	SystemDiskName               string  `json:"SystemDisk.DiskName,omitempty"`
	SystemDiskDescription        string  `json:"SystemDisk.Description,omitempty"`
	SystemDiskPerformanceLevel   string  `json:"SystemDisk.PerformanceLevel,omitempty"`
	SystemDiskIops               int     `json:"SystemDisk.Iops,omitempty"`
	SystemDiskEncrypted          string  `json:"SystemDisk.Encrypted,omitempty"`
	SystemDiskDeleteWithInstance bool    `json:"SystemDisk.DeleteWithInstance"`
	SecurityGroupIDs             struct {
		SecurityGroupID []string `json:"SecurityGroupId"`
	} `json:"SecurityGroupIds"`
	DataDisks struct {
		DataDisk []TemplateDataDisk `json:"DataDisk"`
	} `json:"DataDisks"`
	NetworkInterfaces struct {
		NetworkInterface []TemplateNetworkInterface `json:"NetworkInterface"`
	} `json:"NetworkInterfaces"`
	Tags struct {
		InstanceTag []TemplateTag `json:"InstanceTag"`
	} `json:"Tags"`
}

// TemplateDataDisk is one DataDisk.N of a version.
type TemplateDataDisk struct {
	Category           string `json:"Category,omitempty"`
	Size               int    `json:"Size,omitempty"`
	SnapshotID         string `json:"SnapshotId,omitempty"`
	DiskName           string `json:"DiskName,omitempty"`
	Description        string `json:"Description,omitempty"`
	Device             string `json:"Device,omitempty"`
	PerformanceLevel   string `json:"PerformanceLevel,omitempty"`
	Encrypted          string `json:"Encrypted,omitempty"`
	DeleteWithInstance bool   `json:"DeleteWithInstance"`
}

// TemplateNetworkInterface is one NetworkInterface.N of a version.
type TemplateNetworkInterface struct {
	PrimaryIPAddress     string `json:"PrimaryIpAddress,omitempty"`
	VSwitchID            string `json:"VSwitchId,omitempty"`
	SecurityGroupID      string `json:"SecurityGroupId,omitempty"`
	NetworkInterfaceName string `json:"NetworkInterfaceName,omitempty"`
	Description          string `json:"Description,omitempty"`
	DeleteOnRelease      *bool  `json:"DeleteOnRelease,omitempty"`
}

// TemplateTag is one Tag.N of a version.
type TemplateTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// LaunchTemplateVersionItem is one version.
type LaunchTemplateVersionItem struct {
	LaunchTemplateID   string                 `json:"LaunchTemplateId"`
	LaunchTemplateName string                 `json:"LaunchTemplateName"`
	VersionNumber      int                    `json:"VersionNumber"`
	VersionDescription string                 `json:"VersionDescription"`
	DefaultVersion     bool                   `json:"DefaultVersion"`
	CreateTime         string                 `json:"CreateTime"`
	ModifiedTime       string                 `json:"ModifiedTime"`
	CreatedBy          string                 `json:"CreatedBy"`
	LaunchTemplateData LaunchTemplateDataItem `json:"LaunchTemplateData"`
}

// DescribeLaunchTemplateVersionsResponse pages LaunchTemplateVersionSets.LaunchTemplateVersionSet[].
type DescribeLaunchTemplateVersionsResponse struct {
	rpc.Base
	TotalCount                int `json:"TotalCount"`
	PageNumber                int `json:"PageNumber"`
	PageSize                  int `json:"PageSize"`
	LaunchTemplateVersionSets struct {
		LaunchTemplateVersionSet []LaunchTemplateVersionItem `json:"LaunchTemplateVersionSet"`
	} `json:"LaunchTemplateVersionSets"`
}

func templateDataItem(data map[string]string) LaunchTemplateDataItem {
	p := rpc.NewParams(data)
	num := func(p *rpc.Params, name string) int { return p.Int(name, 0, 0, 1<<30) }
	d := LaunchTemplateDataItem{
		ImageID: data["ImageId"], ImageOwnerAlias: data["ImageOwnerAlias"], InstanceType: data["InstanceType"],
		SecurityGroupID: data["SecurityGroupId"], VSwitchID: data["VSwitchId"], VpcID: data["VpcId"], ZoneID: data["ZoneId"],
		InstanceName: data["InstanceName"], HostName: data["HostName"], Description: data["Description"],
		KeyPairName: data["KeyPairName"], RAMRoleName: data["RamRoleName"], DeploymentSetID: data["DeploymentSetId"],
		ResourceGroupID: data["ResourceGroupId"], PrivateIPAddress: data["PrivateIpAddress"], NetworkType: data["NetworkType"],
		IoOptimized: data["IoOptimized"], SecurityEnhancementStrategy: data["SecurityEnhancementStrategy"],
		InstanceChargeType: data["InstanceChargeType"], Period: num(p, "Period"), PeriodUnit: data["PeriodUnit"],
		AutoRenew: p.OptBool("AutoRenew"), AutoRenewPeriod: num(p, "AutoRenewPeriod"), AutoReleaseTime: data["AutoReleaseTime"],
		SpotStrategy: data["SpotStrategy"], SpotDuration: num(p, "SpotDuration"), PasswordInherit: p.OptBool("PasswordInherit"),
		DeletionProtection: p.OptBool("DeletionProtection"), CreditSpecification: data["CreditSpecification"],
		InternetChargeType: data["InternetChargeType"], InternetMaxBandwidthIn: num(p, "InternetMaxBandwidthIn"),
		InternetMaxBandwidthOut: num(p, "InternetMaxBandwidthOut"), UserData: data["UserData"],
	}
	d.SpotPriceLimit, _ = strconv.ParseFloat(data["SpotPriceLimit"], 64)
	sys := p.Object("SystemDisk")
	d.SystemDiskCategory, d.SystemDiskSize, d.SystemDiskName = sys.String("Category"), num(sys, "Size"), sys.String("DiskName")
	d.SystemDiskDescription, d.SystemDiskPerformanceLevel = sys.String("Description"), sys.String("PerformanceLevel")
	d.SystemDiskIops, d.SystemDiskEncrypted = num(sys, "Iops"), sys.String("Encrypted")
	d.SystemDiskDeleteWithInstance = sys.Bool("DeleteWithInstance", true)
	d.SecurityGroupIDs.SecurityGroupID = p.List("SecurityGroupIds")
	if d.SecurityGroupIDs.SecurityGroupID == nil {
		d.SecurityGroupIDs.SecurityGroupID = []string{}
	}
	d.DataDisks.DataDisk = []TemplateDataDisk{}
	for _, dd := range p.Objects("DataDisk") {
		d.DataDisks.DataDisk = append(d.DataDisks.DataDisk, TemplateDataDisk{
			Category: dd.String("Category"), Size: num(dd, "Size"), SnapshotID: dd.String("SnapshotId"),
			DiskName: dd.String("DiskName"), Description: dd.String("Description"), Device: dd.String("Device"),
			PerformanceLevel: dd.String("PerformanceLevel"), Encrypted: dd.String("Encrypted"),
			DeleteWithInstance: dd.Bool("DeleteWithInstance", true),
		})
	}
	d.NetworkInterfaces.NetworkInterface = []TemplateNetworkInterface{}
	for _, n := range p.Objects("NetworkInterface") {
		d.NetworkInterfaces.NetworkInterface = append(d.NetworkInterfaces.NetworkInterface, TemplateNetworkInterface{
			PrimaryIPAddress: n.String("PrimaryIpAddress"), VSwitchID: n.String("VSwitchId"), SecurityGroupID: n.String("SecurityGroupId"),
			NetworkInterfaceName: n.String("NetworkInterfaceName"), Description: n.String("Description"),
			DeleteOnRelease: n.OptBool("DeleteOnRelease"),
		})
	}
	d.Tags.InstanceTag = []TemplateTag{}
	for _, t := range p.Tags("Tag") {
		d.Tags.InstanceTag = append(d.Tags.InstanceTag, TemplateTag{Key: t.Key, Value: t.Value})
	}
	return d
}

// DescribeLaunchTemplateVersions lists a template's versions, newest first.
func (s *Service) DescribeLaunchTemplateVersions(ctx context.Context, call *rpc.Call, req *DescribeLaunchTemplateVersionsRequest) (*DescribeLaunchTemplateVersionsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []LaunchTemplateVersionItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		t, err := findTemplate(ctx, tx, req.RegionID, req.Ref)
		if err != nil {
			return err
		}
		for _, v := range t.Versions {
			want := len(req.Versions) == 0
			for _, n := range req.Versions {
				want = want || n == strconv.Itoa(v.Number)
			}
			isDefault := v.Number == t.DefaultVersion
			if !want || req.DefaultOnly != nil && *req.DefaultOnly != isDefault ||
				req.Min > 0 && v.Number < req.Min || req.Max > 0 && v.Number > req.Max {
				continue
			}
			match = append(match, LaunchTemplateVersionItem{
				LaunchTemplateID: t.ID, LaunchTemplateName: t.Name, VersionNumber: v.Number, VersionDescription: v.Description,
				DefaultVersion: isDefault, CreateTime: apiTime(v.Created), ModifiedTime: apiTime(v.Created), CreatedBy: call.Account,
				LaunchTemplateData: templateDataItem(v.Data),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].VersionNumber > match[j].VersionNumber })
	resp := &DescribeLaunchTemplateVersionsResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.LaunchTemplateVersionSets.LaunchTemplateVersionSet = pageOf(match, req.PageNumber, req.PageSize)
	return resp, nil
}
