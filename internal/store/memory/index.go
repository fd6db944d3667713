package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/tidwall/btree"

	"github.com/ecslocal/ecslocal/internal/store"
)

// entry is one stored record; never modified once indexed (a Put indexes a
// new entry in place of the old one), so readers may share it.
type entry struct {
	rec store.Record
}

func newEntry(r store.Record) *entry { return &entry{rec: r} }

type (
	recKey                    struct{ kind, id string }
	regionKey                 struct{ kind, region string }
	attrKey                   struct{ kind, name, value string } // every region: most queries name one, most accounts use one
	tokenKey                  struct{ action, token string }
	entrySet                  = btree.BTreeG[*entry]
	entrySetMap[K comparable] map[K]*entrySet
)

func bySeq(a, b *entry) bool { return a.rec.Seq < b.rec.Seq }

func byDue(a, b *entry) bool {
	if !a.rec.Due.Equal(b.rec.Due) {
		return a.rec.Due.Before(b.rec.Due)
	}
	return a.rec.Seq < b.rec.Seq
}

// The store's own lock guards every tree: theirs would be paid for nothing.
var treeOptions = btree.Options{NoLocks: true}

func newSet() *entrySet { return btree.NewBTreeGOptions(bySeq, treeOptions) }

func (m entrySetMap[K]) add(k K, e *entry) {
	s := m[k]
	if s == nil {
		s = newSet()
		m[k] = s
	}
	s.Set(e)
}

// swap puts e in the place of the entry of the same seq in k's set.
func (m entrySetMap[K]) swap(k K, e *entry) {
	m[k].Set(e)
}

func (m entrySetMap[K]) drop(k K, e *entry) {
	if s := m[k]; s != nil {
		s.Delete(e)
		if s.Len() == 0 {
			delete(m, k)
		}
	}
}

// attrSet is the records of one (kind, name, value), every region, with
// how many of them each region holds: the kept count of a store.Counted
// query, changed with the set it counts, found by the same one lookup.
// A set of one record holds it without a tree until a second comes: most
// values are one record's (an address, a name, the instance of a disk or
// an ENI, a status only a new instance has), and a launch and a release
// make and drop several such sets; a tree is three allocations.
type attrSet struct {
	one     *entry   // the set's one record while tree is not made
	tree    entrySet // every record of the set once made
	made    bool
	regions []regionCount // in first, for most accounts, with no allocation
	first   [1]regionCount
}

type regionCount struct {
	region string
	n      int
}

// walk is the set's records in seq order.
func (s *attrSet) walk() seqWalk {
	if !s.made {
		return seqWalk{one: s.one}
	}
	return seqWalk{tree: &s.tree}
}

// seqWalk is an index set to walk in seq order: a tree, or one record.
type seqWalk struct {
	one  *entry
	tree *entrySet
}

func treeWalk(t *entrySet) seqWalk { return seqWalk{tree: t} }

func (w seqWalk) none() bool { return w.one == nil && w.tree == nil }

func (w seqWalk) len() int {
	switch {
	case w.tree != nil:
		return w.tree.Len()
	case w.one != nil:
		return 1
	}
	return 0
}

// scan visits every record in seq order until fn answers false.
func (w seqWalk) scan(fn func(*entry) bool) {
	switch {
	case w.tree != nil:
		w.tree.Scan(fn)
	case w.one != nil:
		fn(w.one)
	}
}

// ascend is scan from the records of seq from and after.
func (w seqWalk) ascend(from int64, fn func(*entry) bool) {
	switch {
	case w.tree != nil:
		w.tree.Ascend(&entry{rec: store.Record{Seq: from}}, fn)
	case w.one != nil && w.one.rec.Seq >= from:
		fn(w.one)
	}
}

// attrSetMap is the sets of every attribute value, each dropped with its
// last record.
type attrSetMap map[attrKey]*attrSet

// count answers how many records of region the set of k holds.
func (m attrSetMap) count(k attrKey, region string) int {
	if s := m[k]; s != nil {
		for _, c := range s.regions {
			if c.region == region {
				return c.n
			}
		}
	}
	return 0
}

func (m attrSetMap) add(k attrKey, e *entry) {
	s := m[k]
	switch {
	case s == nil:
		s = &attrSet{one: e}
		s.regions = s.first[:0]
		m[k] = s
	case !s.made:
		// The second record: the tree is made, copied in by value, so
		// that a lookup reaches the set and its counts through one pointer.
		s.tree, s.made = *newSet(), true
		s.tree.Set(s.one)
		s.one = nil
		s.tree.Set(e)
	default:
		s.tree.Set(e)
	}
	for i := range s.regions {
		if s.regions[i].region == e.rec.Region {
			s.regions[i].n++
			return
		}
	}
	s.regions = append(s.regions, regionCount{e.rec.Region, 1})
}

// swap puts e in the place of the entry of the same seq and region in k's set.
func (m attrSetMap) swap(k attrKey, e *entry) {
	if s := m[k]; !s.made {
		s.one = e
	} else {
		s.tree.Set(e)
	}
}

func (m attrSetMap) drop(k attrKey, e *entry) {
	s := m[k]
	if s == nil {
		return
	}
	if !s.made {
		if s.one.rec.Seq == e.rec.Seq {
			delete(m, k) // its one record: the set goes
		}
		return
	}
	s.tree.Delete(e)
	if s.tree.Len() == 0 {
		delete(m, k)
		return
	}
	for i := range s.regions {
		if s.regions[i].region == e.rec.Region {
			if s.regions[i].n--; s.regions[i].n == 0 {
				s.regions = slices.Delete(s.regions, i, i+1)
			}
			return
		}
	}
}

// account is one tenant's records with the indexes behind every Query, each
// in creation (Seq) order, so a query walks its page and stops.
type account struct {
	recs     map[recKey]*entry
	byKind   entrySetMap[string]
	byRegion entrySetMap[regionKey]
	// byAttr keeps, with each set, the match counts of store.Counted
	// queries of its value; those of no filter are byRegion's sizes.
	byAttr attrSetMap
	due    *btree.BTreeG[*entry] // records with a Due, by (Due, Seq)
	tokens map[tokenKey]store.ClientToken
}

func newAccount() *account {
	return &account{
		recs:     map[recKey]*entry{},
		byKind:   entrySetMap[string]{},
		byRegion: entrySetMap[regionKey]{},
		byAttr:   attrSetMap{},
		due:      btree.NewBTreeGOptions(byDue, treeOptions),
		tokens:   map[tokenKey]store.ClientToken{},
	}
}

func (a *account) insert(e *entry) {
	r := &e.rec
	a.recs[recKey{r.Kind, r.ID}] = e
	a.byKind.add(r.Kind, e)
	a.byRegion.add(regionKey{r.Kind, r.Region}, e)
	for _, at := range r.Attrs {
		a.byAttr.add(attrKey{r.Kind, at.Name, at.Value}, e)
	}
	if !r.Due.IsZero() {
		a.due.Set(e)
	}
}

func (a *account) remove(e *entry) {
	r := &e.rec
	delete(a.recs, recKey{r.Kind, r.ID})
	a.byKind.drop(r.Kind, e)
	a.byRegion.drop(regionKey{r.Kind, r.Region}, e)
	for _, at := range r.Attrs {
		a.byAttr.drop(attrKey{r.Kind, at.Name, at.Value}, e)
	}
	if !r.Due.IsZero() {
		a.due.Delete(e)
	}
}

// replace indexes e in place of old, a version of the same record (same
// kind, id and seq): every set keeps its node and takes the new entry, and
// only the attributes that changed move between sets and counts. A launch
// and its release rewrite their records a dozen times; each rewrite was a
// removal and an insertion in every set and count before.
func (a *account) replace(old, e *entry) {
	o, r := &old.rec, &e.rec
	if o.Region != r.Region {
		a.remove(old)
		a.insert(e)
		return
	}
	a.recs[recKey{r.Kind, r.ID}] = e
	a.byKind.swap(r.Kind, e)
	a.byRegion.swap(regionKey{r.Kind, r.Region}, e)
	for _, at := range o.Attrs {
		if !slices.Contains(r.Attrs, at) {
			a.byAttr.drop(attrKey{r.Kind, at.Name, at.Value}, old)
		}
	}
	for _, at := range r.Attrs {
		if slices.Contains(o.Attrs, at) {
			a.byAttr.swap(attrKey{r.Kind, at.Name, at.Value}, e)
		} else {
			a.byAttr.add(attrKey{r.Kind, at.Name, at.Value}, e)
		}
	}
	switch {
	case o.Due.Equal(r.Due) && !r.Due.IsZero():
		a.due.Set(e) // same (Due, Seq): the node takes e
	case o.Due.Equal(r.Due):
	default:
		if !o.Due.IsZero() {
			a.due.Delete(old)
		}
		if !r.Due.IsZero() {
			a.due.Set(e)
		}
	}
}

// count is the kept count of a store.Counted query: the records of kind
// in region, with attribute (name, value) unless name is "".
func (a *account) count(kind, region, name, value string) int {
	if name == "" {
		if s := a.byRegion[regionKey{kind, region}]; s != nil {
			return s.Len()
		}
		return 0
	}
	return a.byAttr.count(attrKey{kind, name, value}, region)
}

// hasDue tells whether a record of a falls due at or before t.
func (a *account) hasDue(t time.Time) bool {
	if a == nil {
		return false
	}
	e, ok := a.due.Min()
	return ok && !e.rec.Due.After(t)
}

// matches tells whether e has attribute f.Name with one of f.Values.
func matches(e *entry, f store.Filter) bool {
	for _, at := range e.rec.Attrs {
		if at.Name == f.Name && slices.Contains(f.Values, at.Value) {
			return true
		}
	}
	return false
}

// Query implements store.Tx. The plan: explicit ids are looked up and
// sorted; otherwise the smallest index set of a one-value filter (or the
// kind's, or the region's) is walked in creation order and the other
// filters are checked per record; a filter of several values unions its
// sets and sorts them. Total is an index set's size when that set is exactly
// the matches, else the walk counts.
func (t *tx) Query(ctx context.Context, q store.Query) (store.Page, error) {
	name, value, counted := store.Counted(q)
	if !counted {
		return t.query(q)
	}
	q.Count = false
	page, err := t.query(q)
	if t.acct != nil {
		page.Total = t.acct.count(q.Kind, q.Region, name, value)
	}
	return page, err
}

func (t *tx) query(q store.Query) (store.Page, error) {
	var page store.Page
	a := t.acct
	if a == nil {
		return page, nil
	}
	var cands []*entry // explicit candidates, when not walking one set
	var walk seqWalk
	rest := q.Filters
	exact := false // walk holds exactly the matches: Total is its size
	switch {
	case q.IDs != nil:
		for _, id := range q.IDs {
			if e, ok := a.recs[recKey{q.Kind, id}]; ok {
				cands = append(cands, e)
			}
		}
		cands = bySeqOnce(cands)
	default:
		driver := -1
		for k, f := range q.Filters {
			if len(f.Values) != 1 || f.Not {
				continue
			}
			s := a.byAttr[attrKey{q.Kind, f.Name, f.Values[0]}]
			if s == nil {
				return page, nil // nothing has that value
			}
			if w := s.walk(); driver < 0 || w.len() < walk.len() {
				driver, walk = k, w
			}
		}
		switch {
		case driver >= 0:
			rest = without(q.Filters, driver)
			exact = len(rest) == 0 && q.Region == ""
		case positive(q.Filters) >= 0:
			k := positive(q.Filters)
			f := q.Filters[k]
			rest = without(q.Filters, k)
			for _, v := range f.Values {
				if s := a.byAttr[attrKey{q.Kind, f.Name, v}]; s != nil {
					s.walk().scan(func(e *entry) bool {
						cands = append(cands, e)
						return true
					})
				}
			}
			cands = bySeqOnce(cands)
			if cands == nil {
				cands = []*entry{} // walk nothing
			}
		case q.Region != "":
			if t := a.byRegion[regionKey{q.Kind, q.Region}]; t != nil {
				walk = treeWalk(t)
			}
			exact = len(rest) == 0
		default:
			if t := a.byKind[q.Kind]; t != nil {
				walk = treeWalk(t)
			}
			exact = len(rest) == 0
		}
		if walk.none() && cands == nil {
			return page, nil
		}
	}
	keep := func(e *entry) bool {
		if q.Region != "" && e.rec.Region != q.Region {
			return false
		}
		for _, f := range rest {
			if matches(e, f) == f.Not {
				return false
			}
		}
		return true
	}
	// The page: after AfterSeq, past Offset matches, Limit+1 to learn More.
	if q.Limit > 0 {
		n := len(cands)
		if !walk.none() {
			n = walk.len()
		}
		page.Records = make([]store.Record, 0, min(q.Limit+1, n))
	}
	skip := q.Offset
	visit := func(e *entry) bool {
		if e.rec.Seq <= q.AfterSeq || !keep(e) {
			return true
		}
		if skip > 0 {
			skip--
			return true
		}
		if len(page.Records) == q.Limit {
			page.More = true
			return false
		}
		page.Records = append(page.Records, out(e))
		return true
	}
	countAll := func(e *entry) bool {
		if keep(e) {
			page.Total++
		}
		return true
	}
	if !walk.none() {
		if q.Count {
			if exact {
				page.Total = walk.len()
			} else {
				walk.scan(countAll)
			}
		}
		if q.Limit > 0 {
			walk.ascend(q.AfterSeq+1, visit)
		}
		return page, nil
	}
	for _, e := range cands {
		if q.Count {
			countAll(e)
		}
	}
	if q.Limit > 0 {
		for _, e := range cands {
			if !visit(e) {
				break
			}
		}
	}
	return page, nil
}

// positive answers the first filter that is not a negation, or -1.
// bySeqOnce sorts entries by seq, each entry once (an id asked twice, a
// record under two of a filter's values): a sort and a look along the
// page, where a map of those seen cost an allocation and a hash each.
func bySeqOnce(es []*entry) []*entry {
	slices.SortFunc(es, func(a, b *entry) int { return cmp.Compare(a.rec.Seq, b.rec.Seq) })
	out := es[:0]
	run := 0 // where the entries of out's last seq begin
	for _, e := range es {
		if len(out) > 0 && out[len(out)-1].rec.Seq != e.rec.Seq {
			run = len(out)
		}
		if !slices.Contains(out[run:], e) {
			out = append(out, e)
		}
	}
	return out
}

func positive(fs []store.Filter) int {
	for k, f := range fs {
		if !f.Not {
			return k
		}
	}
	return -1
}

func without(fs []store.Filter, k int) []store.Filter {
	return append(append([]store.Filter{}, fs[:k]...), fs[k+1:]...)
}
