package postgres

import (
	"context"
	"fmt"
	"strings"
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
	var plan strings.Builder
	rows, err := conn.Query(ctx, `EXPLAIN EXECUTE nonces('[{"k": "ak", "n": "x", "s": 9}]', 10, '["clock"]', '["a1"]', true)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan.String(), "$3") {
		t.Errorf("the nonce statement planned for its values (a custom plan):\n%s", plan.String())
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
