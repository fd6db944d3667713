#!/usr/bin/env bash
# bench/cgwork.sh CALLGRIND_OUT: the instruction count of a callgrind run of
# the in-process benchmarks, in millions, as "total" and as "work": the
# total without the Go runtime's scheduler, locks, timers, semaphores and
# collector pacing. Under valgrind the goroutines of a run share one thread,
# and a run now and then spins in the scheduler for hundreds of millions of
# instructions (total moves by 10 % and more, or by ten times); work moves
# by well under 1 % between runs of one build. Inclusive counts of one
# function (rpc.(*Handler).ServeHTTP) are no better: callgrind follows the
# goroutine switches as calls and returns, and gives a function more than
# the whole run. A run whose total is far above the others' also counts more
# of the code's own work (one such run wrote twice the JSON): leave it out.
#
#   CGO_ENABLED=0 go test -c -o bench.test ./bench
#   GOGC=off GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off valgrind --tool=callgrind \
#     --callgrind-out-file=cg.out ./bench.test -test.run XXX \
#     -test.bench 'Serve/memory/run-delete' -test.benchtime 400x
#   bench/cgwork.sh cg.out
set -euo pipefail
callgrind_annotate --threshold=100 --auto=no "$1" | awk '
/PROGRAM TOTALS/ { gsub(",", "", $1); total = $1; next }
/^ *[0-9,]+ \(/ {
	v = $1; gsub(",", "", v)
	f = $3; if (f ~ /%\)$/) f = $4
	fn = f; sub(/^[^:]*:/, "", fn)
	if (f ~ /runtime\/(proc\.go|lock_|os_linux|sys_linux|netpoll|sema\.go|time\.go|mgcpacer|mgc\.go|mgcmark|mgcsweep)/ ||
		fn ~ /^runtime\.(unlock2|lock2|lockWithRank|unlockWithRank|findRunnable|casgstatus|schedule|execute|gosched|globrunq|wakep|pidle|mcall|park_m|gopark|goready|ready|futex|osyield|procyield|usleep|notesleep|notewakeup|stealWork|runqgrab|runqsteal|checkTimers|nanotime|\(\*timers\)|\(\*m\)|\(\*gcControllerState\)|resetspinning|stopm|startm|handoffp|acquirep|releasep|semacquire|semrelease|systemstack|gogo|mPark)/)
		sched += v
}
END { printf "total %.1fM  work %.1fM\n", total / 1e6, (total - sched) / 1e6 }'
