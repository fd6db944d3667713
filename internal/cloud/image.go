package cloud

import (
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// KindImage is the stored kind of custom images.
const KindImage = "image"

// Custom image statuses.
const (
	ImageCreating  = "Creating"
	ImageAvailable = "Available"
)

// ImageDisk is one disk of a custom image: the snapshot it is made of.
type ImageDisk struct {
	SnapshotID string `json:"snapshotId"`
	Type       string `json:"type"` // system | data
	Size       int    `json:"size"` // GiB
}

// CustomImage is an image made from an instance or a snapshot. It takes
// the snapshots it is made of: they cannot be deleted while it exists.
type CustomImage struct {
	ID            string      `json:"id"`
	Region        string      `json:"region"`
	Name          string      `json:"name"`
	Description   string      `json:"description,omitempty"`
	Family        string      `json:"family,omitempty"`
	Status        string      `json:"status"`
	Base          Image       `json:"base"` // the OS it carries, from the source's image
	Disks         []ImageDisk `json:"disks"`
	SourceInst    string      `json:"sourceInstance,omitempty"`
	ResourceGroup string      `json:"resourceGroup,omitempty"`
	Tags          []Tag       `json:"tags,omitempty"`
	Created       time.Time   `json:"created"`
	DoneAt        time.Time   `json:"doneAt"`
	// Shares are the other accounts the image is shared with
	// (ModifyImageSharePermission); Public shares it with every account.
	Shares []ImageShare `json:"shares,omitempty"`
	Public bool         `json:"public,omitempty"`
	// CopyOf is the source of an image CopyImage made: while it is
	// Creating, CancelCopyImage may drop it.
	CopyOf string `json:"copyOf,omitempty"`
	// Owner is the owning account, set when the image is read for another
	// account it is shared with; never stored.
	Owner string `json:"-"`
}

// ImageShare is one account an image is shared with, and since when.
type ImageShare struct {
	Account string    `json:"account"`
	At      time.Time `json:"at"`
}

// ShareAll is the index value of a public image: shared with every account.
const ShareAll = "all"

// SharedWith tells whether account may see and launch the image.
func (m CustomImage) SharedWith(account string) bool {
	if m.Public {
		return true
	}
	for _, sh := range m.Shares {
		if sh.Account == account {
			return true
		}
	}
	return false
}

// Shared tells whether anyone but the owner may use the image.
func (m CustomImage) Shared() bool { return m.Public || len(m.Shares) > 0 }

// Kind implements Resource.
func (CustomImage) Kind() string { return KindImage }

// Key implements Resource.
func (m CustomImage) Key() string { return m.ID }

// RegionID implements Resource.
func (m CustomImage) RegionID() string { return m.Region }

// NextDue implements Resource: Creating until its snapshots complete.
func (m CustomImage) NextDue() time.Time {
	if m.Status == ImageCreating {
		return m.DoneAt
	}
	return time.Time{}
}

// Indexes implements Resource.
func (m CustomImage) Indexes() []Index {
	out := []Index{{IdxName, m.Name}, {IdxStatus, m.Status}}
	for _, d := range m.Disks {
		out = append(out, Index{IdxSnapshot, d.SnapshotID})
	}
	if m.ResourceGroup != "" {
		out = append(out, Index{IdxResourceGroup, m.ResourceGroup})
	}
	if m.Family != "" {
		out = append(out, Index{IdxFamily, m.Family})
	}
	for _, sh := range m.Shares {
		out = append(out, Index{IdxShared, sh.Account})
	}
	if m.Public {
		out = append(out, Index{IdxShared, ShareAll})
	}
	return append(out, tagIndexes(m.Tags)...)
}

// TagList implements Tagged.
func (m CustomImage) TagList() []Tag { return m.Tags }

// WithTags implements Tagged.
func (m CustomImage) WithTags(t []Tag) Resource { m.Tags = t; return m }

// SystemSize is the image's minimum system disk (GiB).
func (m CustomImage) SystemSize() int {
	for _, d := range m.Disks {
		if d.Type == DiskSystem {
			return d.Size
		}
	}
	return m.Base.Size
}

// AsImage is the image as launches and DescribeImages see it.
func (m CustomImage) AsImage() Image {
	im := m.Base
	im.ImageID, im.ImageName, im.Description, im.ImageFamily = m.ID, m.Name, m.Description, m.Family
	im.Size, im.ImageOwnerAlias, im.IsPublic, im.Status = m.SystemSize(), "self", false, m.Status
	im.CreationTime = m.Created.UTC().Format("2006-01-02T15:04:05Z")
	return im
}

// imageKind declares the kind to the registry (registry.go).
var imageKind = Kind{
	Name:   KindImage,
	Prefix: "m",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribeImages ImageName; CreateImage's unique name"},
		{IdxStatus, "DescribeImages Status"},
		{IdxSnapshot, "DescribeImages SnapshotId; DeleteSnapshot's image check"},
		{IdxResourceGroup, "DescribeImages ResourceGroupId"},
		{IdxFamily, "DescribeImages ImageFamily; DescribeImageFromFamily"},
		{IdxShared, "DescribeImages ImageOwnerAlias=others: the accounts an image is shared with (\"all\" when public)"},
	}, tagIndexDecls("DescribeImages")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"ecs": "image"}},
	Decode:  decoder[CustomImage](),
	Advance: readyAt(func(m CustomImage) Resource { m.Status = ImageAvailable; return m }),
}

// AsSharedImage is the image as an account it is shared with sees it.
func (m CustomImage) AsSharedImage() Image {
	im := m.AsImage()
	im.ImageOwnerAlias, im.IsPublic = "others", m.Public
	return im
}

// CheckDeleteImage's sibling for shares: an image shared with other
// accounts (or public) must be unshared first, Force or not: the cloud's
// ImageUseShared, which its own OOS DeleteImage template avoids by calling
// ModifyImageSharePermission first.
func CheckDeleteShared(m CustomImage) error {
	if m.Shared() {
		return apierr.ImageUseShared.New()
	}
	return nil
}

// MaxImageShares is how many accounts one image may be shared with.
const MaxImageShares = 500

// ValidImageName: 2 to 128 characters, starting with a letter, not with
// http://, https://, acs: or aliyun.
func ValidImageName(name string) bool {
	n := len([]rune(name))
	if n < 2 || n > 128 {
		return false
	}
	c := name[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	for _, p := range []string{"http://", "https://", "acs:", "aliyun"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return true
}

// CheckDeleteImage is DeleteImage's rule: an image instances run goes only
// with Force.
func CheckDeleteImage(usedBy int, force bool) error {
	if usedBy > 0 && !force {
		return apierr.ImageInUse.New().WithDetail("%d instance(s) use the image", usedBy)
	}
	return nil
}

// ImageRunsOn reports whether instances of type t can run image im: the
// same CPU architecture, and for Windows at least 1 GiB of memory.
func ImageRunsOn(im Image, t InstanceType) bool {
	arm := im.Architecture == "arm64"
	if arm != (t.CPUArchitecture == "ARM") {
		return false
	}
	return im.OSType != "windows" || t.MemorySize >= 1
}
