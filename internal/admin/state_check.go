package admin

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/ecslocal/ecslocal/internal/clock"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
)

// checkState refuses a state document any live endpoint would refuse in
// part, before anything is written: each section is held to the rule of the
// endpoint that sets it. Faults are rewritten with the defaults
// POST /_ecslocal/faults fills in.
func checkState(st *State) error {
	if v, ok := st.Meta[store.MetaConfig]; ok {
		if _, err := decodeConfig(v); err != nil {
			return stateErrorf("state: meta.config: %v", err)
		}
	}
	if v, ok := st.Meta[store.MetaFaults]; ok {
		faults, err := decodeFaults(v)
		if err != nil {
			return err
		}
		b, err := json.Marshal(faults)
		if err != nil {
			return err
		}
		st.Meta[store.MetaFaults] = b
	}
	if st.Clock != nil && !st.Clock.Now.IsZero() {
		if t := st.Clock.Now; !clock.InRange(t) {
			return stateErrorf("state: clock.now %s is outside the representable range %s .. %s",
				t.Format(time.RFC3339), clock.MinTime.Format(time.RFC3339), clock.MaxTime.Format(time.RFC3339))
		}
	}
	// A resource id names one resource in the whole world: the admin API
	// finds an instance by id in whichever account holds it.
	owner := map[[2]string]string{}
	for _, acc := range st.Accounts {
		for _, res := range acc.Resources {
			key := [2]string{res.Kind, res.ID}
			if other, ok := owner[key]; ok && other != acc.Account {
				return stateErrorf("state: %s %s is in accounts %s and %s: a resource id belongs to one account", res.Kind, res.ID, other, acc.Account)
			}
			owner[key] = acc.Account
		}
	}
	return nil
}

// decodeFaults reads meta.faults as the list of armed faults, each held to
// the rule of POST /_ecslocal/faults.
func decodeFaults(raw []byte) ([]Fault, error) {
	var faults []Fault
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&faults); err != nil {
		return nil, stateErrorf("state: meta.faults: not a list of faults: %v", err)
	}
	for i := range faults {
		if err := faults[i].normalize(); err != nil {
			return nil, stateErrorf("state: meta.faults[%d]: %v", i, err)
		}
	}
	if faults == nil {
		faults = []Fault{}
	}
	return faults, nil
}

// decodeConfig reads a whole switch set strictly and validates it: the one
// rule for PATCH /_ecslocal/config (after merging) and a state import.
func decodeConfig(raw []byte) (cloud.Config, error) {
	var c cloud.Config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return cloud.Config{}, err
	}
	if err := c.Validate(); err != nil {
		return cloud.Config{}, err
	}
	return c, nil
}

// clockOffset is the running clock's new offset so that now becomes target,
// refused when the move or the offset does not fit a time.Duration (which
// would otherwise saturate silently to some other date).
func clockOffset(offset time.Duration, now, target time.Time) (time.Duration, error) {
	d := target.Sub(now)
	if !now.Add(d).Equal(target) {
		return 0, stateErrorf("state: clock.now %s is too far from the current clock %s to move to", target.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	sum := offset + d
	if (d > 0 && sum < offset) || (d < 0 && sum > offset) {
		return 0, stateErrorf("state: clock.now %s is too far from the wall clock to run at", target.Format(time.RFC3339))
	}
	return sum, nil
}
