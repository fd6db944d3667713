package cloud

import (
	"strconv"
	"strings"
	"time"
)

// KindPlanMaintenanceWindow is the stored kind of O&M windows.
const KindPlanMaintenanceWindow = "planmaintenancewindow"

// WindowTarget is the instances a window applies to.
type WindowTarget struct {
	Scope           string      `json:"Scope"`
	ResourceGroupID string      `json:"ResourceGroupId,omitempty"`
	Tags            []WindowTag `json:"Tags,omitempty"`
}

// WindowTag is a tag a window's target names, spelled as the API spells it.
type WindowTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// WindowRange is one recurring range: "Monday,22:00" (Weekly) or "22:00" (Daily).
type WindowRange struct {
	StartTime string `json:"StartTime"`
	EndTime   string `json:"EndTime"`
}

// WindowPeriod is when the window recurs.
type WindowPeriod struct {
	PeriodUnit string        `json:"PeriodUnit"`
	RangeList  []WindowRange `json:"RangeList"`
}

// PlanMaintenanceWindow is when the cloud may run scheduled O&M on the
// instances its target names.
type PlanMaintenanceWindow struct {
	ID       string       `json:"id"`
	Region   string       `json:"region"`
	Name     string       `json:"name"`
	Enable   bool         `json:"enable"`
	Action   string       `json:"action"`
	Target   WindowTarget `json:"target"`
	Period   WindowPeriod `json:"period"`
	Created  time.Time    `json:"created"`
	Modified time.Time    `json:"modified"`
}

// Kind implements Resource.
func (PlanMaintenanceWindow) Kind() string { return KindPlanMaintenanceWindow }

// Key implements Resource.
func (w PlanMaintenanceWindow) Key() string { return w.ID }

// RegionID implements Resource.
func (w PlanMaintenanceWindow) RegionID() string { return w.Region }

// NextDue implements Resource: a window never changes on its own.
func (PlanMaintenanceWindow) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (w PlanMaintenanceWindow) Indexes() []Index { return []Index{{IdxName, w.Name}} }

// planMaintenanceWindowKind declares the kind to the registry (registry.go).
var planMaintenanceWindowKind = Kind{
	Name:    KindPlanMaintenanceWindow,
	Prefix:  "pw",
	Indexes: []IndexDecl{{IdxName, "DescribePlanMaintenanceWindows PlanWindowName"}},
	Decode:  decoder[PlanMaintenanceWindow](),
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// validClock: HH:MM, 00:00 to 23:59.
func validClock(s string) bool {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	return err1 == nil && err2 == nil && hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59
}

// validPoint is one end of a range in the unit's format.
func validPoint(unit, s string) bool {
	if unit == "Daily" {
		return validClock(s)
	}
	day, clock, ok := strings.Cut(s, ",")
	if !ok {
		return false
	}
	for _, d := range weekdays {
		if d == day {
			return validClock(clock)
		}
	}
	return false
}

// Valid tells which part of the period is malformed ("" when none).
func (p WindowPeriod) Valid() string {
	if p.PeriodUnit != "Daily" && p.PeriodUnit != "Weekly" {
		return "TimePeriod.PeriodUnit"
	}
	if len(p.RangeList) == 0 {
		return "TimePeriod.RangeList"
	}
	for _, r := range p.RangeList {
		if !validPoint(p.PeriodUnit, r.StartTime) || !validPoint(p.PeriodUnit, r.EndTime) {
			return "TimePeriod.RangeList"
		}
	}
	return ""
}

// Valid tells which part of the target is malformed ("" when none).
func (t WindowTarget) Valid() string {
	switch {
	case t.Scope == "Tag" && len(t.Tags) > 0:
	case t.Scope == "ResourceGroup" && t.ResourceGroupID != "":
	default:
		return "TargetResource"
	}
	return ""
}
