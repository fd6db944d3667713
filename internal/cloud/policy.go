package cloud

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// KindAutoSnapshotPolicy is the stored kind of automatic snapshot policies.
const KindAutoSnapshotPolicy = "autosnapshotpolicy"

// PolicyNormal is the Status DescribeAutoSnapshotPolicyEx shows for a policy
// that is in force.
const PolicyNormal = "Normal"

// PolicyZone is the time zone of TimePoints and RepeatWeekdays. The API
// reference gives hours "from 00:00 to 23:00" without a zone; the console,
// and Alibaba's documentation for China regions, read them as Beijing time,
// so the emulator uses UTC+8 in every region (one rule, independent of the
// RegionId) [choice].
var PolicyZone = time.FixedZone("UTC+8", 8*60*60)

// AutoSnapshotPolicy is an automatic snapshot policy (§1, §5.6): at each of
// its TimePoints on each of its RepeatWeekdays it snapshots every disk bound
// to it. Disks name their policy (Disk.AutoSnapshotPolicy); the policy does
// not list its disks, so a released disk simply drops out (§3.6).
type AutoSnapshotPolicy struct {
	ID             string    `json:"id"`
	Region         string    `json:"region"`
	Name           string    `json:"name"`
	TimePoints     []int     `json:"timePoints"`     // hours 0..23, UTC+8
	RepeatWeekdays []int     `json:"repeatWeekdays"` // 1 = Monday … 7 = Sunday
	RetentionDays  int       `json:"retentionDays"`  // -1 = forever
	Created        time.Time `json:"created"`
	// Last is the latest scheduled firing already applied; the next one is
	// the first TimePoint after it.
	Last time.Time `json:"last,omitzero"`
	// Runs counts firings, scheduled and manual; it keeps the ids of the
	// snapshots of two firings at one instant apart.
	Runs int   `json:"runs,omitempty"`
	Tags []Tag `json:"tags,omitempty"`
}

// Kind implements Resource.
func (AutoSnapshotPolicy) Kind() string { return KindAutoSnapshotPolicy }

// Key implements Resource.
func (p AutoSnapshotPolicy) Key() string { return p.ID }

// RegionID implements Resource.
func (p AutoSnapshotPolicy) RegionID() string { return p.Region }

// Indexes implements Resource: DescribeAutoSnapshotPolicyEx's filters.
func (p AutoSnapshotPolicy) Indexes() []Index {
	return append([]Index{{"name", p.Name}}, tagIndexes(p.Tags)...)
}

// NextDue implements Resource: the next firing. A policy is always due
// sometime; firing with no bound disk only moves Last on.
func (p AutoSnapshotPolicy) NextDue() time.Time {
	after := p.Created
	if p.Last.After(after) {
		after = p.Last
	}
	return NextFiring(p.TimePoints, p.RepeatWeekdays, after)
}

// NextFiring is the first whole hour strictly after after whose hour (in
// PolicyZone) is one of timePoints and whose weekday is one of weekdays;
// zero when either list is empty.
func NextFiring(timePoints, weekdays []int, after time.Time) time.Time {
	if len(timePoints) == 0 || len(weekdays) == 0 {
		return time.Time{}
	}
	// UTC+8 is a whole number of hours off UTC, so an hour boundary is one
	// in both zones.
	t := after.Truncate(time.Hour)
	if !t.After(after) {
		t = t.Add(time.Hour)
	}
	for n := 0; n <= 8*24; n++ {
		local := t.In(PolicyZone)
		if slices.Contains(timePoints, local.Hour()) && slices.Contains(weekdays, APIWeekday(local.Weekday())) {
			return t.UTC()
		}
		t = t.Add(time.Hour)
	}
	return time.Time{} // unreachable with valid lists
}

// APIWeekday numbers days as RepeatWeekdays does: 1 = Monday … 7 = Sunday.
func APIWeekday(d time.Weekday) int {
	if d == time.Sunday {
		return 7
	}
	return int(d)
}

// NormalizeHours checks and sorts TimePoints: 1..24 distinct hours 0..23.
func NormalizeHours(hours []int) ([]int, bool) {
	return normalizeRange(hours, 0, 23, 24)
}

// NormalizeWeekdays checks and sorts RepeatWeekdays: 1..7 distinct days 1..7.
func NormalizeWeekdays(days []int) ([]int, bool) {
	return normalizeRange(days, 1, 7, 7)
}

func normalizeRange(v []int, lo, hi, most int) ([]int, bool) {
	out := slices.Clone(v)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 || len(out) > most || out[0] < lo || out[len(out)-1] > hi {
		return nil, false
	}
	return out, true
}

// ValidPolicyRetention checks a policy's RetentionDays: -1 (forever) or
// 1..65536 days.
func ValidPolicyRetention(days int) bool {
	return days == -1 || days >= 1 && days <= 65536
}

// JSONStrings writes ints the way DescribeAutoSnapshotPolicyEx shows
// TimePoints and RepeatWeekdays: a JSON array of strings inside a string,
// such as ["1","2"].
func JSONStrings(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	b, _ := json.Marshal(s) // a []string cannot fail
	return string(b)
}

// PolicyDisks tells which of disks a firing of p at at snapshots: those
// bound to p whose automatic snapshots are enabled, that exist by then
// (not Creating) and have no snapshot still progressing at at, since the
// real service skips a disk whose previous snapshot is unfinished.
// progressing are snapshots of those disks that were progressing.
func PolicyDisks(p AutoSnapshotPolicy, disks []Disk, progressing []Snapshot, at time.Time) []Disk {
	busy := map[string]bool{}
	for _, s := range progressing {
		if s.Status == SnapshotProgressing && s.DoneAt.After(at) {
			busy[s.SourceDiskID] = true
		}
	}
	var out []Disk
	for _, d := range disks {
		if d.AutoSnapshotPolicy != p.ID || !d.EnableAutoSnapshot || d.Status == DiskCreating || d.IsLocal() || busy[d.ID] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// FirePolicy runs p at at: one automatic snapshot of every disk PolicyDisks
// picks, kept RetentionDays days. A scheduled firing also moves Last to at,
// so that NextDue names the following TimePoint; a manual run (the admin
// API) leaves the schedule alone.
func FirePolicy(p AutoSnapshotPolicy, disks []Disk, progressing []Snapshot, at time.Time, delays Delays, scheduled bool) (AutoSnapshotPolicy, []Snapshot) {
	p.Runs++
	if scheduled {
		p.Last = at
	}
	var out []Snapshot
	for _, d := range PolicyDisks(p, disks, progressing, at) {
		spec := SnapshotSpec{
			ID:   AutoSnapshotID(d.ID, p.ID, at, p.Runs),
			Name: "auto_" + at.In(PolicyZone).Format("20060102") + "_" + strconv.Itoa(p.Runs),
			Type: SnapshotAuto, PolicyID: p.ID, RetentionDays: max(p.RetentionDays, 0),
		}
		out = append(out, NewSnapshot(spec, d, at, delays))
	}
	return p, out
}

// AutoSnapshotID derives the id of an automatic snapshot from its disk, its
// policy, the firing time and run: firings happen inside the due-event
// scheduler, which has no id generator, and the derivation keeps them
// deterministic under a frozen clock. The shape is a real one: "s-", the
// region code the disk id carries, 17 lower-case alphanumerics.
func AutoSnapshotID(diskID, policyID string, at time.Time, run int) string {
	code := "xx0"
	if len(diskID) >= 5 && diskID[:2] == "d-" {
		code = diskID[2:5]
	}
	h := sha256.New()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.UnixNano()))
	binary.BigEndian.PutUint64(b[8:], uint64(run))
	h.Write([]byte(diskID + "\x00" + policyID + "\x00"))
	h.Write(b[:])
	sum := h.Sum(nil)
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	out := make([]byte, 17)
	for i := range out {
		out[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return "s-" + code + string(out)
}

// autoSnapshotPolicyKind declares the kind to the registry (registry.go).
var autoSnapshotPolicyKind = Kind{
	Name:    KindAutoSnapshotPolicy,
	Prefix:  "sp",
	Indexes: append([]IndexDecl{{IdxName, "DescribeAutoSnapshotPolicyEx AutoSnapshotPolicyName"}}, tagIndexDecls("DescribeAutoSnapshotPolicyEx")...),
	Tags:    &TagDecl{ResourceTypes: map[string]string{"ecs": "snapshotpolicy"}},
	Decode:  decoder[AutoSnapshotPolicy](),
	// One firing per Advance, at its own time: the next round re-reads what
	// is due in time order, so a disk released between two firings is gone
	// before the later one.
	Advance: func(ctx context.Context, l Lookup, r Resource, _ time.Time, cfg Config) (Transition, error) {
		p := r.(AutoSnapshotPolicy)
		found, err := l.Find(ctx, KindDisk, Filter{IdxPolicy, []string{p.ID}})
		if err != nil {
			return Transition{}, err
		}
		disks := each[Disk](found)
		ids := make([]string, len(disks))
		for i, d := range disks {
			ids[i] = d.ID
		}
		var progressing []Snapshot
		if len(ids) > 0 {
			found, err := l.Find(ctx, KindSnapshot, Filter{IdxDisk, ids}, Filter{IdxStatus, []string{SnapshotProgressing}})
			if err != nil {
				return Transition{}, err
			}
			progressing = each[Snapshot](found)
		}
		next, snaps := FirePolicy(p, disks, progressing, p.NextDue(), cfg.Delays, true)
		return Transition{Next: next, Also: resources(snaps)}, nil
	},
}

// Tagged.

func (p AutoSnapshotPolicy) TagList() []Tag            { return p.Tags }
func (p AutoSnapshotPolicy) WithTags(t []Tag) Resource { p.Tags = t; return p }
