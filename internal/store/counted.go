package store

import (
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// KindIndex names one index of one kind.
type KindIndex struct{ Kind, Name string }

// uncounted are the indexes whose match counts no store keeps: each
// kind's Few (cloud.Kind), the indexes whose every value only one or a few
// records hold. Read once from the registry, which never changes after
// start; per kind, for the writes' one lookup per record.
var uncounted = func() map[string][]string {
	m := map[string][]string{}
	for _, k := range cloud.Kinds() {
		for _, f := range k.Few {
			m[k.Name] = append(m[k.Name], string(f))
		}
	}
	return m
}()

// KeepsCount tells whether the stores keep the match counts of index name
// of kind ("" is every record of the kind in a region: always kept). A
// backend keeps a count per (account, kind, region, name, value) for these
// alone, and Counted answers only queries through them.
func KeepsCount(kind, name string) bool {
	return name == "" || !slices.Contains(uncounted[kind], name)
}

// Uncounted lists the indexes whose match counts the stores do not keep,
// sorted: what a durable store compares with the list its file or
// schema was kept by, at open, to drop the count rows of an index newly
// in it and rebuild those of one gone from it.
func Uncounted() []KindIndex {
	var out []KindIndex
	for kind, names := range uncounted {
		for _, n := range names {
			out = append(out, KindIndex{kind, n})
		}
	}
	slices.SortFunc(out, func(a, b KindIndex) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// UncountedChange compares the indexes a store's counts were kept by (was)
// with Uncounted (now): drop are those whose count rows are to be removed,
// recount those whose counts are to be built from the index rows.
func UncountedChange(was []KindIndex) (drop, recount []KindIndex) {
	now := Uncounted()
	for _, k := range now {
		if !slices.Contains(was, k) {
			drop = append(drop, k)
		}
	}
	for _, k := range was {
		if !slices.Contains(now, k) {
			recount = append(recount, k)
		}
	}
	return drop, recount
}

// UncountedNames answers the indexes of kind whose counts are not kept
// (nil when there are none). The slice is shared: nobody changes it.
func UncountedNames(kind string) []string { return uncounted[kind] }
