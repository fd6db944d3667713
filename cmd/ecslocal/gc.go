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

// gcLimitFloorDisk is the least soft memory limit on a store whose records
// live outside the Go heap. A percentage set from the live heap of a second
// before is stale when a burst of reads begins: from an idle live heap of 4
// MB (800 %) the heap of a million-instance SQLite server grew past 100 MB
// within a second of random reads, and resident memory read up to 207 MB,
// against 137 to 143 MB under this limit, for the same CPU per call.
const gcLimitFloorDisk = 96 << 20

// gcLimitFloorFor is the floor of the soft memory limit for a --store
// value; 0 sets no limit (the memory store's heap is its data).
func gcLimitFloorFor(store string) uint64 {
	if store == "memory" {
		return 0
	}
	return gcLimitFloorDisk
}

// tuneGC sets the GC percentage from the live heap every interval until
// ctx ends: max(100, 100*headroom/live); with a floor, also the soft memory
// limit (gcLimit). Called only when the user set no GOGC, which always
// wins; the limit only when the user set no GOMEMLIMIT either.
func tuneGC(ctx context.Context, interval time.Duration, headroom, floor uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	last := -1
	var lastLimit int64 = -1
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		if pct := gcPercent(live, headroom); pct != last {
			debug.SetGCPercent(pct)
			last = pct
		}
		if floor > 0 {
			if limit := gcLimit(live, headroom, floor); limit != lastLimit {
				debug.SetMemoryLimit(limit)
				lastLimit = limit
			}
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

// gcLimit is the soft memory limit for a live heap of live bytes: the
// heap goal gcPercent gives (live plus the larger of live and headroom)
// plus headroom again, and never below floor. It bounds the heap between
// two readings of the live heap; a live heap that grows past it makes the
// collector run more often until the next reading raises it.
func gcLimit(live, headroom, floor uint64) int64 {
	const least = 4 << 20
	live = max(live, least)
	return int64(max(live+max(live, headroom)+headroom, floor))
}
