package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// ModifyRouteNextHop is ModifyRouteEntry's next-hop change: a custom,
// Available entry of a table where no entry is changing takes the new next
// hop and is Modifying for the route entry delay, as a new entry is Pending.
func ModifyRouteNextHop(e RouteEntry, siblings []RouteEntry, hop NextHop, now time.Time, d Delays) (RouteEntry, error) {
	if e.Type == RouteSystem {
		return e, apierr.RouteEntryModifySystem.New().WithDetail("route entry %s is a system entry", e.ID)
	}
	if e.Status != RouteAvailable {
		return e, apierr.IncorrectRouteEntryStatus.New().WithDetail("route entry %s is %s", e.ID, e.Status)
	}
	for _, s := range siblings {
		if s.ID != e.ID && (s.Status == RoutePending || s.Status == RouteModifying) {
			return e, apierr.IncorrectRouteEntryStatus.New().WithDetail("route entry %s of the table is %s", s.ID, s.Status)
		}
	}
	e.NextHops = []NextHop{hop}
	e.Status, e.DueAt = RouteModifying, now.Add(d.RouteEntry.D())
	return e, nil
}
