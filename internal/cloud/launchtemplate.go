package cloud

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// KindLaunchTemplate is the stored kind of launch templates.
const KindLaunchTemplate = "launchtemplate"

// Launch template limits of the API reference.
const (
	LaunchTemplateQuota        = 30 // per region
	LaunchTemplateVersionQuota = 30 // per template
)

// LaunchTemplateVersion is one immutable version: the launch parameters it
// fills in, under their RunInstances names ("ImageId", "SystemDisk.Size",
// "DataDisk.1.Size", "Tag.1.Key"...).
type LaunchTemplateVersion struct {
	Number      int               `json:"number"`
	Description string            `json:"description,omitempty"`
	Data        map[string]string `json:"data"`
	Created     time.Time         `json:"created"`
}

// LaunchTemplate is a named, versioned set of launch parameters.
type LaunchTemplate struct {
	ID             string                  `json:"id"`
	Region         string                  `json:"region"`
	Name           string                  `json:"name"`
	DefaultVersion int                     `json:"defaultVersion"`
	LatestVersion  int                     `json:"latestVersion"`
	Versions       []LaunchTemplateVersion `json:"versions"`
	ResourceGroup  string                  `json:"resourceGroup,omitempty"`
	Tags           []Tag                   `json:"tags,omitempty"`
	Created        time.Time               `json:"created"`
	Modified       time.Time               `json:"modified"`
}

// Kind implements Resource.
func (LaunchTemplate) Kind() string { return KindLaunchTemplate }

// Key implements Resource.
func (t LaunchTemplate) Key() string { return t.ID }

// RegionID implements Resource.
func (t LaunchTemplate) RegionID() string { return t.Region }

// NextDue implements Resource: a template never changes on its own.
func (LaunchTemplate) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (t LaunchTemplate) Indexes() []Index {
	out := []Index{{IdxName, t.Name}}
	if t.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, t.ResourceGroup})
	}
	return append(out, tagIndexes(t.Tags)...)
}

// TagList implements Tagged.
func (t LaunchTemplate) TagList() []Tag { return t.Tags }

// WithTags implements Tagged.
func (t LaunchTemplate) WithTags(tags []Tag) Resource { t.Tags = tags; return t }

// launchTemplateKind declares the kind to the registry (registry.go).
var launchTemplateKind = Kind{
	Name:   KindLaunchTemplate,
	Prefix: "lt",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribeLaunchTemplates LaunchTemplateName; RunInstances LaunchTemplateName; the unique name"},
		{IdxResourceGroup, "DescribeLaunchTemplates TemplateResourceGroupId"},
	}, tagIndexDecls("DescribeLaunchTemplates TemplateTag")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"ecs": "launchtemplate"}},
	Decode: decoder[LaunchTemplate](),
}

// Version answers version n (0: the default).
func (t LaunchTemplate) Version(n int) (LaunchTemplateVersion, bool) {
	if n == 0 {
		n = t.DefaultVersion
	}
	for _, v := range t.Versions {
		if v.Number == n {
			return v, true
		}
	}
	return LaunchTemplateVersion{}, false
}

// templateParams are the top-level launch parameters a template keeps
// (CreateLaunchTemplate's, without the template's own).
var templateParams = []string{
	"AutoReleaseTime", "AutoRenew", "AutoRenewPeriod", "CreditSpecification", "DataDisk", "DeletionProtection",
	"DeploymentSetId", "Description", "HostName", "ImageId", "ImageOwnerAlias", "InstanceChargeType", "InstanceName",
	"InstanceType", "InternetChargeType", "InternetMaxBandwidthIn", "InternetMaxBandwidthOut", "IoOptimized",
	"KeyPairName", "NetworkInterface", "NetworkType", "PasswordInherit", "Period", "PeriodUnit", "PrivateIpAddress",
	"RamRoleName", "ResourceGroupId", "SecurityEnhancementStrategy", "SecurityGroupId", "SecurityGroupIds",
	"SpotDuration", "SpotPriceLimit", "SpotStrategy", "SystemDisk", "Tag", "UserData", "VSwitchId", "VpcId", "ZoneId",
}

// paramGroup is what an explicit parameter replaces: a list (DataDisk.N,
// Tag.N…) as a whole, a struct field (SystemDisk.Size) alone.
func paramGroup(key string) string {
	top, _, _ := strings.Cut(key, ".")
	if top == "SystemDisk" {
		return key
	}
	return top
}

// TemplateData keeps the launch parameters of a CreateLaunchTemplate(Version)
// call.
func TemplateData(values map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range values {
		top, _, _ := strings.Cut(k, ".")
		if slices.Contains(templateParams, top) {
			out[k] = v
		}
	}
	return out
}

// MergeLaunch is a launch from a template version: the template's values,
// with every parameter the request gives winning over them.
func MergeLaunch(template, request map[string]string) map[string]string {
	given := map[string]bool{}
	for k := range request {
		given[paramGroup(k)] = true
	}
	out := maps.Clone(request)
	for k, v := range template {
		if !given[paramGroup(k)] {
			out[k] = v
		}
	}
	return out
}

// ValidTemplateName: 2 to 128 characters, not starting with http:// or
// https://.
func ValidTemplateName(name string) bool {
	n := len([]rune(name))
	return n >= 2 && n <= 128 && !strings.HasPrefix(name, "http://") && !strings.HasPrefix(name, "https://")
}
