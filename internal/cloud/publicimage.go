package cloud

import (
	"strings"
	"time"
)

// Alibaba names a public image release <family part>_<yyyymmdd>.vhd
// ("ubuntu_22_04_x64_20G_alibase_20240220.vhd"): the same family is released
// again under a new date. Configurations carry the id of whatever release
// was current when they were written, so any date of a catalogue family is
// that family's image.

// splitDated cuts a public image id into its family part and its date;
// ok is false unless the id ends in _yyyymmdd.vhd with a real date.
func splitDated(id string) (prefix string, date time.Time, ok bool) {
	base, found := strings.CutSuffix(id, ".vhd")
	if !found || len(base) < 10 || base[len(base)-9] != '_' {
		return "", time.Time{}, false
	}
	d, err := time.Parse("20060102", base[len(base)-8:])
	if err != nil {
		return "", time.Time{}, false
	}
	return base[:len(base)-8], d, true
}

// datedImage answers another release of a catalogue family: the family's
// image under the asked id, created on the id's date.
func (c *Catalog) datedImage(id string) (Image, bool) {
	prefix, date, ok := splitDated(id)
	if !ok {
		return Image{}, false
	}
	for _, im := range c.images {
		if p, _, ok := splitDated(im.ImageID); ok && p == prefix {
			im.ImageID, im.ImageName = id, id
			im.CreationTime = date.Format("2006-01-02T15:04:05Z")
			return im, true
		}
	}
	return Image{}, false
}
