package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestNonceStatementPlannedOnce: the nonce statement's lists are JSON, so
// that after its first executions PostgreSQL keeps one generic plan (its
// parameters shown as $n) instead of planning every batch anew, as it did
// when arrays told each plan how many nonces it had.
func TestNonceStatementPlannedOnce(t *testing.T) {
	dsn, _ := freshSchema(t)
	mustOpen(t, dsn)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Prepare(ctx, "nonces", nonceBatchSQL); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		list := fmt.Sprintf(`[{"k": "ak", "n": "n%d", "s": %d}]`, i, i)
		if i%2 == 1 {
			list = fmt.Sprintf(`[{"k": "ak", "n": "m%d", "s": %d}, {"k": "ak", "n": "o%d", "s": %d}]`, i, i, i, i)
		}
		rows, err := conn.Query(ctx, "nonces", list, int64(10), `["clock", "faults"]`, `["a1"]`, true)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var custom, generic int64
	if err := conn.QueryRow(ctx, `SELECT custom_plans, generic_plans FROM pg_prepared_statements WHERE name = 'nonces'`).Scan(&custom, &generic); err != nil {
		t.Fatal(err)
	}
	// Five custom plans before PostgreSQL compares.
	if custom > 5 || generic != 3 {
		t.Errorf("nonce statement: %d custom plans, %d generic; want 5 and 3", custom, generic)
	}
}

// TestNonceNotText: a nonce PostgreSQL cannot store as text is refused
// alone, and the nonces after it are used as before.
func TestNonceNotText(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, dsn)
	ctx := context.Background()
	now := time.Now()
	for _, bad := range []string{"n\xff", "n\x00"} {
		if _, err := db.UseNonce(ctx, "ak", bad, now); err == nil {
			t.Errorf("UseNonce(%q): no error", bad)
		}
	}
	for _, want := range []bool{true, false} {
		fresh, err := db.UseNonce(ctx, "ak", "n1", now)
		if err != nil || fresh != want {
			t.Errorf("UseNonce(n1) = %v, %v; want %v", fresh, err, want)
		}
	}
}

// TestNonceStatementGeneric: the store binds the nonce statement to its
// generic plan from its first use (genericPlanSQL), never planning it per
// call, and the connection's plan_cache_mode is its own again after.
func TestNonceStatementGeneric(t *testing.T) {
	dsn, _ := freshSchema(t)
	db := mustOpen(t, withParam(dsn, "pool_max_conns", "1"))
	ctx := context.Background()
	now := time.Now()
	for i := range 12 {
		if fresh, err := db.UseNonce(ctx, "ak", fmt.Sprint("n", i), now); err != nil || !fresh {
			t.Fatalf("nonce %d: fresh %v, %v", i, fresh, err)
		}
	}
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	var custom, generic int64
	var mode string
	if err := c.QueryRow(ctx, `SELECT custom_plans, generic_plans, current_setting('plan_cache_mode') FROM pg_prepared_statements WHERE statement = $1`, nonceBatchSQL).Scan(&custom, &generic, &mode); err != nil {
		t.Fatal(err)
	}
	if custom != 0 || generic != 12 || mode != "auto" {
		t.Errorf("nonce statement: %d custom plans, %d generic, plan_cache_mode %s after; want 0, 12, auto", custom, generic, mode)
	}
}
