package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestMoveLog: a state file that still holds the nonces and the audit log
// (written before they had a file of their own) has them moved to the log
// file when opened: the events read back with their seqs, the next event
// follows them, a kept nonce is still refused, and the state file holds
// neither any more.
func TestMoveLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Back to the layout before the move.
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := old.ExecContext(ctx, logSchema+noncesV1+`
DELETE FROM counters WHERE name = 'event';
INSERT INTO counters (name, n) VALUES ('event', 7);
INSERT INTO nonces (access_key, nonce, seen) VALUES ('ak', 'n-1', ?);
INSERT INTO events (seq, account, action, code, time, data) VALUES (7, 'acct', 'RunInstances', 'OK', 0, '{"seq":7,"account":"acct","action":"RunInstances","code":"OK"}');
INSERT INTO event_resources (resource, seq) VALUES ('i-1', 7);
`, now.UnixNano()); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db = mustOpen(t, path)
	if fresh, err := db.UseNonce(ctx, "ak", "n-1", now); err != nil || fresh {
		t.Errorf("UseNonce of a moved nonce: %v, %v; want false (a replay)", fresh, err)
	}
	if err := db.AppendEvents(ctx, []store.Event{{Account: "acct", Action: "DeleteInstances", Code: "OK", Resources: []string{"i-1"}}}, 0); err != nil {
		t.Fatal(err)
	}
	events, err := db.Events(ctx, store.EventFilter{ResourceID: "i-1", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Seq != 8 || events[1].Seq != 7 || events[1].Action != "RunInstances" {
		t.Errorf("events of i-1 after the move: %+v, want seq 8 (new) and 7 (moved)", events)
	}
	var n int
	if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name IN ('nonces', 'events', 'event_resources')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the state file still holds %d of the log's tables (%v)", n, err)
	}
}

// TestMoveNonces: a log file written with a row a nonce has its nonces
// moved into nonce_batches when opened: one inside the window is still
// refused as a replay (and still after the next restart), one older is
// forgotten, and the old table is gone.
func TestMoveNonces(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Back to the log file's layout before nonce_batches.
	old, err := sql.Open("sqlite", "file:"+path+logSuffix)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := old.ExecContext(ctx, `DROP TABLE nonce_batches;`+noncesV1+`
CREATE INDEX nonces_by_seen ON nonces (seen);
INSERT INTO nonces (access_key, nonce, seen) VALUES ('ak', 'n-1', ?), ('ak', 'n-2', ?), ('ak', 'n-old', ?);
`, now.UnixNano(), now.Add(-time.Second).UnixNano(), now.Add(-store.NonceWindow-time.Minute).UnixNano()); err != nil {
		t.Fatal(err)
	}
	old.Close()

	for restart := range 2 {
		if db, err = Open(ctx, path); err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"n-1", "n-2"} {
			if fresh, err := db.UseNonce(ctx, "ak", n, now.Add(time.Duration(restart)*time.Second)); err != nil || fresh {
				t.Errorf("restart %d: UseNonce of moved %s: %v, %v; want false (a replay)", restart, n, fresh, err)
			}
		}
		var n int
		if err := db.log.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name IN ('nonces', 'nonces_by_seen')`).Scan(&n); err != nil || n != 0 {
			t.Errorf("restart %d: the log file still holds %d of the old nonce tables (%v)", restart, n, err)
		}
		if restart == 0 {
			if fresh, err := db.UseNonce(ctx, "ak", "n-old", now); err != nil || !fresh {
				t.Errorf("UseNonce of a moved nonce older than the window: %v, %v; want fresh", fresh, err)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLogTempStore: the log file's connection keeps its statement
// journals in memory (a batch's multi-row INSERT copies each page it
// changes there first), as the state file's writer does.
func TestLogTempStore(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "t.db"))
	for name, pool := range map[string]*sql.DB{"log": db.log, "state": db.write} {
		var mode int
		if err := pool.QueryRow(`PRAGMA temp_store`).Scan(&mode); err != nil || mode != 2 {
			t.Errorf("%s: temp_store %d (%v), want 2 (memory)", name, mode, err)
		}
	}
}
