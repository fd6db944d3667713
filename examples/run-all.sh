#!/usr/bin/env bash
# Runs every example of this directory against its own fresh ecslocal server.
#
#   examples/run-all.sh              all of them
#   examples/run-all.sh go-v7 shell  only those
#
# Builds the binary once, then for each example: prepares it (go build, or
# npm ci for the Node ones), starts `ecslocal serve --addr 127.0.0.1:0
# --store memory`, reads the address from the start line, runs the example
# with ECSLOCAL_ENDPOINT=HOST:PORT, stops the server, and reports pass or
# fail. Exits non-zero if any example failed. Needs Go, and node and npm for
# the Node examples (npm ci fetches from the npm registry).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

all=(go-classic go-v7 node-popcore node-ecs20140526 shell)
if (($# > 0)); then
	examples=("$@")
else
	examples=("${all[@]}")
fi

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

# The examples talk to 127.0.0.1; keep any configured HTTP proxy out of it.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
export ALIBABA_CLOUD_ACCESS_KEY_ID=test ALIBABA_CLOUD_ACCESS_KEY_SECRET=test
key="$ALIBABA_CLOUD_ACCESS_KEY_ID:$ALIBABA_CLOUD_ACCESS_KEY_SECRET"

# limit SECS CMD…: run a command, killed after SECS seconds, so that a hung
# step cannot hang CI.
limit() {
	local secs="$1"
	shift
	if command -v timeout >/dev/null 2>&1; then
		timeout --kill-after=5 "$secs" "$@"
	else
		"$@"
	fi
}

echo "building ecslocal"
if ! CGO_ENABLED=0 go build -o "$tmp/ecslocal" ./cmd/ecslocal; then
	echo "run-all: could not build ./cmd/ecslocal" >&2
	exit 1
fi
ecslocal="$tmp/ecslocal"

# prepare NAME: install or build what the example needs, before any server runs.
prepare() {
	local dir="$root/examples/$1"
	case "$1" in
	go-*)
		(cd "$dir" && limit 240 go build -o "$tmp/$1" .)
		;;
	node-*)
		# --ignore-scripts: the one install script in these trees (openapi-core's
		# postinstall) only acts on Node 10 and 12.
		(cd "$dir" && limit 240 npm ci --ignore-scripts --no-audit --no-fund)
		;;
	shell)
		chmod +x "$dir/run.sh" 2>/dev/null || true
		;;
	*)
		echo "unknown example $1 (known: ${all[*]})" >&2
		return 1
		;;
	esac
}

# run NAME ENDPOINT: run the prepared example against the server.
run() {
	local dir="$root/examples/$1"
	case "$1" in
	go-*) (cd "$dir" && ECSLOCAL_ENDPOINT="$2" limit 120 "$tmp/$1") ;;
	node-*) (cd "$dir" && ECSLOCAL_ENDPOINT="$2" limit 120 node index.js) ;;
	shell) (cd "$dir" && ECSLOCAL_ENDPOINT="$2" ECSLOCAL="$ecslocal" limit 120 bash ./run.sh) ;;
	esac
}

# start: a fresh server on a free port; sets pid and addr.
start() {
	: >"$tmp/server.out"
	"$ecslocal" serve --addr 127.0.0.1:0 --store memory --access-key "$key" >"$tmp/server.out" 2>"$tmp/server.err" &
	pid=$!
	addr=""
	for _ in $(seq 1 300); do
		addr="$(sed -n 's|^ecslocal listening on http://\([^ ]*\) .*|\1|p' "$tmp/server.out")"
		[[ -n "$addr" ]] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "ecslocal did not start:" >&2
	cat "$tmp/server.out" "$tmp/server.err" >&2
	return 1
}

# stop: SIGTERM the server; it must exit cleanly.
stop() {
	local rc=0
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" || rc=$?
	pid=""
	if ((rc != 0)); then
		echo "ecslocal exited with status $rc:" >&2
		cat "$tmp/server.err" >&2
	fi
	return "$rc"
}

results=()
failed=0
begin=$SECONDS
for name in "${examples[@]}"; do
	printf '\n--- %s\n' "$name"
	t0=$SECONDS
	status=pass
	if ! prepare "$name"; then
		status="fail (prepare)"
	elif ! start; then
		status="fail (server did not start)"
	else
		if ! run "$name" "$addr"; then
			status=fail
			if [[ -s "$tmp/server.err" ]]; then
				echo "server log (last 20 lines):" >&2
				tail -n 20 "$tmp/server.err" >&2
			fi
		fi
		if ! stop && [[ $status == pass ]]; then
			status="fail (server exit)"
		fi
	fi
	results+=("$(printf '%-18s %s (%ds)' "$name" "$status" "$((SECONDS - t0))")")
	[[ $status == pass ]] || failed=1
done

printf '\n--- summary (%ds)\n' "$((SECONDS - begin))"
printf '%s\n' "${results[@]}"
exit "$failed"
