package ecs

import (
	"context"
	"encoding/base64"
	"errors"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerInstances(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "RunInstances", s.RunInstances)
	rpc.Handle(t, v, "CreateInstance", s.CreateInstance)
	rpc.Handle(t, v, "DescribeInstances", s.DescribeInstances)
	rpc.Handle(t, v, "DescribeInstanceStatus", s.DescribeInstanceStatus)
	rpc.Handle(t, v, "DescribeInstanceAttribute", s.DescribeInstanceAttribute)
	rpc.Handle(t, v, "StartInstance", s.StartInstance)
	rpc.Handle(t, v, "StopInstance", s.StopInstance)
	rpc.Handle(t, v, "RebootInstance", s.RebootInstance)
	rpc.Handle(t, v, "StartInstances", s.StartInstances)
	rpc.Handle(t, v, "StopInstances", s.StopInstances)
	rpc.Handle(t, v, "RebootInstances", s.RebootInstances)
	rpc.Handle(t, v, "ModifyInstanceAttribute", s.ModifyInstanceAttribute)
	rpc.Handle(t, v, "ModifyInstanceChargeType", s.ModifyInstanceChargeType)
	rpc.Handle(t, v, "RenewInstance", s.RenewInstance)
	rpc.Handle(t, v, "ModifyInstanceAutoReleaseTime", s.ModifyInstanceAutoReleaseTime)
	rpc.Handle(t, v, "DeleteInstances", s.DeleteInstances)
	rpc.Handle(t, v, "DeleteInstance", s.DeleteInstance)
}

// launchParams are the parameters RunInstances and CreateInstance share.
type launchParams struct {
	RegionID, ZoneID, ImageID, InstanceType, VSwitchID string
	SecurityGroupIDs                                   []string
	Name, HostName, Description, Password, KeyPair     string
	RAMRoleName                                        string
	ChargeType, PeriodUnit, SpotStrategy               string
	Period                                             int
	AutoRenew                                          bool
	InternetChargeType                                 string
	BandwidthOut                                       int
	Protected                                          bool
	AutoRelease                                        string
	SystemDisk                                         cloud.DiskSpec
	systemDiskSize                                     *int
	DataDisks                                          []cloud.DiskSpec
	dataDiskSizes                                      []*int
	Tags                                               []rpc.Tag
	ClientToken                                        string
	UserData                                           string
	DryRun                                             bool
	fingerprint                                        string
	// nics are RunInstances' NetworkInterface.N, resolved by resolve.
	nics            []nicParams
	DeploymentSetID string
	DedicatedHostID string
	// PoolCriteria and PoolID are PrivatePoolOptions.MatchCriteria and .Id.
	PoolCriteria, PoolID string
	ResourceGroupID      string
	// template, when the call names a launch template: the call as sent,
	// bound once the template's values are merged in (applyTemplate).
	template *templateLaunch

	// shared is ImageId when another account shares it (read before the
	// launch's transaction: it is the owner's).
	shared cloud.CustomImage
	// cfg is the configuration resolve read, for launch in the same
	// transaction.
	cfg cloud.Config
}

// templateLaunch is a launch from a template version (0: the default).
type templateLaunch struct {
	ref     templateRef
	version int
	raw     map[string]string
	run     bool
}

// bind reads the shared parameters; run adds RunInstances' own
// (NetworkInterface.N, SecurityGroupIds.N, AutoReleaseTime), which
// CreateInstance's definition lacks.
func (l *launchParams) bind(p *rpc.Params, run bool) {
	// Only RunInstances takes a launch template; CreateInstance's definition has none.
	var ref templateRef
	version := 0
	if run {
		ref.bind(p)
		version = p.Int("LaunchTemplateVersion", 0, 1, 1<<30)
	}
	if ref.ID != "" || ref.Name != "" {
		// The rest is read once the template's values are known.
		l.RegionID = p.Required("RegionId")
		l.ClientToken = p.ClientToken()
		l.fingerprint = p.Fingerprint()
		l.template = &templateLaunch{ref: ref, version: version, raw: maps.Clone(p.Values()), run: run}
		return
	}
	l.RegionID = p.Required("RegionId")
	l.ImageID = p.Required("ImageId")
	l.InstanceType = p.Required("InstanceType")
	l.ZoneID = p.String("ZoneId")
	if run {
		l.nics = bindNICs(p)
	}
	primary := primaryNIC(l.nics)
	if primary != nil && primary.VSwitchID != "" && p.String("VSwitchId") == "" {
		// A primary NetworkInterface.N stands in for VSwitchId (§5.4).
		l.VSwitchID = primary.VSwitchID
	} else {
		l.VSwitchID = p.Required("VSwitchId")
	}
	if run {
		l.SecurityGroupIDs = p.List("SecurityGroupIds")
	}
	if sg := p.String("SecurityGroupId"); sg != "" {
		l.SecurityGroupIDs = append([]string{sg}, l.SecurityGroupIDs...)
	}
	if len(l.SecurityGroupIDs) == 0 && primary != nil {
		l.SecurityGroupIDs = primary.SecurityGroupIDs
	}
	checkPrimaryNIC(p, primary, l.VSwitchID, l.SecurityGroupIDs)
	if len(l.SecurityGroupIDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("SecurityGroupId"))
	}
	l.Name = p.String("InstanceName")
	l.HostName = p.String("HostName")
	l.Description = p.String("Description")
	l.Password = p.String("Password")
	l.KeyPair = p.String("KeyPairName")
	l.RAMRoleName = p.String("RamRoleName")
	l.DeploymentSetID = p.String("DeploymentSetId")
	l.DedicatedHostID = p.String("DedicatedHostId")
	l.PoolCriteria, l.PoolID = bindPoolOptions(p)
	l.ResourceGroupID = p.String("ResourceGroupId")
	l.ChargeType = p.Enum("InstanceChargeType", cloud.PostPaid, cloud.PostPaid, cloud.PrePaid)
	l.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	l.Period = p.Int("Period", 0, 0, 1000)
	l.AutoRenew = p.Bool("AutoRenew", false)
	l.SpotStrategy = p.Enum("SpotStrategy", "NoSpot", "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")
	l.InternetChargeType = p.Enum("InternetChargeType", "PayByTraffic", "PayByTraffic", "PayByBandwidth")
	l.BandwidthOut = p.Int("InternetMaxBandwidthOut", 0, 0, 100)
	l.Protected = p.Bool("DeletionProtection", false)
	if run {
		l.AutoRelease = p.String("AutoReleaseTime")
	}
	sys := p.Object("SystemDisk")
	l.SystemDisk = cloud.DiskSpec{
		Category: sys.String("Category"), Name: sys.String("DiskName"), Description: sys.String("Description"),
		PerformanceLevel: sys.String("PerformanceLevel"), DeleteWithInstance: true,
	}
	l.systemDiskSize = sys.OptInt("Size", 1, 65536)
	disks := p.Objects("DataDisk")
	if len(disks) > 16 {
		p.Fail(apierr.TooManyDataDisks.New())
	}
	for _, d := range disks {
		spec := cloud.DiskSpec{
			Category: d.String("Category"), Name: d.String("DiskName"), Description: d.String("Description"),
			PerformanceLevel: d.String("PerformanceLevel"), SnapshotID: d.String("SnapshotId"),
			Encrypted: d.Bool("Encrypted", false), DeleteWithInstance: d.Bool("DeleteWithInstance", true),
		}
		l.DataDisks = append(l.DataDisks, spec)
		l.dataDiskSizes = append(l.dataDiskSizes, d.OptInt("Size", 1, 65536))
	}
	l.Tags = p.Tags("Tag")
	if ud := p.String("UserData"); ud != "" {
		l.UserData = ud
		raw, err := base64.StdEncoding.DecodeString(ud)
		switch {
		case err != nil:
			p.Fail(apierr.InvalidUserDataBase64.New())
		case len(raw) > 32*1024:
			p.Fail(apierr.InvalidUserData.New())
		}
	}
	l.ClientToken = p.ClientToken()
	l.DryRun = p.Bool("DryRun", false)
	l.fingerprint = p.Fingerprint()
}

// applyTemplate binds a launch from a launch template: the version's
// values, every parameter of the call winning over them.
func (s *Service) applyTemplate(ctx context.Context, tx store.Tx, l *launchParams) error {
	tl := l.template
	if tl == nil {
		return nil
	}
	t, err := findTemplate(ctx, tx, l.RegionID, tl.ref)
	if err != nil {
		return err
	}
	v, ok := t.Version(tl.version)
	if !ok {
		return apierr.LaunchTemplateVersionNotFound.New()
	}
	merged := cloud.MergeLaunch(v.Data, tl.raw)
	for _, k := range []string{"LaunchTemplateId", "LaunchTemplateName", "LaunchTemplateVersion"} {
		delete(merged, k)
	}
	p := rpc.NewParams(merged)
	fresh := launchParams{}
	fresh.bind(p, tl.run)
	if err := p.Err(); err != nil {
		return err
	}
	fresh.fingerprint = l.fingerprint // the call as sent is what a retry repeats
	fresh.shared = l.shared
	*l = fresh
	return nil
}

// resolve checks a launch against the catalogue and the account's network
// and returns the parts every instance of it shares.
func (s *Service) resolve(ctx context.Context, tx store.Tx, l *launchParams) (cloud.Launch, cloud.VSwitch, error) {
	var out cloud.Launch
	if err := s.checkRegion(l.RegionID); err != nil {
		return out, cloud.VSwitch{}, err
	}
	// The records a launch reads by id, in one round trip where the store
	// can: what follows Gets them in turn.
	keys := []store.Key{{Kind: cloud.VSwitch{}.Kind(), ID: l.VSwitchID}, {Kind: cloud.KindDiskDefaults, ID: cloud.DiskDefaultsID(l.RegionID)},
		{Kind: cloud.CustomImage{}.Kind(), ID: l.ImageID}, {Kind: cloud.KindDeploymentSet, ID: l.DeploymentSetID}, {Kind: cloud.KindKeyPair, ID: l.KeyPair}}
	for _, id := range l.SecurityGroupIDs {
		keys = append(keys, store.Key{Kind: cloud.KindSecurityGroup, ID: id})
	}
	if err := store.Prefetch(ctx, tx, keys...); err != nil {
		return out, cloud.VSwitch{}, err
	}
	image, ok := s.catalog.Image(l.ImageID)
	if !ok && l.shared.ID != "" && l.shared.ID == l.ImageID {
		if l.shared.Status != cloud.ImageAvailable {
			return out, cloud.VSwitch{}, apierr.ImageNotAvailable.New()
		}
		image, ok = l.shared.AsSharedImage(), true
	}
	if !ok {
		m, err := store.GetIn[cloud.CustomImage](ctx, tx, l.RegionID, l.ImageID)
		if err != nil {
			return out, cloud.VSwitch{}, notFound(err, apierr.InvalidImageIDNotFound)
		}
		if m.Status != cloud.ImageAvailable {
			return out, cloud.VSwitch{}, apierr.ImageNotAvailable.New()
		}
		image = m.AsImage()
	}
	itype, ok := s.catalog.InstanceType(l.InstanceType)
	if !ok {
		return out, cloud.VSwitch{}, apierr.InvalidInstanceTypeNotFound.New()
	}
	vsw, err := store.GetIn[cloud.VSwitch](ctx, tx, l.RegionID, l.VSwitchID)
	if err != nil {
		return out, vsw, notFound(err, apierr.InvalidVSwitchIDNotFound)
	}
	if vsw.Status != cloud.NetAvailable {
		return out, vsw, apierr.IncorrectVSwitchStatus.New()
	}
	if l.ZoneID != "" && l.ZoneID != vsw.Zone {
		return out, vsw, apierr.ZoneMismatch.New()
	}
	zone, _ := s.catalog.Zone(vsw.Zone)
	if !s.catalog.ZoneOffers(vsw.Zone, itype.InstanceTypeID) {
		return out, vsw, apierr.InvalidInstanceTypeZone.New(vsw.Zone)
	}
	cfg, err := store.LoadConfig(ctx, tx)
	if err != nil {
		return out, vsw, err
	}
	if cfg.SoldOut(vsw.Zone, itype.InstanceTypeID) {
		return out, vsw, apierr.NoStock.New()
	}
	l.cfg = cfg
	if l.DeploymentSetID != "" {
		if _, err := store.GetIn[cloud.DeploymentSet](ctx, tx, l.RegionID, l.DeploymentSetID); err != nil {
			return out, vsw, notFound(err, apierr.DeploymentSetNotFound)
		}
	}
	if err := checkHostLaunch(ctx, tx, l, vsw.Zone, itype); err != nil {
		return out, vsw, err
	}
	if err := checkPoolLaunch(ctx, tx, l, vsw.Zone, itype.InstanceTypeID); err != nil {
		return out, vsw, err
	}
	if l.KeyPair != "" {
		if _, err := store.GetIn[cloud.KeyPair](ctx, tx, l.RegionID, l.KeyPair); err != nil {
			return out, vsw, notFound(err, apierr.KeyPairNotFound)
		}
		if image.OSType == "windows" {
			return out, vsw, apierr.KeyPairWindowsInstance.New()
		}
	}
	seen := map[string]bool{}
	var sgs []string
	for _, id := range l.SecurityGroupIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		sg, err := store.GetIn[cloud.SecurityGroup](ctx, tx, l.RegionID, id)
		if err != nil {
			return out, vsw, notFound(err, apierr.InvalidSecurityGroupIDNotFound)
		}
		if sg.VpcID != vsw.VpcID {
			return out, vsw, apierr.SecurityGroupVpcMismatch.New()
		}
		sgs = append(sgs, id)
	}
	if err := s.resolveNICs(ctx, tx, l, vsw, sgs, itype); err != nil {
		return out, vsw, err
	}
	if l.ChargeType == cloud.PrePaid && !cloud.ValidPeriod(l.Period, l.PeriodUnit) {
		return out, vsw, apierr.InvalidPeriod.New()
	}
	var autoRelease time.Time
	if l.AutoRelease != "" {
		t, ok := cloud.ParseAPITime(l.AutoRelease)
		if !ok {
			return out, vsw, apierr.InvalidAutoReleaseTime.New()
		}
		if err := cloud.CheckAutoReleaseTime(t, tx.Now()); err != nil {
			return out, vsw, err
		}
		autoRelease = t.Truncate(time.Minute)
	}
	sys := l.SystemDisk
	if sys.Category == "" {
		sys.Category = cloud.DefaultDiskCategory
	}
	if !contains(zone.DiskCategories, sys.Category) {
		return out, vsw, apierr.InvalidSystemDiskCategory.New()
	}
	sys.Size = max(image.Size, 20)
	if l.systemDiskSize != nil {
		if *l.systemDiskSize < image.Size {
			return out, vsw, apierr.InvalidSystemDiskSize.New()
		}
		if r := cloud.SystemDiskSizeRange(sys.Category, sys.PerformanceLevel); !r.Contains(*l.systemDiskSize) {
			return out, vsw, apierr.InvalidSystemDiskSizeRange.New().WithDetail("SystemDisk.Size %d is outside %d-%d GiB for %s",
				*l.systemDiskSize, r.Min, r.Max, cloud.DiskKindName(sys.Category, sys.PerformanceLevel))
		}
		sys.Size = *l.systemDiskSize
	}
	var data []cloud.DiskSpec
	for n, d := range l.DataDisks {
		if d.Category == "" {
			d.Category = cloud.DefaultDiskCategory
		}
		if !contains(zone.DiskCategories, d.Category) {
			return out, vsw, apierr.InvalidDataDiskCategory.New()
		}
		size := l.dataDiskSizes[n]
		if d.SnapshotID != "" {
			snap, err := store.GetIn[cloud.Snapshot](ctx, tx, l.RegionID, d.SnapshotID)
			if err != nil {
				return out, vsw, notFound(err, apierr.InvalidSnapshotIDNotFound)
			}
			if size == nil {
				size = &snap.SourceDiskSize
			}
		}
		if size == nil {
			return out, vsw, apierr.MissingParameter.New("DataDisk." + strconv.Itoa(n+1) + ".Size")
		}
		if r := cloud.DataDiskSizeRange(d.Category, d.PerformanceLevel); !r.Contains(*size) {
			return out, vsw, apierr.InvalidDataDiskSize.New().WithDetail("DataDisk.%d.Size %d is outside %d-%d GiB for %s",
				n+1, *size, r.Min, r.Max, cloud.DiskKindName(d.Category, d.PerformanceLevel))
		}
		d.Size = *size
		data = append(data, d)
	}
	if l.RAMRoleName != "" {
		role, err := instanceRole(ctx, tx, l.RAMRoleName)
		if err != nil {
			return out, vsw, err
		}
		l.RAMRoleName = role.Name
	}
	tags := make([]cloud.Tag, 0, len(l.Tags))
	for _, t := range l.Tags {
		tags = cloud.MergeTags(tags, []cloud.Tag{{Key: t.Key, Value: t.Value}})
	}
	out = cloud.Launch{
		Region: l.RegionID, Zone: vsw.Zone, Name: l.Name, HostName: l.HostName, Desc: l.Description,
		Type: itype, Image: image, SecurityGroups: sgs, ChargeType: l.ChargeType, Period: l.Period,
		PeriodUnit: l.PeriodUnit, AutoRenew: l.AutoRenew, Protected: l.Protected, AutoRelease: autoRelease,
		SpotStrategy: l.SpotStrategy, InternetChargeType: l.InternetChargeType, BandwidthOut: l.BandwidthOut,
		KeyPairName: l.KeyPair, RAMRoleName: l.RAMRoleName, DeploymentSetID: l.DeploymentSetID, DedicatedHostID: l.DedicatedHostID, PoolCriteria: l.PoolCriteria, PoolID: l.PoolID, ResourceGroup: l.ResourceGroupID, Tags: tags, SystemDisk: sys, DataDisks: data, UserData: l.UserData,
	}
	return out, vsw, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// launch creates amount instances of base in one transaction: all or none.
// Every instance gets its primary ENI and one ENI per secondary nics entry;
// with publicIP (RunInstances) one with outbound bandwidth gets a static
// public IP, while CreateInstance leaves that to AllocatePublicIpAddress.
// cfg is the configuration resolve read in the same transaction.
func (s *Service) launch(ctx context.Context, tx store.Tx, base cloud.Launch, vsw cloud.VSwitch, cfg cloud.Config, amount int, publicIP bool, nics ...nicParams) ([]string, error) {
	dd, err := diskDefaults(ctx, tx, base.Region)
	if err != nil {
		return nil, err
	}
	now := tx.Now()
	ids := make([]string, 0, amount)
	pool := vswitchPool{}
	main := pool.add(vsw)
	for n := 0; n < amount; n++ {
		l := base
		l.VSwitch = *main
		l.ID = s.ids.ID("i", l.Region)
		ip, err := primaryIP(ctx, tx, main, primaryNIC(nics))
		if err != nil {
			return nil, err
		}
		l.PrivateIP = ip
		if publicIP && l.BandwidthOut > 0 {
			if l.PublicIP, err = s.freePublicIP(ctx, tx); err != nil {
				return nil, err
			}
		}
		if l.Name == "" {
			l.Name = l.ID
		}
		if l.HostName == "" {
			l.HostName = cloud.DefaultHostName(l.ID)
		}
		l.SystemDiskID = s.ids.ID("d", l.Region)
		l.DataDiskIDs = make([]string, len(l.DataDisks))
		for k := range l.DataDisks {
			l.DataDiskIDs[k] = s.ids.ID("d", l.Region)
		}
		inst, disks := cloud.NewInstance(l, now, cfg.Delays, cfg)
		for k := range disks {
			disks[k] = encryptByDefault(dd, disks[k])
		}
		if err := store.Create(ctx, tx, inst); err != nil {
			return nil, err
		}
		for _, d := range disks {
			if err := store.Create(ctx, tx, d); err != nil {
				return nil, err
			}
		}
		if err := s.launchENIs(ctx, tx, inst, pool, nics, now); err != nil {
			return nil, err
		}
		ids = append(ids, inst.ID)
	}
	if base.DeploymentSetID != "" {
		// Every instance of the launch joins, within the zone's capacity, or none is made.
		ds, err := store.GetIn[cloud.DeploymentSet](ctx, tx, base.Region, base.DeploymentSetID)
		if err != nil {
			return nil, notFound(err, apierr.DeploymentSetNotFound)
		}
		if ds, err = ds.Join(base.Zone, ids...); err != nil {
			return nil, err
		}
		if err := store.Put(ctx, tx, ds); err != nil {
			return nil, err
		}
	}
	if err := placeOnHost(ctx, tx, base, ids); err != nil {
		return nil, err
	}
	if err := takePools(ctx, tx, base, ids); err != nil {
		return nil, err
	}
	return ids, pool.put(ctx, tx)
}

// RunInstancesRequest is spec/semantics.md §5.4.
type RunInstancesRequest struct {
	launchParams
	Amount int
}

// Bind implements rpc.Binder.
func (r *RunInstancesRequest) Bind(p *rpc.Params) {
	r.bind(p, true)
	r.Amount = p.Int("Amount", 1, 1, 100)
	p.Int("MinAmount", 0, 1, 100)
}

// RunInstancesResponse carries InstanceIdSets.InstanceIdSet[].
type RunInstancesResponse struct {
	rpc.Base
	OrderID        string  `json:"OrderId,omitempty"`
	TradePrice     float64 `json:"TradePrice"`
	InstanceIDSets struct {
		InstanceIDSet []string `json:"InstanceIdSet"`
	} `json:"InstanceIdSets"`
}

// RunInstances creates and starts Amount instances, all or none; the same
// ClientToken with the same parameters answers the same ids again.
func (s *Service) RunInstances(ctx context.Context, call *rpc.Call, req *RunInstancesRequest) (*RunInstancesResponse, error) {
	resp := &RunInstancesResponse{}
	if err := s.readShared(ctx, call, &req.launchParams); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, "RunInstances", req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		if err := s.applyTemplate(ctx, tx, &req.launchParams); err != nil {
			return err
		}
		base, vsw, err := s.resolve(ctx, tx, &req.launchParams)
		if err != nil {
			return err
		}
		base.Start = true
		if req.DryRun {
			return dryRun()
		}
		ids, err := s.launch(ctx, tx, base, vsw, req.cfg, req.Amount, true, req.nics...)
		if err != nil {
			return err
		}
		resp.InstanceIDSets.InstanceIDSet = ids
		if base.ChargeType == cloud.PrePaid {
			resp.OrderID = s.ids.Digits(15)
		}
		resp.TradePrice = price(base, req.Amount)
		return store.Remember(ctx, tx, "RunInstances", req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// price is a plausible hourly (PostPaid) or period (PrePaid) price: the
// emulator charges nothing, but clients display TradePrice.
func price(l cloud.Launch, amount int) float64 {
	hourly := cloud.InstanceHourPrice(l.Type) // the price table of DescribePrice
	if l.ChargeType == cloud.PrePaid {
		hourly *= 24 * 30 * float64(max(l.Period, 1)) * 0.7
	}
	return float64(int(hourly*float64(amount)*1000)) / 1000
}

// CreateInstanceRequest is the single-instance variant (§5.4).
type CreateInstanceRequest struct {
	launchParams
}

// Bind implements rpc.Binder.
func (r *CreateInstanceRequest) Bind(p *rpc.Params) { r.bind(p, false) }

// CreateInstanceResponse carries the new InstanceId.
type CreateInstanceResponse struct {
	rpc.Base
	InstanceID string  `json:"InstanceId"`
	OrderID    string  `json:"OrderId,omitempty"`
	TradePrice float64 `json:"TradePrice"`
}

// CreateInstance creates one instance that ends Stopped: no auto-start.
func (s *Service) CreateInstance(ctx context.Context, call *rpc.Call, req *CreateInstanceRequest) (*CreateInstanceResponse, error) {
	resp := &CreateInstanceResponse{}
	if err := s.readShared(ctx, call, &req.launchParams); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, "CreateInstance", req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		if err := s.applyTemplate(ctx, tx, &req.launchParams); err != nil {
			return err
		}
		base, vsw, err := s.resolve(ctx, tx, &req.launchParams)
		if err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		ids, err := s.launch(ctx, tx, base, vsw, req.cfg, 1, false)
		if err != nil {
			return err
		}
		resp.InstanceID = ids[0]
		if base.ChargeType == cloud.PrePaid {
			resp.OrderID = s.ids.Digits(15)
		}
		resp.TradePrice = price(base, 1)
		return store.Remember(ctx, tx, "CreateInstance", req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// loadInstance reads an instance by id in any region: the single-instance
// actions take no RegionId (§3.1).
func loadInstance(ctx context.Context, tx store.Tx, id string) (cloud.Instance, error) {
	if strings.TrimSpace(id) == "" {
		return cloud.Instance{}, apierr.InvalidInstanceIDNotFound.New()
	}
	inst, err := store.Get[cloud.Instance](ctx, tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return inst, apierr.InvalidInstanceIDNotFound.New()
	}
	return inst, err
}
