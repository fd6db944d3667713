package ecs

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// accountQuotas are the account quotas ecslocal answers: the ceilings of
// resources it does not count against anything (it refuses nothing below
// them), and none for dedicated hosts, which it does not have. The limits
// it does enforce are elsewhere and answered by DescribeLimitation too.
var accountQuotas = map[string]int{
	"max-security-groups":              10000,
	"max-elastic-network-interfaces":   10000,
	"max-postpaid-instance-vcpu-count": 100000,
	"max-spot-instance-vcpu-count":     100000,
	"max-postpaid-yundisk-capacity":    1048576, // GiB
	"max-dedicated-hosts":              10000,
}

// accountAttributeNames are the AttributeName values answered, in the
// order of the reference.
var accountAttributeNames = []string{
	"instance-network-type", "max-security-groups", "max-elastic-network-interfaces",
	"max-postpaid-instance-vcpu-count", "max-spot-instance-vcpu-count", "used-postpaid-instance-vcpu-count",
	"used-spot-instance-vcpu-count", "max-postpaid-yundisk-capacity", "used-postpaid-yundisk-capacity",
	"max-dedicated-hosts", "supported-postpaid-instance-types", "real-name-authentication",
}

// DescribeAccountAttributesRequest names up to 8 attributes (none: all).
type DescribeAccountAttributesRequest struct {
	RegionID, ZoneID string
	Names            []string
}

// Bind implements rpc.Binder.
func (r *DescribeAccountAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ZoneID = p.String("ZoneId")
	r.Names = p.List("AttributeName")
	if len(r.Names) > 8 {
		p.Fail(apierr.InvalidParameter.New("AttributeName"))
	}
	for _, n := range r.Names {
		if !slices.Contains(accountAttributeNames, n) {
			p.Fail(apierr.InvalidParameter.New("AttributeName"))
		}
	}
	if len(r.Names) == 0 {
		r.Names = accountAttributeNames
	}
}

// AccountValueItem is one value of an account attribute.
type AccountValueItem struct {
	Value              string `json:"Value"`
	Count              int    `json:"Count"`
	ZoneID             string `json:"ZoneId,omitempty"`
	InstanceChargeType string `json:"InstanceChargeType,omitempty"`
	InstanceType       string `json:"InstanceType,omitempty"`
	DiskCategory       string `json:"DiskCategory,omitempty"`
}

// AccountAttributeItem is one attribute and its values.
type AccountAttributeItem struct {
	AttributeName   string `json:"AttributeName"`
	AttributeValues struct {
		ValueItem []AccountValueItem `json:"ValueItem"`
	} `json:"AttributeValues"`
}

// DescribeAccountAttributesResponse wraps AccountAttributeItems.AccountAttributeItem[].
type DescribeAccountAttributesResponse struct {
	rpc.Base
	AccountAttributeItems struct {
		AccountAttributeItem []AccountAttributeItem `json:"AccountAttributeItem"`
	} `json:"AccountAttributeItems"`
}

// DescribeAccountAttributes answers the region's quotas (accountQuotas)
// and what the account uses of them now: the vCPUs of its pay-as-you-go
// (and, apart, spot) instances and the GiB of its pay-as-you-go disks by
// category, in the zone when ZoneId is given; the network type (vpc, the
// only one) and the instance types on sale pay-as-you-go per zone.
func (s *Service) DescribeAccountAttributes(ctx context.Context, call *rpc.Call, req *DescribeAccountAttributesRequest) (*DescribeAccountAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	if req.ZoneID != "" {
		if z, ok := s.catalog.Zone(req.ZoneID); !ok || z.RegionID != req.RegionID {
			return nil, apierr.InvalidParameter.New("ZoneId")
		}
	}
	resp := &DescribeAccountAttributesResponse{}
	resp.AccountAttributeItems.AccountAttributeItem = []AccountAttributeItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		for _, name := range req.Names {
			item := AccountAttributeItem{AttributeName: name}
			values, err := s.accountValues(ctx, tx, req, name)
			if err != nil {
				return err
			}
			item.AttributeValues.ValueItem = values
			resp.AccountAttributeItems.AccountAttributeItem = append(resp.AccountAttributeItems.AccountAttributeItem, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// accountValues are the values of one attribute.
func (s *Service) accountValues(ctx context.Context, tx store.Tx, req *DescribeAccountAttributesRequest, name string) ([]AccountValueItem, error) {
	var zoneFilter []store.Filter
	if req.ZoneID != "" {
		zoneFilter = []store.Filter{store.Where("zone", req.ZoneID)}
	}
	switch name {
	case "instance-network-type":
		return []AccountValueItem{{Value: "vpc", Count: 1}}, nil
	case "real-name-authentication":
		return []AccountValueItem{{Value: "yes", Count: 1}}, nil
	case "used-postpaid-instance-vcpu-count", "used-spot-instance-vcpu-count":
		list, err := store.AllShared[cloud.Instance](ctx, tx, req.RegionID, append(zoneFilter, store.Where("chargeType", cloud.PostPaid))...)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, i := range list {
			if spot := i.SpotStrategy != "" && i.SpotStrategy != "NoSpot"; spot == (name == "used-spot-instance-vcpu-count") {
				n += i.CPU
			}
		}
		return []AccountValueItem{{Value: strconv.Itoa(n), Count: 1, ZoneID: req.ZoneID, InstanceChargeType: cloud.PostPaid}}, nil
	case "used-postpaid-yundisk-capacity":
		list, err := store.AllShared[cloud.Disk](ctx, tx, req.RegionID, append(zoneFilter, store.Where("chargeType", cloud.PostPaid))...)
		if err != nil {
			return nil, err
		}
		byCategory := map[string]int{}
		for _, d := range list {
			byCategory[d.Category] += d.Size
		}
		out := []AccountValueItem{}
		for _, c := range slices.Sorted(maps.Keys(byCategory)) {
			out = append(out, AccountValueItem{Value: strconv.Itoa(byCategory[c]), Count: 1, ZoneID: req.ZoneID, DiskCategory: c})
		}
		return out, nil
	case "supported-postpaid-instance-types":
		out := []AccountValueItem{}
		for _, z := range s.catalog.Zones(req.RegionID) {
			if req.ZoneID != "" && z.ZoneID != req.ZoneID {
				continue
			}
			for _, t := range z.InstanceTypes {
				out = append(out, AccountValueItem{Value: t, Count: 1, ZoneID: z.ZoneID, InstanceChargeType: cloud.PostPaid, InstanceType: t})
			}
		}
		return out, nil
	}
	return []AccountValueItem{{Value: strconv.Itoa(accountQuotas[name]), Count: 1}}, nil
}

// limitations are DescribeLimitation's names and values: the limits
// ecslocal enforces, then the quotas of DescribeAccountAttributes.
func limitations() map[string]int {
	out := map[string]int{
		"max-security-group-rules":          maxRulesPerGroup,
		"max-instances-per-security-group":  maxNormalMembers,
		"max-instances-per-enterprise-sg":   maxEnterpriseMembers,
		"max-key-pairs":                     cloud.KeyPairQuota,
		"max-prefix-list-entries":           cloud.MaxPrefixListEntries,
		"max-eni-secondary-ips-unattached":  cloud.MaxAvailableENISecondaryIPs,
		"max-security-groups-per-eni":       cloud.MaxENISecurityGroups,
		"max-route-entries-per-route-table": cloud.RouteEntryQuota,
	}
	for k, v := range accountQuotas {
		out[k] = v
	}
	return out
}

// DescribeLimitationRequest names one limit.
type DescribeLimitationRequest struct{ Limitation string }

// Bind implements rpc.Binder.
func (r *DescribeLimitationRequest) Bind(p *rpc.Params) {
	r.Limitation = p.Required("Limitation")
	if _, ok := limitations()[r.Limitation]; r.Limitation != "" && !ok {
		p.Fail(apierr.InvalidParameter.New("Limitation"))
	}
}

// DescribeLimitationResponse names the limit and its value.
type DescribeLimitationResponse struct {
	rpc.Base
	Limitation string `json:"Limitation"`
	Value      string `json:"Value"`
}

// DescribeLimitation answers one limit by name: the names are ecslocal's
// [choice: the reference lists none], each the very constant the actions
// enforce, or a quota of DescribeAccountAttributes.
func (s *Service) DescribeLimitation(_ context.Context, _ *rpc.Call, req *DescribeLimitationRequest) (*DescribeLimitationResponse, error) {
	return &DescribeLimitationResponse{Limitation: req.Limitation, Value: strconv.Itoa(limitations()[req.Limitation])}, nil
}
