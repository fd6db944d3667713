package ecs

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// registerENIs adds the elastic network interface actions (§5.7).
func (s *Service) registerENIs(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateNetworkInterface", s.CreateNetworkInterface)
	rpc.Handle(t, v, "AttachNetworkInterface", s.AttachNetworkInterface)
	rpc.Handle(t, v, "DetachNetworkInterface", s.DetachNetworkInterface)
	rpc.Handle(t, v, "DescribeNetworkInterfaces", s.DescribeNetworkInterfaces)
	rpc.Handle(t, v, "DescribeNetworkInterfaceAttribute", s.DescribeNetworkInterfaceAttribute)
	rpc.Handle(t, v, "ModifyNetworkInterfaceAttribute", s.ModifyNetworkInterfaceAttribute)
	rpc.Handle(t, v, "DeleteNetworkInterface", s.DeleteNetworkInterface)
	rpc.Handle(t, v, "AssignPrivateIpAddresses", s.AssignPrivateIpAddresses)
	rpc.Handle(t, v, "UnassignPrivateIpAddresses", s.UnassignPrivateIpAddresses)
}

// loadENI reads an ENI of region by id.
func loadENI(ctx context.Context, tx store.Tx, region, id string) (cloud.ENI, error) {
	if strings.TrimSpace(id) == "" {
		return cloud.ENI{}, apierr.InvalidEniIDNotFound.New()
	}
	e, err := store.GetIn[cloud.ENI](ctx, tx, region, id)
	return e, notFound(err, apierr.InvalidEniIDNotFound)
}

// loadENIInstance reads the instance an ENI action names: the ENI family
// answers InvalidEcsId.NotFound, not the instance family's code.
func loadENIInstance(ctx context.Context, tx store.Tx, region, id string) (cloud.Instance, error) {
	if strings.TrimSpace(id) == "" {
		return cloud.Instance{}, apierr.InvalidEcsIDNotFound.New()
	}
	inst, err := store.GetIn[cloud.Instance](ctx, tx, region, id)
	return inst, notFound(err, apierr.InvalidEcsIDNotFound)
}

// enisOf lists the ENIs attached to instances of region (trunk members
// included), through the "instance" index: one query for a whole page of
// instances. An ENI is in its instance's region; naming it keeps the query
// in one index range instead of one per region stored.
func enisOf(ctx context.Context, tx store.Tx, region string, instanceIDs ...string) (map[string][]cloud.ENI, error) {
	return enisBy(ctx, tx, store.All[cloud.ENI], region, instanceIDs...)
}

// enisOfShared is enisOf for a read that changes nothing (store.FindShared).
func enisOfShared(ctx context.Context, tx store.Tx, region string, instanceIDs ...string) (map[string][]cloud.ENI, error) {
	return enisBy(ctx, tx, store.AllShared[cloud.ENI], region, instanceIDs...)
}

func enisBy(ctx context.Context, tx store.Tx, all func(context.Context, store.Tx, string, ...store.Filter) ([]cloud.ENI, error), region string, instanceIDs ...string) (map[string][]cloud.ENI, error) {
	out := make(map[string][]cloud.ENI, len(instanceIDs))
	if len(instanceIDs) == 0 {
		return out, nil
	}
	enis, err := all(ctx, tx, region, store.Where("instance", instanceIDs...))
	if err != nil {
		return nil, err
	}
	for _, e := range enis {
		id := e.InstanceID()
		out[id] = append(out[id], e)
	}
	return out, nil
}

// instanceENIItems is an instance's NetworkInterfaces.NetworkInterface[]:
// the ENIs attached to it directly (trunk members hang off their trunk),
// primary first, by device index.
func instanceENIItems(enis []cloud.ENI) []InstanceENI {
	direct := make([]cloud.ENI, 0, len(enis))
	for _, e := range enis {
		if e.TrunkID() == "" {
			direct = append(direct, e)
		}
	}
	slices.SortStableFunc(direct, func(a, b cloud.ENI) int {
		return cmp.Compare(a.Attachment.DeviceIndex, b.Attachment.DeviceIndex)
	})
	out := make([]InstanceENI, 0, len(direct))
	for _, e := range direct {
		item := InstanceENI{NetworkInterfaceID: e.ID, MacAddress: e.MAC, PrimaryIPAddress: e.PrivateIP, Type: e.Type}
		item.PrivateIPSets.PrivateIPSet = []PrivateIPSet{{PrivateIPAddress: e.PrivateIP, Primary: true}}
		for _, ip := range e.SecondaryIPs {
			item.PrivateIPSets.PrivateIPSet = append(item.PrivateIPSets.PrivateIPSet, PrivateIPSet{PrivateIPAddress: ip})
		}
		out = append(out, item)
	}
	return out
}

// instanceItems is DescribeInstances' page: the item of each instance of
// list with its ENIs among enis (the page's, in the store's order), as
// instanceItem(i, ENIs of i) makes it (TestInstanceItemsAsInstanceItem),
// without a map of the ENIs by instance, their copies, or an allocation an
// instance for its ENI items and their addresses.
func instanceItems(list []cloud.Instance, enis []cloud.ENI) []InstanceItem {
	byInstance := ownENIs(list, enis)
	addrs := 0
	for _, own := range byInstance {
		slices.SortStableFunc(own, func(a, b int32) int {
			return cmp.Compare(enis[a].Attachment.DeviceIndex, enis[b].Attachment.DeviceIndex)
		})
		for _, k := range own {
			addrs += 1 + len(enis[k].SecondaryIPs)
		}
	}
	// One slice of the page's ENI items, instance n's at from[n]:from[n+1].
	from := make([]int, len(list)+1)
	for n, own := range byInstance {
		from[n+1] = from[n] + len(own)
	}
	own := make([]int32, 0, from[len(list)])
	for _, o := range byInstance {
		own = append(own, o...)
	}
	eniItems := make([]InstanceENI, len(own))
	sets := make([]PrivateIPSet, 0, addrs)
	for j, k := range own {
		e := &enis[k]
		item := &eniItems[j]
		item.NetworkInterfaceID, item.MacAddress, item.PrimaryIPAddress, item.Type = e.ID, e.MAC, e.PrivateIP, e.Type
		start := len(sets)
		sets = append(sets, PrivateIPSet{PrivateIPAddress: e.PrivateIP, Primary: true})
		for _, ip := range e.SecondaryIPs {
			sets = append(sets, PrivateIPSet{PrivateIPAddress: ip})
		}
		item.PrivateIPSets.PrivateIPSet = sets[start:len(sets):len(sets)]
	}
	var pp pageParts
	pp.make(list)
	out := make([]InstanceItem, len(list))
	var p itemParts
	for n := range list {
		pp.next(&list[n], &p)
		out[n] = instanceItemOf(&list[n], eniItems[from[n]:from[n+1]:from[n+1]], &p)
	}
	return out
}

// ownENIs is, for each instance of list, the indexes into enis (the
// store's order) of its direct ENIs, all from one slice (a counting
// sort): trunk members hang off their trunk, not off the instance.
func ownENIs(list []cloud.Instance, enis []cloud.ENI) [][]int32 {
	// A large page finds an ENI's instance by a map, a small one by a look
	// along the page.
	var pos map[string]int
	if len(list) > 16 {
		pos = make(map[string]int, len(list))
		for n := range list {
			pos[list[n].ID] = n
		}
	}
	owner := func(e *cloud.ENI) int {
		a := e.Attachment
		if a == nil || a.TrunkNetworkInterfaceID != "" {
			return -1
		}
		if pos != nil {
			if n, ok := pos[a.InstanceID]; ok {
				return n
			}
			return -1
		}
		for n := range list {
			if list[n].ID == a.InstanceID {
				return n
			}
		}
		return -1
	}
	from := make([]int, len(list)+2)
	for k := range enis {
		if o := owner(&enis[k]); o >= 0 {
			from[o+2]++
		}
	}
	for n := 2; n < len(from); n++ {
		from[n] += from[n-1]
	}
	all := make([]int32, from[len(list)+1])
	for k := range enis {
		if o := owner(&enis[k]); o >= 0 {
			all[from[o+1]] = int32(k)
			from[o+1]++
		}
	}
	out := make([][]int32, len(list))
	for n := range list {
		out[n] = all[from[n]:from[n+1]:from[n+1]]
	}
	return out
}

// pageParts makes each instance's itemParts as instanceItemWith does, its
// times and serial number cut from one string and its lists from one
// slice: a handful of allocations a page rather than some six an item.
type pageParts struct {
	texts string
	// ends are the texts' ends: creation, start, expired (prepaid),
	// auto-release and serial number of each instance in turn.
	ends  []int
	lists []string
	at    int // the next text's index in ends
}

const itemTexts = 5

func (pp *pageParts) make(list []cloud.Instance) {
	pp.ends = make([]int, 0, itemTexts*len(list))
	b := make([]byte, 0, len(list)*(3*17+20+36))
	strs := 0
	for n := range list {
		i := &list[n]
		b = cloud.AppendMinute(b, i.Created)
		pp.ends = append(pp.ends, len(b))
		b = cloud.AppendMinute(b, i.Started)
		pp.ends = append(pp.ends, len(b))
		if i.ChargeType == cloud.PrePaid {
			b = cloud.AppendMinute(b, i.Expires)
		}
		pp.ends = append(pp.ends, len(b))
		b = cloud.AppendSecond(b, i.AutoRelease)
		pp.ends = append(pp.ends, len(b))
		b = appendSerial(b, i.ID)
		pp.ends = append(pp.ends, len(b))
		strs += len(i.SecurityGroups)
		if i.PrivateIP != "" {
			strs++
		}
		if i.PublicIP != "" {
			strs++
		}
	}
	pp.texts = string(b)
	pp.lists = make([]string, 0, strs)
}

// next sets p to the parts of i, the page's next instance.
func (pp *pageParts) next(i *cloud.Instance, p *itemParts) {
	p.creation, p.start, p.expired, p.autoRelease, p.serial = pp.text(), pp.text(), pp.text(), pp.text(), pp.text()
	if i.ChargeType != cloud.PrePaid {
		p.expired = postPaidExpiredTime
	}
	p.groups = pp.list(i.SecurityGroups...)
	p.privateIP, p.publicIP = []string{}, []string{}
	if i.PrivateIP != "" {
		p.privateIP = pp.list(i.PrivateIP)
	}
	if i.PublicIP != "" {
		p.publicIP = pp.list(i.PublicIP)
	}
}

func (pp *pageParts) text() string {
	from := 0
	if pp.at > 0 {
		from = pp.ends[pp.at-1]
	}
	pp.at++
	return pp.texts[from:pp.ends[pp.at-1]]
}

// list appends vs to the page's lists and returns them as a list of their
// own (never nil, as ips and the groups' copy are not).
func (pp *pageParts) list(vs ...string) []string {
	start := len(pp.lists)
	pp.lists = append(pp.lists, vs...)
	return pp.lists[start:len(pp.lists):len(pp.lists)]
}

// macAddress is a MAC address in Alibaba's OUI 00:16:3e.
func (s *Service) macAddress() string {
	n, _ := strconv.Atoi(s.ids.Digits(8))
	return fmt.Sprintf("00:16:3e:%02x:%02x:%02x", n>>16&0xff, n>>8&0xff, n&0xff)
}

// ipInUse tells whether an ENI of the vSwitch holds ip, as its primary or a
// secondary address (an instance's address is its primary ENI's), or a HaVip
// of the vSwitch does. The address filter comes first: the first one-value
// filter drives the store's walk, and an address has an ENI or two where the
// vSwitch may have thousands.
func ipInUse(ctx context.Context, tx store.Tx, vsw cloud.VSwitch, ip string) (bool, error) {
	// A free address (the usual answer) takes all three counts: asked
	// together, one round trip where the store batches.
	in := func(kind, index string) store.Query {
		return store.Query{Kind: kind, Region: vsw.Region, Count: true,
			Filters: []store.Filter{store.Where(index, ip), store.Where("vswitch", vsw.ID)}}
	}
	pages, err := store.QueryAll(ctx, tx, []store.Query{in(cloud.KindENI, "privateIp"), in(cloud.KindENI, "secondaryIp"), in(cloud.KindHaVip, "ip")})
	if err != nil {
		return false, err
	}
	for _, p := range pages {
		if p.Total > 0 {
			return true, nil
		}
	}
	return false, nil
}

// allocateIP hands out the vSwitch's next free address (cloud.NextFreeIP),
// an address being in use when an ENI of the vSwitch holds it.
func allocateIP(ctx context.Context, tx store.Tx, vsw *cloud.VSwitch) (ip string, ok bool, err error) {
	next, ip, ok, err := cloud.NextFreeIP(*vsw, func(ip string) (bool, error) { return ipInUse(ctx, tx, *vsw, ip) })
	if ok {
		*vsw = next
	}
	return ip, ok, err
}

// checkIP validates a chosen address: a host of the vSwitch's block that
// is not reserved (cloud.CheckChosenIP) and not in use.
func checkIP(ctx context.Context, tx store.Tx, vsw cloud.VSwitch, ip, param string) error {
	if err := cloud.CheckChosenIP(vsw, ip, param); err != nil {
		return err
	}
	used, err := ipInUse(ctx, tx, vsw, ip)
	if err != nil {
		return err
	}
	if used {
		return apierr.PrivateIPDuplicated.New()
	}
	return nil
}

// resolveGroups checks security groups for an ENI in vpc: each exists in
// region and lies in vpc. Repeats keep their first place.
func resolveGroups(ctx context.Context, tx store.Tx, region, vpc string, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if slices.Contains(out, id) {
			continue
		}
		sg, err := store.GetIn[cloud.SecurityGroup](ctx, tx, region, id)
		if err != nil {
			return nil, notFound(err, apierr.InvalidSecurityGroupIDNotFound)
		}
		if sg.VpcID != vpc {
			return nil, apierr.EniVpcMismatch.New().WithDetail("security group %s is in %s, not %s", id, sg.VpcID, vpc)
		}
		out = append(out, id)
	}
	return out, nil
}

// groupParams reads SecurityGroupId and SecurityGroupIds.N (or, with list
// "SecurityGroupId", SecurityGroupId.N): at most five groups per ENI.
func groupParams(p *rpc.Params, single, list string) []string {
	ids := p.List(list)
	if single != "" {
		if sg := p.String(single); sg != "" {
			ids = append([]string{sg}, ids...)
		}
	}
	if len(ids) > cloud.MaxENISecurityGroups {
		p.Fail(apierr.InvalidParameter.New(list))
	}
	return ids
}

// vswitchPool holds the vSwitches one launch hands addresses out of, so
// that each is written back once with its last NextIP.
type vswitchPool map[string]*cloud.VSwitch

func (p vswitchPool) add(v cloud.VSwitch) *cloud.VSwitch {
	if x, ok := p[v.ID]; ok {
		return x
	}
	p[v.ID] = &v
	return &v
}

func (p vswitchPool) put(ctx context.Context, tx store.Tx) error {
	ids := make([]string, 0, len(p))
	for id := range p {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := store.Put(ctx, tx, *p[id]); err != nil {
			return err
		}
	}
	return nil
}

// nicParams is one RunInstances NetworkInterface.N (§5.4).
type nicParams struct {
	Primary           bool
	VSwitchID         string
	SecurityGroupIDs  []string
	DeleteOnRelease   bool
	Name, Description string
	IP                string
	prefix            string // "NetworkInterface.N.", for error names
	// Resolved by resolveNICs, for secondary entries.
	vsw cloud.VSwitch
	sgs []string
}

// bindNICs reads NetworkInterface.N.{InstanceType, VSwitchId,
// SecurityGroupId, SecurityGroupIds.N, DeleteOnRelease, NetworkInterfaceName,
// Description, PrimaryIpAddress}; at most one is Primary.
func bindNICs(p *rpc.Params) []nicParams {
	var out []nicParams
	primaries := 0
	for _, o := range p.Objects("NetworkInterface") {
		n := nicParams{
			Primary:          o.Enum("InstanceType", cloud.ENISecondary, cloud.ENIPrimary, cloud.ENISecondary) == cloud.ENIPrimary,
			VSwitchID:        o.String("VSwitchId"),
			SecurityGroupIDs: groupParams(o, "SecurityGroupId", "SecurityGroupIds"),
			DeleteOnRelease:  o.Bool("DeleteOnRelease", true),
			Name:             o.String("NetworkInterfaceName"),
			Description:      o.String("Description"),
			IP:               o.String("PrimaryIpAddress"),
			prefix:           o.Name(""),
		}
		if n.Primary {
			if primaries++; primaries > 1 {
				p.Fail(apierr.InvalidParameter.New(o.Name("InstanceType")))
			}
		}
		out = append(out, n)
	}
	return out
}

// primaryNIC is the Primary entry of nics, or nil.
func primaryNIC(nics []nicParams) *nicParams {
	for i := range nics {
		if nics[i].Primary {
			return &nics[i]
		}
	}
	return nil
}

// checkPrimaryNIC refuses a primary NetworkInterface.N whose vSwitch or
// groups contradict the top-level VSwitchId and SecurityGroupId(s): they
// name the same ENI.
func checkPrimaryNIC(p *rpc.Params, primary *nicParams, vswID string, sgs []string) {
	if primary == nil {
		return
	}
	if primary.VSwitchID != "" && primary.VSwitchID != vswID {
		p.Fail(apierr.InvalidParameter.New(primary.prefix + "VSwitchId"))
	}
	if len(primary.SecurityGroupIDs) > 0 && !slices.Equal(primary.SecurityGroupIDs, sgs) {
		p.Fail(apierr.InvalidParameter.New(primary.prefix + "SecurityGroupId"))
	}
}

// resolveNICs checks NetworkInterface.N against the account's network: a
// secondary ENI's vSwitch (default the instance's) lies in the instance's
// VPC and zone, its groups (default the instance's) in that VPC, and the
// instance type has room for them all (§5.7).
func (s *Service) resolveNICs(ctx context.Context, tx store.Tx, l *launchParams, vsw cloud.VSwitch, sgs []string, itype cloud.InstanceType) error {
	secondaries := 0
	for i := range l.nics {
		n := &l.nics[i]
		if n.Primary {
			continue // the instance's own vSwitch, groups and address
		}
		secondaries++
		n.vsw = vsw
		if n.VSwitchID != "" && n.VSwitchID != vsw.ID {
			w, err := store.GetIn[cloud.VSwitch](ctx, tx, l.RegionID, n.VSwitchID)
			if err != nil {
				return notFound(err, apierr.InvalidVSwitchIDNotFound)
			}
			switch {
			case w.Status != cloud.NetAvailable:
				return apierr.IncorrectVSwitchStatus.New()
			case w.VpcID != vsw.VpcID:
				return apierr.EniVpcMismatch.New().WithDetail("vSwitch %s is not in %s", w.ID, vsw.VpcID)
			case w.Zone != vsw.Zone:
				return apierr.EniZoneMismatch.New().WithDetail("vSwitch %s is not in %s", w.ID, vsw.Zone)
			}
			n.vsw = w
		}
		n.sgs = sgs
		if len(n.SecurityGroupIDs) > 0 {
			groups, err := resolveGroups(ctx, tx, l.RegionID, vsw.VpcID, n.SecurityGroupIDs)
			if err != nil {
				return err
			}
			n.sgs = groups
		}
	}
	if 1+secondaries > itype.EniQuantity {
		return apierr.EniPerInstanceLimitExceeded.New().WithDetail("instance type %s allows %d ENIs", itype.InstanceTypeID, itype.EniQuantity)
	}
	return nil
}

// takeIP is a new ENI's address in vsw: ip when the call chose one (it
// must be free and valid, param names it), else the next free one; when
// none is left the answer is full.
func takeIP(ctx context.Context, tx store.Tx, vsw *cloud.VSwitch, ip, param string, full *apierr.Error) (string, error) {
	if ip != "" {
		return ip, checkIP(ctx, tx, *vsw, ip, param)
	}
	ip, ok, err := allocateIP(ctx, tx, vsw)
	if err == nil && !ok {
		err = full
	}
	return ip, err
}

// primaryIP is the private address of a new instance: the primary
// NetworkInterface.N's PrimaryIpAddress, or the vSwitch's next free one.
func primaryIP(ctx context.Context, tx store.Tx, vsw *cloud.VSwitch, primary *nicParams) (string, error) {
	ip, param := "", ""
	if primary != nil {
		ip, param = primary.IP, primary.prefix+"PrimaryIpAddress"
	}
	return takeIP(ctx, tx, vsw, ip, param, apierr.InvalidParameterMsg.New("The specified VSwitch has no available IP address."))
}

// launchENIs makes the ENIs of a new instance (§3.6 defaults): its primary
// ENI with the instance's address, released with it, and one InUse ENI per
// secondary NetworkInterface.N, DeleteOnRelease true unless the call said
// otherwise.
func (s *Service) launchENIs(ctx context.Context, tx store.Tx, inst cloud.Instance, pool vswitchPool, nics []nicParams, now time.Time) error {
	main, ok := pool[inst.VSwitchID]
	if !ok {
		return fmt.Errorf("launch of %s: vSwitch %s not in the pool", inst.ID, inst.VSwitchID)
	}
	primary := cloud.ENISpec{
		ID: s.ids.ID("eni", inst.Region), Region: inst.Region, VSwitch: *main, Type: cloud.ENIPrimary,
		MAC: s.macAddress(), PrivateIP: inst.PrivateIP, SecurityGroups: inst.SecurityGroups,
		DeleteOnRelease: true, InstanceID: inst.ID, DeviceIndex: 0,
	}
	if p := primaryNIC(nics); p != nil {
		primary.Name, primary.Description = p.Name, p.Description
	}
	if err := store.Create(ctx, tx, cloud.NewENI(primary, now)); err != nil {
		return err
	}
	index := 0
	for _, n := range nics {
		if n.Primary {
			continue
		}
		index++
		vsw := pool.add(n.vsw)
		ip, err := takeIP(ctx, tx, vsw, n.IP, n.prefix+"PrimaryIpAddress", apierr.VSwitchIPNotEnough.New())
		if err != nil {
			return err
		}
		spec := cloud.ENISpec{
			ID: s.ids.ID("eni", inst.Region), Region: inst.Region, VSwitch: *vsw, Type: cloud.ENISecondary,
			Name: n.Name, Description: n.Description, MAC: s.macAddress(), PrivateIP: ip,
			SecurityGroups: n.sgs, DeleteOnRelease: n.DeleteOnRelease, InstanceID: inst.ID, DeviceIndex: index,
		}
		if err := store.Create(ctx, tx, cloud.NewENI(spec, now)); err != nil {
			return err
		}
	}
	return nil
}

// CreateNetworkInterfaceRequest is §5.7 CreateNetworkInterface.
type CreateNetworkInterfaceRequest struct {
	RegionID, VSwitchID, Type, IP, Name, Description string
	ResourceGroupID, ClientToken                     string
	SecurityGroupIDs                                 []string
	DeleteOnRelease                                  *bool
	Tags                                             []rpc.Tag
	DryRun                                           bool
	fingerprint                                      string
}

// Bind implements rpc.Binder.
func (r *CreateNetworkInterfaceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.VSwitchID = p.Required("VSwitchId")
	r.SecurityGroupIDs = groupParams(p, "SecurityGroupId", "SecurityGroupIds")
	if len(r.SecurityGroupIDs) == 0 {
		p.Fail(apierr.MissingParameter.New("SecurityGroupId"))
	}
	r.Type = p.Enum("InstanceType", cloud.ENISecondary, cloud.ENISecondary, cloud.ENITrunk)
	r.DeleteOnRelease = p.OptBool("DeleteOnRelease")
	r.IP = p.String("PrimaryIpAddress")
	r.Name = p.String("NetworkInterfaceName")
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = bindTags(p, "Tag")
	r.ClientToken = p.ClientToken()
	r.DryRun = p.Bool("DryRun", false)
	r.fingerprint = p.Fingerprint()
}

// ENISecurityGroups is the {"SecurityGroupId": [...]} wrapper.
type ENISecurityGroups struct {
	SecurityGroupID []string `json:"SecurityGroupId"`
}

// ENIPrivateIPSets is the {"PrivateIpSet": [...]} wrapper of an ENI.
type ENIPrivateIPSets struct {
	PrivateIPSet []ENIPrivateIP `json:"PrivateIpSet"`
}

// ENIPrivateIP is one private address of an ENI.
type ENIPrivateIP struct {
	PrivateIPAddress   string             `json:"PrivateIpAddress"`
	Primary            bool               `json:"Primary"`
	PrivateDNSName     string             `json:"PrivateDnsName,omitempty"`
	AssociatedPublicIP AssociatedPublicIP `json:"AssociatedPublicIp"`
}

// AssociatedPublicIP is an EIP associated with an ENI address.
type AssociatedPublicIP struct {
	PublicIPAddress string `json:"PublicIpAddress,omitempty"`
	AllocationID    string `json:"AllocationId,omitempty"`
}

func privateIPSets(e cloud.ENI) ENIPrivateIPSets {
	out := ENIPrivateIPSets{PrivateIPSet: []ENIPrivateIP{{PrivateIPAddress: e.PrivateIP, Primary: true}}}
	for _, ip := range e.SecondaryIPs {
		out.PrivateIPSet = append(out.PrivateIPSet, ENIPrivateIP{PrivateIPAddress: ip})
	}
	return out
}

// CreateNetworkInterfaceResponse describes the new ENI.
type CreateNetworkInterfaceResponse struct {
	rpc.Base
	NetworkInterfaceID   string            `json:"NetworkInterfaceId"`
	NetworkInterfaceName string            `json:"NetworkInterfaceName"`
	Description          string            `json:"Description"`
	Status               string            `json:"Status"`
	Type                 string            `json:"Type"`
	MacAddress           string            `json:"MacAddress"`
	PrivateIPAddress     string            `json:"PrivateIpAddress"`
	VpcID                string            `json:"VpcId"`
	VSwitchID            string            `json:"VSwitchId"`
	ZoneID               string            `json:"ZoneId"`
	ResourceGroupID      string            `json:"ResourceGroupId"`
	OwnerID              string            `json:"OwnerId"`
	ServiceManaged       bool              `json:"ServiceManaged"`
	SecurityGroupIDs     ENISecurityGroups `json:"SecurityGroupIds"`
	PrivateIPSets        ENIPrivateIPSets  `json:"PrivateIpSets"`
	Tags                 Tags              `json:"Tags"`
}

// CreateNetworkInterface makes an Available ENI in a vSwitch. DeleteOnRelease
// defaults to the eniDeleteOnReleaseDefault switch (§3.6) [choice].
func (s *Service) CreateNetworkInterface(ctx context.Context, call *rpc.Call, req *CreateNetworkInterfaceRequest) (*CreateNetworkInterfaceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateNetworkInterfaceResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		vsw, err := store.GetIn[cloud.VSwitch](ctx, tx, req.RegionID, req.VSwitchID)
		if err != nil {
			return notFound(err, apierr.InvalidVSwitchIDNotFound)
		}
		if vsw.Status != cloud.NetAvailable {
			return apierr.IncorrectVSwitchStatus.New()
		}
		sgs, err := resolveGroups(ctx, tx, req.RegionID, vsw.VpcID, req.SecurityGroupIDs)
		if err != nil {
			return err
		}
		ip, err := takeIP(ctx, tx, &vsw, req.IP, "PrimaryIpAddress", apierr.VSwitchIPNotEnough.New())
		if err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		dor := cfg.ENIDeleteOnReleaseDefault
		if req.DeleteOnRelease != nil {
			dor = *req.DeleteOnRelease
		}
		e := cloud.NewENI(cloud.ENISpec{
			ID: s.ids.ID("eni", req.RegionID), Region: req.RegionID, VSwitch: vsw, Type: req.Type,
			Name: req.Name, Description: req.Description, MAC: s.macAddress(), PrivateIP: ip,
			SecurityGroups: sgs, DeleteOnRelease: dor, Tags: cloudTags(req.Tags),
			ResourceGroup: req.ResourceGroupID, // ECS shows "" for the default group, as for the instances' own ENIs
		}, tx.Now())
		if err := store.Put(ctx, tx, e); err != nil {
			return err
		}
		if err := store.Put(ctx, tx, vsw); err != nil {
			return err
		}
		*resp = CreateNetworkInterfaceResponse{
			NetworkInterfaceID: e.ID, NetworkInterfaceName: e.Name, Description: e.Description, Status: e.Status,
			Type: e.Type, MacAddress: e.MAC, PrivateIPAddress: e.PrivateIP, VpcID: e.VpcID, VSwitchID: e.VSwitchID,
			ZoneID: e.Zone, ResourceGroupID: e.ResourceGroup, OwnerID: call.Account,
			SecurityGroupIDs: ENISecurityGroups{SecurityGroupID: append([]string{}, e.SecurityGroups...)},
			PrivateIPSets:    privateIPSets(e), Tags: tagsOf(e.Tags),
		}
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// AttachNetworkInterfaceRequest is §5.7 AttachNetworkInterface.
type AttachNetworkInterfaceRequest struct {
	RegionID, ENIID, InstanceID, TrunkID string
}

// Bind implements rpc.Binder.
func (r *AttachNetworkInterfaceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	r.InstanceID = p.Required("InstanceId")
	r.TrunkID = p.String("TrunkNetworkInstanceId")
	p.Int("NetworkCardIndex", 0, 0, 7)
	p.Bool("WaitForNetworkConfigurationReady", false)
}

// AttachNetworkInterfaceResponse is {RequestId}.
type AttachNetworkInterfaceResponse struct{ rpc.Base }

// AttachNetworkInterface attaches an Available ENI to a Running or Stopped
// instance of its VPC and zone, directly (within EniQuantity) or, with
// TrunkNetworkInstanceId, as a member of the instance's trunk ENI (within
// EniTotalQuantity). Attaching → InUse after the ENI delay.
func (s *Service) AttachNetworkInterface(ctx context.Context, call *rpc.Call, req *AttachNetworkInterfaceRequest) (*AttachNetworkInterfaceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		inst, err := loadENIInstance(ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return err
		}
		itype, ok := s.catalog.InstanceType(inst.InstanceType)
		if !ok {
			return fmt.Errorf("instance %s has unknown type %s", inst.ID, inst.InstanceType)
		}
		attached, err := enisOf(ctx, tx, inst.Region, inst.ID)
		if err != nil {
			return err
		}
		a := cloud.ENIAttach{Instance: inst, Type: itype, Attached: attached[inst.ID]}
		if req.TrunkID != "" {
			trunk, err := loadENI(ctx, tx, req.RegionID, req.TrunkID)
			if err != nil {
				return err
			}
			a.Trunk = &trunk
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		next, err := cloud.AttachENI(e, a, tx.Now(), cfg.Delays)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &AttachNetworkInterfaceResponse{}, nil
}

// DetachNetworkInterfaceRequest is §5.7 DetachNetworkInterface.
type DetachNetworkInterfaceRequest struct {
	RegionID, ENIID, InstanceID, TrunkID string
}

// Bind implements rpc.Binder.
func (r *DetachNetworkInterfaceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	r.InstanceID = p.Required("InstanceId")
	r.TrunkID = p.String("TrunkNetworkInstanceId")
}

// DetachNetworkInterfaceResponse is {RequestId}.
type DetachNetworkInterfaceResponse struct{ rpc.Base }

// DetachNetworkInterface detaches an InUse secondary ENI: never the primary
// ENI (400 DetachPrimaryEniNotAllowed), never a trunk ENI with members
// attached (403 EniLinked). Detaching → Available after the ENI delay.
func (s *Service) DetachNetworkInterface(ctx context.Context, call *rpc.Call, req *DetachNetworkInterfaceRequest) (*DetachNetworkInterfaceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		inst, err := loadENIInstance(ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return err
		}
		var members []cloud.ENI
		if e.Type == cloud.ENITrunk {
			if members, err = store.All[cloud.ENI](ctx, tx, e.Region, store.Where("trunk", e.ID)); err != nil {
				return err
			}
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		next, err := cloud.DetachENI(e, inst, req.TrunkID, members, tx.Now(), cfg.Delays)
		if err != nil {
			return err
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &DetachNetworkInterfaceResponse{}, nil
}

// DeleteNetworkInterfaceRequest is §5.7 DeleteNetworkInterface.
type DeleteNetworkInterfaceRequest struct {
	RegionID, ENIID string
	DryRun          bool
}

// Bind implements rpc.Binder.
func (r *DeleteNetworkInterfaceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	r.DryRun = p.Bool("DryRun", false)
}

// DeleteNetworkInterfaceResponse is {RequestId}.
type DeleteNetworkInterfaceResponse struct{ rpc.Base }

// DeleteNetworkInterface deletes an Available ENI: Deleting, then gone.
func (s *Service) DeleteNetworkInterface(ctx context.Context, call *rpc.Call, req *DeleteNetworkInterfaceRequest) (*DeleteNetworkInterfaceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		cfg, err := store.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		next, err := cloud.DeleteENI(e, tx.Now(), cfg.Delays)
		if err != nil {
			return err
		}
		if req.DryRun {
			return dryRun()
		}
		// Its permissions go with the ENI, as in a release.
		perms, err := store.All[cloud.ENIPermission](ctx, tx, e.Region, store.Where(string(cloud.IdxENI), e.ID))
		if err != nil {
			return err
		}
		for _, p := range perms {
			if err := store.Delete[cloud.ENIPermission](ctx, tx, p.ID); err != nil {
				return err
			}
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteNetworkInterfaceResponse{}, nil
}

// ModifyNetworkInterfaceAttributeRequest is §5.7 ModifyNetworkInterfaceAttribute.
type ModifyNetworkInterfaceAttributeRequest struct {
	RegionID, ENIID   string
	Name, Description *string
	DeleteOnRelease   *bool
	SecurityGroupIDs  []string
}

// Bind implements rpc.Binder.
func (r *ModifyNetworkInterfaceAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	if p.Has("NetworkInterfaceName") {
		v := p.String("NetworkInterfaceName")
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Description = &v
	}
	r.DeleteOnRelease = p.OptBool("DeleteOnRelease")
	r.SecurityGroupIDs = groupParams(p, "", "SecurityGroupId")
}

// ModifyNetworkInterfaceAttributeResponse is {RequestId}.
type ModifyNetworkInterfaceAttributeResponse struct{ rpc.Base }

// ModifyNetworkInterfaceAttribute changes an ENI's name, description,
// DeleteOnRelease and groups; unset fields stay. The primary ENI's groups
// are its instance's, so changing them changes the instance's too.
func (s *Service) ModifyNetworkInterfaceAttribute(ctx context.Context, call *rpc.Call, req *ModifyNetworkInterfaceAttributeRequest) (*ModifyNetworkInterfaceAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		m := cloud.ENIModify{Name: req.Name, Description: req.Description, DeleteOnRelease: req.DeleteOnRelease}
		if len(req.SecurityGroupIDs) > 0 {
			if m.SecurityGroups, err = resolveGroups(ctx, tx, e.Region, e.VpcID, req.SecurityGroupIDs); err != nil {
				return err
			}
		}
		next, err := cloud.ModifyENI(e, m)
		if err != nil {
			return err
		}
		if next.Type == cloud.ENIPrimary && m.SecurityGroups != nil && next.InstanceID() != "" {
			inst, err := store.Get[cloud.Instance](ctx, tx, next.InstanceID())
			if err != nil {
				return err
			}
			inst.SecurityGroups = append([]string{}, m.SecurityGroups...)
			if err := store.Put(ctx, tx, inst); err != nil {
				return err
			}
		}
		return store.Put(ctx, tx, next)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyNetworkInterfaceAttributeResponse{}, nil
}

// DescribeNetworkInterfacesRequest is §5.7 DescribeNetworkInterfaces: every
// filter is an index lookup.
type DescribeNetworkInterfacesRequest struct {
	RegionID   string
	IDs        []string
	Filters    []store.Filter
	PageNumber int
	PageSize   int
	Keyset     bool
	MaxResults int
	AfterSeq   int64
}

// eniFilterParams map DescribeNetworkInterfaces parameters to ENI indexes.
var eniFilterParams = []struct{ param, index string }{
	{"InstanceId", "instance"}, {"VpcId", "vpc"}, {"VSwitchId", "vswitch"}, {"SecurityGroupId", "sg"},
	{"PrimaryIpAddress", "privateIp"}, {"NetworkInterfaceName", "name"}, {"ResourceGroupId", "resourceGroup"},
}

// Bind implements rpc.Binder.
func (r *DescribeNetworkInterfacesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("NetworkInterfaceId")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("NetworkInterfaceId"))
	}
	if t := p.Enum("Type", "", cloud.ENIPrimary, cloud.ENISecondary, cloud.ENITrunk); t != "" {
		r.Filters = append(r.Filters, store.Where("type", t))
	}
	if st := p.Enum("Status", "", cloud.ENIAvailable, cloud.ENIAttaching, cloud.ENIInUse, cloud.ENIDetaching, cloud.ENIDeleting); st != "" {
		r.Filters = append(r.Filters, store.Where("status", st))
	}
	for _, f := range eniFilterParams {
		if v := p.String(f.param); v != "" {
			r.Filters = append(r.Filters, store.Where(f.index, v))
		}
	}
	if ips := p.List("PrivateIpAddress"); len(ips) > 0 {
		r.Filters = append(r.Filters, store.Where("privateIp", ips...))
	}
	r.Filters = append(r.Filters, tagFilters(p)...)
	p.Bool("ServiceManaged", false)
	r.PageNumber, r.PageSize = paging(p, 10, 1000)
	if p.Has("MaxResults") || p.String("NextToken") != "" {
		// MaxResults is clamped to 10..500, as the reference describes.
		r.Keyset = true
		r.MaxResults = min(max(p.Int("MaxResults", 10, 0, 1<<30), 10), 500)
		r.AfterSeq = nextToken(p)
	}
}

// ENIAttachmentItem is an ENI's Attachment.
type ENIAttachmentItem struct {
	InstanceID                string `json:"InstanceId"`
	DeviceIndex               int    `json:"DeviceIndex"`
	NetworkCardIndex          int    `json:"NetworkCardIndex"`
	TrunkNetworkInterfaceID   string `json:"TrunkNetworkInterfaceId"`
	MemberNetworkInterfaceIDs struct {
		MemberNetworkInterfaceID []string `json:"MemberNetworkInterfaceId"`
	} `json:"MemberNetworkInterfaceIds"`
}

// NetworkInterfaceSet is one ENI of DescribeNetworkInterfaces (protocol.md §9).
type NetworkInterfaceSet struct {
	NetworkInterfaceID          string             `json:"NetworkInterfaceId"`
	NetworkInterfaceName        string             `json:"NetworkInterfaceName"`
	Description                 string             `json:"Description"`
	Status                      string             `json:"Status"`
	Type                        string             `json:"Type"`
	VpcID                       string             `json:"VpcId"`
	VSwitchID                   string             `json:"VSwitchId"`
	ZoneID                      string             `json:"ZoneId"`
	InstanceID                  string             `json:"InstanceId"`
	MacAddress                  string             `json:"MacAddress"`
	PrivateIPAddress            string             `json:"PrivateIpAddress"`
	CreationTime                string             `json:"CreationTime"`
	ResourceGroupID             string             `json:"ResourceGroupId"`
	OwnerID                     string             `json:"OwnerId"`
	ServiceManaged              bool               `json:"ServiceManaged"`
	DeleteOnRelease             bool               `json:"DeleteOnRelease"`
	QueueNumber                 int                `json:"QueueNumber"`
	NetworkInterfaceTrafficMode string             `json:"NetworkInterfaceTrafficMode"`
	SourceDestCheck             bool               `json:"SourceDestCheck"`
	SecurityGroupIDs            ENISecurityGroups  `json:"SecurityGroupIds"`
	PrivateIPSets               ENIPrivateIPSets   `json:"PrivateIpSets"`
	AssociatedPublicIP          AssociatedPublicIP `json:"AssociatedPublicIp"`
	Ipv6Sets                    struct {
		Ipv6Set []struct{} `json:"Ipv6Set"`
	} `json:"Ipv6Sets"`
	Ipv4PrefixSets struct {
		Ipv4PrefixSet []struct{} `json:"Ipv4PrefixSet"`
	} `json:"Ipv4PrefixSets"`
	Ipv6PrefixSets struct {
		Ipv6PrefixSet []struct{} `json:"Ipv6PrefixSet"`
	} `json:"Ipv6PrefixSets"`
	Tags       Tags               `json:"Tags"`
	Attachment *ENIAttachmentItem `json:"Attachment,omitempty"`
}

func networkInterfaceSet(e cloud.ENI, owner string, members []string) NetworkInterfaceSet {
	it := NetworkInterfaceSet{
		NetworkInterfaceID: e.ID, NetworkInterfaceName: e.Name, Description: e.Description, Status: e.Status,
		Type: e.Type, VpcID: e.VpcID, VSwitchID: e.VSwitchID, ZoneID: e.Zone, InstanceID: e.InstanceID(),
		MacAddress: e.MAC, PrivateIPAddress: e.PrivateIP, CreationTime: cloud.FormatSecond(e.Created),
		ResourceGroupID: e.ResourceGroup, OwnerID: owner, DeleteOnRelease: e.DeleteOnRelease, QueueNumber: 1,
		NetworkInterfaceTrafficMode: "Standard",
		SecurityGroupIDs:            ENISecurityGroups{SecurityGroupID: append([]string{}, e.SecurityGroups...)},
		PrivateIPSets:               privateIPSets(e), Tags: tagsOf(e.Tags),
	}
	it.Ipv6Sets.Ipv6Set = []struct{}{}
	it.Ipv4PrefixSets.Ipv4PrefixSet = []struct{}{}
	it.Ipv6PrefixSets.Ipv6PrefixSet = []struct{}{}
	if e.Attachment != nil || len(members) > 0 {
		a := &ENIAttachmentItem{}
		if e.Attachment != nil {
			a.InstanceID, a.DeviceIndex, a.TrunkNetworkInterfaceID = e.Attachment.InstanceID, e.Attachment.DeviceIndex, e.Attachment.TrunkNetworkInterfaceID
		}
		a.MemberNetworkInterfaceIDs.MemberNetworkInterfaceID = append([]string{}, members...)
		it.Attachment = a
	}
	return it
}

// DescribeNetworkInterfacesResponse wraps NetworkInterfaceSets.NetworkInterfaceSet[].
type DescribeNetworkInterfacesResponse struct {
	rpc.Base
	TotalCount           int    `json:"TotalCount"`
	PageNumber           int    `json:"PageNumber"`
	PageSize             int    `json:"PageSize"`
	NextToken            string `json:"NextToken"`
	NetworkInterfaceSets struct {
		NetworkInterfaceSet []NetworkInterfaceSet `json:"NetworkInterfaceSet"`
	} `json:"NetworkInterfaceSets"`
}

// DescribeNetworkInterfaces lists a region's ENIs; a trunk ENI's members
// are read through the "trunk" index, once per page.
func (s *Service) DescribeNetworkInterfaces(ctx context.Context, call *rpc.Call, req *DescribeNetworkInterfacesRequest) (*DescribeNetworkInterfacesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeNetworkInterfacesResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.NetworkInterfaceSets.NetworkInterfaceSet = []NetworkInterfaceSet{}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Filters: req.Filters, Count: true}
	if req.Keyset {
		q.AfterSeq, q.Limit = req.AfterSeq, req.MaxResults
		resp.PageSize = req.MaxResults
	} else {
		q.Offset, q.Limit = (req.PageNumber-1)*req.PageSize, req.PageSize
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		list, page, err := store.Find[cloud.ENI](ctx, tx, q)
		if err != nil {
			return err
		}
		resp.TotalCount = page.Total
		var trunks []string
		for _, e := range list {
			if e.Type == cloud.ENITrunk {
				trunks = append(trunks, e.ID)
			}
		}
		members := map[string][]string{}
		if len(trunks) > 0 {
			ms, err := store.All[cloud.ENI](ctx, tx, req.RegionID, store.Where("trunk", trunks...))
			if err != nil {
				return err
			}
			for _, m := range ms {
				members[m.TrunkID()] = append(members[m.TrunkID()], m.ID)
			}
		}
		for _, e := range list {
			resp.NetworkInterfaceSets.NetworkInterfaceSet = append(resp.NetworkInterfaceSets.NetworkInterfaceSet, networkInterfaceSet(e, call.Account, members[e.ID]))
		}
		if req.Keyset && page.More && len(page.Records) > 0 {
			resp.NextToken = encodeNextToken(page.Records[len(page.Records)-1].Seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeNetworkInterfaceAttributeRequest names one ENI.
type DescribeNetworkInterfaceAttributeRequest struct {
	RegionID, NetworkInterfaceID string
}

// Bind implements rpc.Binder.
func (r *DescribeNetworkInterfaceAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.NetworkInterfaceID = p.Required("NetworkInterfaceId")
	p.String("Attribute")
}

// DescribeNetworkInterfaceAttributeResponse is one ENI's fields at top level.
type DescribeNetworkInterfaceAttributeResponse struct {
	rpc.Base
	NetworkInterfaceSet
	QoSConfig ENIQoSConfig `json:"QoSConfig"`
}

// DescribeNetworkInterfaceAttribute shows one ENI as DescribeNetworkInterfaces
// lists it; 404 once it is gone.
func (s *Service) DescribeNetworkInterfaceAttribute(ctx context.Context, call *rpc.Call, req *DescribeNetworkInterfaceAttributeRequest) (*DescribeNetworkInterfaceAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeNetworkInterfaceAttributeResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.NetworkInterfaceID)
		if err != nil {
			return err
		}
		var members []string
		if e.Type == cloud.ENITrunk {
			ms, err := store.All[cloud.ENI](ctx, tx, req.RegionID, store.Where("trunk", e.ID))
			if err != nil {
				return err
			}
			for _, m := range ms {
				members = append(members, m.ID)
			}
		}
		resp.NetworkInterfaceSet = networkInterfaceSet(e, call.Account, members)
		resp.QoSConfig = qosConfig(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
