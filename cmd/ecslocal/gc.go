package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// gcHeadroom is the least room the collector gets above the live heap
// before it runs again. An emulator's live heap is small (tens of
// megabytes), and at GOGC=100 it collected every few megabytes of answers:
// about a tenth of the CPU of a DescribeInstances call. With a large store
// held in memory the live heap is large, and the percentage falls back to
// 100: the process never grows past twice its live heap plus this.
const gcHeadroom = 128 << 20

// gcHeadroomDisk is the room on a store whose records live outside the Go
// heap (SQLite, PostgreSQL): its calls spend less of their time allocating,
// and its resident memory already holds the database's page caches, so the
// collector's room is kept small (a million instances on SQLite in at most
// 150 MiB resident).
const gcHeadroomDisk = 32 << 20

// gcHeadroomFor is the collector's room for a --store value.
func gcHeadroomFor(store string) uint64 {
	if store == "memory" {
		return gcHeadroom
	}
	return gcHeadroomDisk
}

// tuneGC sets the GC percentage from the live heap every interval until
// ctx ends: max(100, 100*headroom/live). Called only when the user set no
// GOGC, which always wins.
func tuneGC(ctx context.Context, interval time.Duration, headroom uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	last := -1
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		metrics.Read(sample)
		if pct := gcPercent(sample[0].Value.Uint64(), headroom); pct != last {
			debug.SetGCPercent(pct)
			last = pct
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// gcPercent is the percentage that gives a live heap of live bytes at
// least headroom of room, and never less than Go's default. The live heap
// is taken as at least Go's smallest heap goal (4 MiB): before the first
// collection it reads 0, and a percentage made for an empty heap put the
// first goal at 64 times those 4 MiB, 256 MB, before any store was loaded.
func gcPercent(live, headroom uint64) int {
	const most = 100 * 64 // a nearly empty heap: no more than 64x
	const least = 4 << 20 // the runtime's smallest heap goal
	return int(min(max(100, 100*headroom/max(live, least)), most))
}
