// Command seed fills a SQLite store with N instances for the scale
// benchmarks: each with its system disk and its primary ENI, cloned from an
// instance the server itself created, so every document is one the server
// writes.
//
//	ecslocal serve --store sqlite:x.db &               # a server on the file
//	loadgen -addr … -workload none -instances 1        # network + 1 instance
//	kill %1                                            # stop it
//	seed -db x.db -n 1000000                            # replace that instance by N clones
//
// The clones are i-bp1seed000000000000 … (loadgen -seeded N reads them),
// every second one Running, the others Stopped, tagged shard=k%(N/10) (ten
// instances per shard at any N). The store is written through its bulk
// Import, the path `ecslocal state import` and PUT /_ecslocal/state take,
// in one transaction.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/sqlite"
)

func main() {
	db := flag.String("db", "", "SQLite file of a stopped server that created one instance")
	n := flag.Int("n", 1000, "instances to write")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the seeding to this file")
	flag.Parse()
	if *db == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: seed -db FILE -n N")
		os.Exit(2)
	}
	// The whole world is in memory once, as a snapshot: keep the garbage
	// collector close behind, or a million instances need twice the memory.
	debug.SetGCPercent(20)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	start := time.Now()
	if err := seed(context.Background(), *db, *n); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	fmt.Printf("seeded %d instances (with their disks and ENIs) into %s in %.1fs\n", *n, *db, time.Since(start).Seconds())
}

// ID is the id of the k-th clone of a kind's prefix.
func ID(prefix string, k int) string { return fmt.Sprintf("%s-bp1seed%012d", prefix, k) }

func seed(ctx context.Context, path string, n int) error {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	snap, err := db.Export(ctx)
	if err != nil {
		return err
	}
	// The template: the first instance, with its disks and ENIs.
	var tmpl *store.AccountRecord
	for i := range snap.Records {
		if snap.Records[i].Kind == cloud.KindInstance {
			tmpl = &snap.Records[i]
			break
		}
	}
	if tmpl == nil {
		return errors.New("no instance to clone: run loadgen -workload none -instances 1 against a server on this file first")
	}
	account := tmpl.Account
	var inst cloud.Instance
	if err := json.Unmarshal(tmpl.Data, &inst); err != nil {
		return err
	}
	var disk *cloud.Disk
	var eni *cloud.ENI
	// Every instance and what hangs off one goes; the rest (VPC, vSwitch,
	// security group, route table) stays.
	var keep []store.AccountRecord
	for _, r := range snap.Records {
		switch r.Kind {
		case cloud.KindInstance:
			continue
		case cloud.KindDisk:
			var d cloud.Disk
			if err := json.Unmarshal(r.Data, &d); err != nil {
				return err
			}
			if d.InstanceID != "" {
				if d.InstanceID == inst.ID && d.Type == cloud.DiskSystem {
					disk = &d
				}
				continue
			}
		case cloud.KindENI:
			var e cloud.ENI
			if err := json.Unmarshal(r.Data, &e); err != nil {
				return err
			}
			if e.Attachment != nil {
				if e.Attachment.InstanceID == inst.ID && e.Type == cloud.ENIPrimary {
					eni = &e
				}
				continue
			}
		}
		keep = append(keep, r)
	}
	if disk == nil {
		return fmt.Errorf("instance %s has no system disk to clone", inst.ID)
	}
	snap.Records = keep
	snap.ClientTokens = nil

	shards := max(n/10, 1)
	for k := range n {
		a := k + 16 // skip the network's first addresses
		ip := fmt.Sprintf("10.%d.%d.%d", a>>16&255, a>>8&255, a&255)
		i := inst
		i.ID, i.Name, i.HostName = ID("i", k), "seed-"+strconv.Itoa(k), "seed-"+strconv.Itoa(k)
		i.Status, i.Steps, i.Releasing, i.PrivateIP = cloud.StatusRunning, nil, false, ip
		i.Started, i.InitializingUntil = i.Created, time.Time{}
		if k%2 == 1 {
			i.Status = cloud.StatusStopped
		}
		i.Tags = append(append([]cloud.Tag{}, inst.Tags...), cloud.Tag{Key: "shard", Value: strconv.Itoa(k % shards)})
		if err := add(&snap, account, i); err != nil {
			return err
		}
		d := *disk
		d.ID, d.InstanceID, d.Status, d.Next = ID("d", k), i.ID, cloud.DiskInUse, nil
		if err := add(&snap, account, d); err != nil {
			return err
		}
		if eni != nil {
			e := *eni
			att := *eni.Attachment
			att.InstanceID = i.ID
			e.ID, e.Attachment, e.PrivateIP, e.Status, e.Next = ID("eni", k), &att, ip, cloud.ENIInUse, nil
			e.MAC = fmt.Sprintf("00:16:3e:%02x:%02x:%02x", k>>16&255, k>>8&255, k&255)
			if err := add(&snap, account, e); err != nil {
				return err
			}
		}
	}
	return db.Import(ctx, snap)
}

// add appends a resource as the store writes it: its document, region,
// due time and indexes (the reindexing of a state import).
func add(snap *store.Snapshot, account string, v cloud.Resource) error {
	rec, err := store.RecordOf(v)
	if err != nil {
		return err
	}
	snap.Records = append(snap.Records, store.AccountRecord{Account: account, Record: rec})
	return nil
}
