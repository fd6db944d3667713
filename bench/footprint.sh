#!/usr/bin/env bash
# bench/footprint.sh [N]: bytes on disk per instance (with its system disk and
# primary ENI) in a SQLite store. A server on a new file creates its network
# and one instance (loadgen -workload none -instances 1); bench/seed replaces
# that instance by N clones (20 000 by default) through the bulk import; the
# WAL is checkpointed into the file, whose size is divided by N. With
# FOOTPRINT_DETAIL=1 the sqlite3 shell (if installed) shows each table's and
# index's share; FOOTPRINT_KEEP=PATH keeps a copy of the file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-20000}"
tmp="$(mktemp -d)"
srv_pid=""
cleanup() {
	[[ -n "$srv_pid" ]] && { kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; }
	rm -rf "$tmp"
}
trap cleanup EXIT
CGO_ENABLED=0 go build -o "$tmp/ecslocal" ./cmd/ecslocal
go build -o "$tmp/loadgen" ./bench/loadgen
go build -o "$tmp/seed" ./bench/seed
db="$tmp/f.db"
# Emptied here, not by the background shell: the loop below must never
# read a file not yet made, nor the address of the server before.
: >"$tmp/out"
"$tmp/ecslocal" serve --addr 127.0.0.1:0 --store "sqlite:$db" >"$tmp/out" 2>"$tmp/err" &
srv_pid=$!
addr=""
for _ in $(seq 1 600); do
	addr="$(sed -n 's|^ecslocal listening on http://\([^ ]*\) .*|\1|p' "$tmp/out")"
	[[ -n "$addr" ]] && break
	sleep 0.05
done
[[ -n "$addr" ]] || { cat "$tmp/err" >&2; exit 1; }
"$tmp/loadgen" -addr "$addr" -workload none -instances 1 >/dev/null
kill -TERM "$srv_pid"
wait "$srv_pid" || true
srv_pid=""
"$tmp/seed" -db "$db" -n "$n" >/dev/null
# The seed's own process checkpoints nothing on purpose: do it here, with
# the Go driver the server uses (the sqlite3 shell may be missing).
cat >"$tmp/ckpt.go" <<'GO'
package main

import (
	"database/sql"
	"os"

	_ "modernc.org/sqlite"
)

func main() {
	db, err := sql.Open("sqlite", os.Args[1])
	if err != nil {
		panic(err)
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		panic(err)
	}
	if _, err := db.Exec(`VACUUM`); err != nil {
		panic(err)
	}
	db.Close()
}
GO
go run "$tmp/ckpt.go" "$db"
size=$(stat -c %s "$db")
echo "$n instances (each with its disk and ENI): $size bytes, $((size / n)) bytes per instance"
if [[ "${FOOTPRINT_DETAIL:-}" == 1 ]] && command -v sqlite3 >/dev/null; then
	sqlite3 "$db" "SELECT name, SUM(pgsize)/$n AS bytes_per_instance FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 15;" 2>/dev/null ||
		echo "(this sqlite3 has no dbstat)"
	sqlite3 "$db" "SELECT kind, name, COUNT(*)/$n.0 AS rows_per_instance FROM attrs GROUP BY kind, name HAVING rows_per_instance > 0.5 ORDER BY kind, name;"
	sqlite3 "$db" "SELECT 'counts rows', COUNT(*) FROM counts;"
fi
if [[ -n "${FOOTPRINT_KEEP:-}" ]]; then
	cp "$db" "$FOOTPRINT_KEEP"
fi
