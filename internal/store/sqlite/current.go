package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"os"
	"runtime"
	"sync/atomic"

	"github.com/ecslocal/ecslocal/internal/store"
)

// CurrentMeta answers the fault check before every call (store.CurrentJSON)
// without a read transaction while the file is unchanged: the meta values
// are kept beside the generation of the file they were read at, and every
// commit to a WAL database, by any process, changes that generation.

// walHdrSize is the size of the WAL-index header, the first bytes of the
// -shm file, which SQLite keeps twice (https://sqlite.org/walformat.html):
// a writer updates the second copy, then the first, at every commit, and
// each commit increments its change counter (iChange) and its frame count.
const walHdrSize = 48

// walGen is a WAL-index header: equal headers, no commit in between.
type walGen [walHdrSize]byte

// walIndex reads the WAL-index header of a file database: from a mapping
// of the -shm file's first page where it can (no system call: it is read
// several times a call), else with a read of the file.
type walIndex struct {
	f   *os.File
	hdr []byte // the mapped page, nil when not mapped
}

// openWALIndex opens path's -shm file; nil (no generation, every read asks
// the database) when there is none.
func openWALIndex(path string) *walIndex {
	f, err := os.Open(path + "-shm")
	if err != nil {
		return nil
	}
	w := &walIndex{f: f}
	// SQLite makes the file at least one 32 KiB region and never shrinks
	// it below a header (the first connection cuts it to 3 bytes, not 0),
	// so the mapped page never lies past the end of the file.
	if fi, err := f.Stat(); err == nil && fi.Size() >= 2*walHdrSize {
		if m := mapPage(f); m != nil {
			w.hdr = m
			// Unmapped once nothing can read it; close leaves it for a
			// View still running.
			runtime.AddCleanup(w, unmapPage, m)
		}
	}
	return w
}

func (w *walIndex) close() {
	if w != nil {
		w.f.Close()
	}
}

// generation reads the header; ok false when it cannot be trusted (no
// file, a commit writing it, not yet initialised, a bad checksum), as
// SQLite's own readers check it.
func (w *walIndex) generation() (g walGen, ok bool) {
	if w == nil {
		return g, false
	}
	var b [2 * walHdrSize]byte
	if w.hdr != nil {
		copy(b[:], w.hdr)
		runtime.KeepAlive(w) // the mapping lives as long as w
	} else if n, _ := w.f.ReadAt(b[:], 0); n < len(b) {
		return g, false
	}
	h := b[:walHdrSize]
	if !bytes.Equal(h, b[walHdrSize:]) || h[12] == 0 {
		return g, false
	}
	// aCksum (the last 8 bytes) sums the 40 before it in native byte order.
	var s1, s2 uint32
	for i := 0; i < 40; i += 8 {
		s1 += binary.NativeEndian.Uint32(h[i:]) + s2
		s2 += binary.NativeEndian.Uint32(h[i+4:]) + s1
	}
	if s1 != binary.NativeEndian.Uint32(h[40:]) || s2 != binary.NativeEndian.Uint32(h[44:]) {
		return g, false
	}
	copy(g[:], h)
	return g, true
}

// metaSnap is the prefetched meta keys as committed at generation gen.
type metaSnap struct {
	gen    walGen
	values map[string][]byte
}

// currentMeta holds the last metaSnap (DB.CurrentMeta).
type currentMeta struct{ last atomic.Pointer[metaSnap] }

// CurrentMeta implements store.CurrentMetaReader: a prefetched key (the
// clock, the configuration, the faults) from memory when the file's
// generation is the one they were read at, else from one statement (its
// own snapshot), kept when no commit came between the generation read
// before it and after it.
func (db *DB) CurrentMeta(ctx context.Context, key string) ([]byte, error) {
	if !isPrefetched(key) {
		var v []byte
		err := db.View(ctx, "", func(tx store.Tx) (err error) {
			v, err = tx.GetMeta(ctx, key)
			return err
		})
		return v, err
	}
	gen, ok := db.wal.generation()
	if s := db.current.last.Load(); ok && s != nil && s.gen == gen {
		return metaValue(s.values, key)
	}
	values, err := db.readMeta(ctx)
	if err != nil {
		return nil, err
	}
	if after, ok2 := db.wal.generation(); ok && ok2 && after == gen {
		db.current.last.Store(&metaSnap{gen: gen, values: values})
	}
	return metaValue(values, key)
}

// metaValue answers a copy: the kept values are shared by every caller.
func metaValue(values map[string][]byte, key string) ([]byte, error) {
	v, ok := values[key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return bytes.Clone(v), nil
}

// readMeta reads the prefetched keys in one statement outside any
// transaction: SQLite runs it as a read transaction of its own.
func (db *DB) readMeta(ctx context.Context) (map[string][]byte, error) {
	var rows *sql.Rows
	var err error
	if st := db.stmts.get(db.read, metaSQL); st != nil {
		rows, err = st.QueryContext(ctx)
	} else {
		rows, err = db.read.QueryContext(ctx, metaSQL)
	}
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	values := make(map[string][]byte, len(prefetchedKeys))
	for rows.Next() {
		var k string
		var v []byte
		var none any // metaSQL's third column, prefetchSQL's due
		if err := rows.Scan(&k, &v, &none); err != nil {
			return nil, translate(err)
		}
		values[k] = v
	}
	return values, translate(rows.Err())
}
