#!/usr/bin/env bash
# bench/run.sh: ecslocal's benchmark report, reproducible on any machine.
#
#   bench/run.sh            every workload, 5 s each, on memory, sqlite and
#                           (with ECSLOCAL_TEST_POSTGRES) postgres
#   bench/run.sh --short    the same, 1 s each: the CI smoke run (< 60 s)
#   BENCH_STORES=memory bench/run.sh   only the stores named (memory sqlite postgres)
#   bench/run.sh --scale    1k, 100k and 1M stored instances on sqlite:
#                           DescribeInstances by id, status and tag, a page,
#                           DeleteInstances (by id and tag again with the
#                           file in the OS page cache), resident memory, file size,
#                           start-up time (long: the 1M seeding takes minutes
#                           and ~25 GB of free disk)
#
# Every figure is also given as a share of the bare net/http ceiling
# measured in the same run on the same machine (bench/loadgen -workload
# ceiling): on a shared, noisy machine only ratios measured together count.
# Two connections by default (BENCH_CONNS), as the CI machines have 2 cores;
# the load generator runs on the same cores as the server. The ceiling is a
# bare handler in a process of its own, as the server under test is
# (ceiling-inprocess, shown beside it, saves the switch between processes
# on every call, which no server can).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=full
case "${1:-}" in
"") ;;
--short) mode=short ;;
--scale) mode=scale ;;
*)
	echo "usage: bench/run.sh [--short|--scale]" >&2
	exit 2
	;;
esac

conns="${BENCH_CONNS:-2}"
case "$mode" in
short) dur=1s warm=200ms ;;
full) dur=5s warm=500ms ;;
scale) dur=3s warm=300ms ;;
esac

tmp="$(mktemp -d)"
srv_pid=""
cleanup() {
	if [[ -n "$srv_pid" ]]; then
		kill "$srv_pid" 2>/dev/null || true
		wait "$srv_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "building ecslocal and the load generator"
CGO_ENABLED=0 go build -o "$tmp/ecslocal" ./cmd/ecslocal
go build -o "$tmp/loadgen" ./bench/loadgen
[[ "$mode" == scale ]] && go build -o "$tmp/seed" ./bench/seed
results="$tmp/results.jsonl"
: >"$results"

echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown CPU)," \
	"$(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo 2>/dev/null || echo '? GB'), $(go version | cut -d' ' -f3-)"
echo "load: $conns connections, $dur per workload after $warm of warm-up; loadgen and server share the cores"

# start STORE [FLAGS…]: starts the server, sets srv_pid and srv_addr.
# Answers 1 when it does not start (the PostgreSQL store may be missing).
start() {
	local store="$1"
	shift
	# Emptied here, not by the background shell: the loop below must never
	# read a file not yet made, nor the address of the server before.
	: >"$tmp/out"
	"$tmp/ecslocal" serve --addr 127.0.0.1:0 --store "$store" "$@" >"$tmp/out" 2>"$tmp/err" &
	srv_pid=$!
	srv_addr=""
	for _ in $(seq 1 600); do
		srv_addr="$(sed -n 's|^ecslocal listening on http://\([^ ]*\) .*|\1|p' "$tmp/out")"
		[[ -n "$srv_addr" ]] && return 0
		kill -0 "$srv_pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "ecslocal --store $store did not start:" >&2
	cat "$tmp/err" >&2
	kill "$srv_pid" 2>/dev/null || true
	wait "$srv_pid" 2>/dev/null || true
	srv_pid=""
	return 1
}

stop() {
	kill -TERM "$srv_pid"
	wait "$srv_pid" || true
	srv_pid=""
}

rss_mb() { awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
size_mb() { du -cb "$@" 2>/dev/null | awk 'END{printf "%.1f", $1/1048576}'; }

# extra LABEL KEY=VALUE…: a resources line for the report.
extra() {
	local label="$1" sep="" kv
	shift
	local json="{\"workload\":\"resources\",\"label\":\"$label\",\"extra\":{"
	for kv in "$@"; do
		json+="$sep\"${kv%%=*}\":${kv#*=}"
		sep=","
	done
	echo "$json}}" >>"$results"
}

loadgen() { "$tmp/loadgen" -c "$conns" -d "$dur" -warmup "$warm" -out "$results" "$@"; }
startup() { "$tmp/loadgen" startup -out "$results" "$@"; }

echo
echo "=== the ceiling: a bare net/http handler answering a fixed JSON body"
loadgen -workload ceiling,ceiling-inprocess -label "net/http"

if [[ "$mode" != scale ]]; then
	workloads="describe10,describe100,describe-id,run-delete,delete100,mixed"
	first=1
	# BENCH_STORES picks some of them, e.g. BENCH_STORES=memory.
	want=" ${BENCH_STORES:-memory sqlite postgres} "
	stores=()
	[[ "$want" == *" memory "* ]] && stores+=("memory")
	[[ "$want" == *" sqlite "* ]] && stores+=("sqlite:$tmp/x.db")
	if [[ "$want" != *" postgres "* ]]; then
		:
	elif [[ -n "${ECSLOCAL_TEST_POSTGRES:-}" ]]; then
		pg="$ECSLOCAL_TEST_POSTGRES"
		[[ "$pg" == *\?* ]] && pg+="&" || pg+="?"
		stores+=("${pg}ecslocal_schema=auto")
	else
		echo "(ECSLOCAL_TEST_POSTGRES unset: no PostgreSQL run)"
	fi
	for store in "${stores[@]}"; do
		label="${store%%:*}"
		[[ "$label" == postgres* ]] && label=postgres
		echo
		echo "=== $label: $workloads"
		if ! start "$store"; then
			echo "skipping $label"
			continue
		fi
		w="$workloads"
		# Once, on the first store: a bare handler sending describe10's answer.
		[[ -n "$first" ]] && w="describe10,answer-ceiling,${workloads#describe10,}"
		first=""
		loadgen -addr "$srv_addr" -workload "$w" -label "$label"
		rss="$(rss_mb "$srv_pid")"
		stop
		if [[ "$label" == sqlite ]]; then
			extra "$label after the workloads" "rssMB=$rss" "fileMB=$(size_mb "$tmp"/x.db*)"
		else
			extra "$label after the workloads" "rssMB=$rss"
		fi
	done
	echo
	echo "=== the ceiling again, to see the machine drift (the report uses the higher)"
	loadgen -workload ceiling -label "net/http, again"
	echo
	echo "=== start-up, exec to a healthy server (5 starts each)"
	startup -n 5 -label "memory" -- "$tmp/ecslocal" serve --addr 127.0.0.1:0 --store memory
	startup -n 5 -label "sqlite, new file" -- "$tmp/ecslocal" serve --addr 127.0.0.1:0 --store "sqlite:$tmp/empty-{n}.db"
else
	sizes="${BENCH_SCALE_SIZES:-1000 100000 1000000}"
	for n in $sizes; do
		db="$tmp/scale-$n.db"
		echo
		echo "=== $n instances stored (sqlite)"
		# A template instance made by the server itself, then n clones.
		start "sqlite:$db"
		"$tmp/loadgen" -addr "$srv_addr" -workload none -instances 1
		stop
		t0=$(date +%s%N)
		"$tmp/seed" -db "$db" -n "$n"
		seed_s=$(( ($(date +%s%N) - t0) / 1000000000 ))
		startup -n 3 -label "sqlite stored=$n" -- "$tmp/ecslocal" serve --addr 127.0.0.1:0 --store "sqlite:$db"
		# The file's layout is what scales or not: these passes run with
		# the read memo off, every call running its statements (with it, a
		# small store's repeated reads come from memory, a large one's
		# random reads seldom do); a last pass has it on.
		start "sqlite:$db?memo=off"
		rss0="$(rss_mb "$srv_pid")"
		loadgen -addr "$srv_addr" -seeded "$n" -instances 0 -workload describe-id,describe-status,describe-tag,describe10,delete-seeded -label "sqlite stored=$n"
		# Again with the whole file in the OS page cache, as on a server that
		# has been running: the cold figures above include reading the pages
		# a call touches from disk (a million instances are 11 GB).
		cat "$db" "$db-wal" >/dev/null 2>&1 || true
		loadgen -addr "$srv_addr" -seeded "$n" -instances 0 -workload describe-id,describe-status,describe-tag,describe10 -label "sqlite file cached, stored=$n"
		rss="$(rss_mb "$srv_pid")"
		stop
		start "sqlite:$db"
		loadgen -addr "$srv_addr" -seeded "$n" -instances 0 -workload describe-id,describe-status,describe-tag,describe10 -label "sqlite file cached, memo on, stored=$n"
		rss_memo="$(rss_mb "$srv_pid")"
		stop
		extra "sqlite stored=$n" "seedSeconds=$seed_s" "rssStartMB=$rss0" "rssAfterMB=$rss" "rssMemoMB=$rss_memo" "fileMB=$(size_mb "$db" "$db-wal")"
		rm -f "$db" "$db-wal" "$db-shm" "$db-log" "$db-log-wal" "$db-log-shm"
	done
	echo
	startup -n 5 -label "sqlite, new file" -- "$tmp/ecslocal" serve --addr 127.0.0.1:0 --store "sqlite:$tmp/empty-{n}.db"
fi

echo
echo "=== report"
"$tmp/loadgen" report "$results"
