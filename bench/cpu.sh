#!/usr/bin/env bash
# bench/cpu.sh: the server's own CPU time per API call, for comparing builds
# on a shared, noisy machine, where calls/s move by half from one minute to
# the next but the CPU a call costs the server moves much less.
#
#   bench/cpu.sh                      the working tree's server
#   bench/cpu.sh OLD_BINARY NEW_BINARY  two builds, taking turns
#
# For each workload (BENCH_WORKLOADS, default describe10,describe-id,run-delete)
# and each build, a fresh memory-store server is loaded by bench/loadgen
# (BENCH_CONNS connections, default 16, BENCH_DUR per workload, default 5s);
# the figure is the server process's user+system CPU (/proc/PID/stat) over
# the calls it counted (ecslocal_requests_total), provisioning included.
# Two rounds (BENCH_ROUNDS).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

conns="${BENCH_CONNS:-16}" dur="${BENCH_DUR:-5s}" rounds="${BENCH_ROUNDS:-2}"
workloads="${BENCH_WORKLOADS:-describe10,describe-id,run-delete}"
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
calls() { curl -s "http://$1/metrics" | awk '/^ecslocal_requests_total/{s+=$2} END{print s+0}'; }

printf '%-6s %-16s %-28s %8s %10s %8s\n' round workload build calls "µs/call" calls/s
for round in $(seq 1 "$rounds"); do
	for w in ${workloads//,/ }; do
		for bin in "${bins[@]}"; do
			"$bin" serve --addr 127.0.0.1:0 --store memory >"$tmp/out" 2>&1 &
			pid=$!
			addr=""
			for _ in $(seq 1 400); do
				addr="$(sed -n 's|^ecslocal listening on http://\([^ ]*\) .*|\1|p' "$tmp/out")"
				[[ -n "$addr" ]] && break
				sleep 0.05
			done
			c0="$(cpu_s "$pid")" n0="$(calls "$addr")"
			"$tmp/loadgen" -addr "$addr" -c "$conns" -d "$dur" -warmup 300ms -workload "$w" -format json >"$tmp/r.json"
			c1="$(cpu_s "$pid")" n1="$(calls "$addr")"
			rps="$(grep -o '"rps":[0-9.]*' "$tmp/r.json" | head -1 | cut -d: -f2)"
			awk -v r="$round" -v w="$w" -v b="$bin" -v c0="$c0" -v c1="$c1" -v n0="$n0" -v n1="$n1" -v rps="$rps" \
				'BEGIN{n=n1-n0; if(n<1)n=1; printf "%-6s %-16s %-28s %8d %10.0f %8.0f\n", r, w, b, n, (c1-c0)*1e6/n, rps}'
			kill "$pid"
			wait "$pid" 2>/dev/null || true
			pid=""
		done
	done
done
