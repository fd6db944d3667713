#!/usr/bin/env bash
# bench/cpu.sh: the server's own CPU time per API call, for comparing builds
# on a shared, noisy machine, where calls/s move by half from one minute to
# the next but the CPU a call costs the server moves much less.
#
#   bench/cpu.sh                      the working tree's server
#   bench/cpu.sh OLD_BINARY NEW_BINARY  two builds, taking turns
#
# For each workload (BENCH_WORKLOADS, default describe10,describe-id,run-delete)
# and each build, a fresh server is loaded by bench/loadgen
# (BENCH_CONNS connections, default 16, BENCH_DUR per workload, default 5s);
# the figure is the server process's user+system CPU (/proc/PID/stat) over
# the calls it counted (ecslocal_requests_total), provisioning included.
# Two rounds (BENCH_ROUNDS). The store is memory, or a new file each time
# with BENCH_STORE=sqlite, or a new schema of ECSLOCAL_TEST_POSTGRES each
# time with BENCH_STORE=postgres; then a last column gives PostgreSQL's
# CPU per call too (every postgres process of the machine, so other load
# on the same server counts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

conns="${BENCH_CONNS:-16}" dur="${BENCH_DUR:-5s}" rounds="${BENCH_ROUNDS:-2}"
workloads="${BENCH_WORKLOADS:-describe10,describe-id,run-delete}"
store="${BENCH_STORE:-memory}"
tmp="$(mktemp -d)"
pid=""
cleanup() {
	if [[ -n "$pid" ]]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/loadgen" ./bench/loadgen
bins=("$@")
if [[ ${#bins[@]} -eq 0 ]]; then
	CGO_ENABLED=0 go build -o "$tmp/ecslocal" ./cmd/ecslocal
	bins=("$tmp/ecslocal")
fi
tck="$(getconf CLK_TCK)"
cpu_s() { awk -v t="$tck" '{print ($14+$15)/t}' "/proc/$1/stat"; }
pg_s() {
	[[ "$store" == postgres ]] || { echo 0; return; }
	local f sum=0
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		[[ "$line" == *"(postgres)"* ]] || continue
		set -- ${line#*) }
		sum=$((sum + ${12} + ${13}))
	done
	awk -v s="$sum" -v t="$tck" 'BEGIN{print s/t}'
}
calls() { curl -s "http://$1/metrics" | awk '/^ecslocal_requests_total/{s+=$2} END{print s+0}'; }

if [[ "$store" == postgres && -z "${ECSLOCAL_TEST_POSTGRES:-}" ]]; then
	echo "BENCH_STORE=postgres needs ECSLOCAL_TEST_POSTGRES" >&2
	exit 2
fi
printf '%-6s %-16s %-28s %8s %10s %8s %10s\n' round workload build calls "µs/call" calls/s "pg µs/call"
for round in $(seq 1 "$rounds"); do
	for w in ${workloads//,/ }; do
		for bin in "${bins[@]}"; do
			spec="$store"
			[[ "$store" == sqlite ]] && spec="sqlite:$tmp/cpu-$round-$w-${#bins[@]}-$RANDOM.db"
			if [[ "$store" == postgres ]]; then
				spec="$ECSLOCAL_TEST_POSTGRES"
				[[ "$spec" == *\?* ]] && spec+="&" || spec+="?"
				spec+="ecslocal_schema=auto"
			fi
			# Emptied here, not by the background shell: the loop below must never
			# read a file not yet made, nor the address of the server before.
			: >"$tmp/out"
			"$bin" serve --addr 127.0.0.1:0 --store "$spec" >"$tmp/out" 2>&1 &
			pid=$!
			addr=""
			for _ in $(seq 1 400); do
				addr="$(sed -n 's|^ecslocal listening on http://\([^ ]*\) .*|\1|p' "$tmp/out")"
				[[ -n "$addr" ]] && break
				sleep 0.05
			done
			c0="$(cpu_s "$pid")" n0="$(calls "$addr")" p0="$(pg_s)"
			"$tmp/loadgen" -addr "$addr" -c "$conns" -d "$dur" -warmup 300ms -workload "$w" -format json >"$tmp/r.json"
			c1="$(cpu_s "$pid")" n1="$(calls "$addr")" p1="$(pg_s)"
			rps="$(grep -o '"rps":[0-9.]*' "$tmp/r.json" | head -1 | cut -d: -f2)"
			awk -v r="$round" -v w="$w" -v b="$bin" -v c0="$c0" -v c1="$c1" -v n0="$n0" -v n1="$n1" -v rps="$rps" -v p0="$p0" -v p1="$p1" \
				'BEGIN{n=n1-n0; if(n<1)n=1; printf "%-6s %-16s %-28s %8d %10.0f %8.0f %10.0f\n", r, w, b, n, (c1-c0)*1e6/n, rps, (p1-p0)*1e6/n}'
			kill "$pid"
			wait "$pid" 2>/dev/null || true
			pid=""
		done
	done
done
