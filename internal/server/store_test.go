package server

import (
	"testing"
	"time"
)

// TestSQLiteOptions: the settings after a sqlite: path's "?" are read, and
// a wrong one is refused, naming it.
func TestSQLiteOptions(t *testing.T) {
	path, o, err := sqliteOptions("/x/s.db?memo=off&index_delay=500ms")
	if err != nil || path != "/x/s.db" || !o.memoOff || o.indexDelay == nil || *o.indexDelay != 500*time.Millisecond {
		t.Errorf("memo=off&index_delay=500ms: %q %+v %v", path, o, err)
	}
	if path, o, err := sqliteOptions("s.db"); err != nil || path != "s.db" || o.memoOff || o.indexDelay != nil {
		t.Errorf("no options: %q %+v %v", path, o, err)
	}
	if _, o, err := sqliteOptions("s.db?index_delay=0"); err != nil || o.indexDelay == nil || *o.indexDelay != 0 {
		t.Errorf("index_delay=0: %+v %v", o, err)
	}
	for _, bad := range []string{"s.db?index_delay=soon", "s.db?index_delay=-1s", "s.db?memo=maybe", "s.db?cache=big"} {
		if _, _, err := sqliteOptions(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
