package sqlite

// Every writer's caller reads the server's settings (the configuration,
// the clock) from the meta table: a statement each, a few per call. The
// writer keeps what its callers read and wrote there, valid while nothing
// else writes the table. Another process's commit moves the write
// connection's PRAGMA data_version, read once per group; this process's
// Meta and Import (the other writers of the table, on the same single
// write connection, which data_version does not tell apart) move metaGen
// while they hold that connection. The writer, which holds it for a whole
// group, drops what it kept when a group begins at another version or
// generation. A caller's reads and writes join the kept values only once
// it has succeeded, and a group that does not commit drops them all.

// metaVal is a meta row as a transaction sees it: found false is absent.
type metaVal struct {
	v     []byte
	found bool
}

// writerMeta is the writer's kept meta rows (the writer's goroutine's alone).
type writerMeta struct {
	gen, version int64
	vals         map[string]metaVal
}

// keptMeta answers the values kept for a group that began at data
// version version.
func (db *DB) keptMeta(version int64) map[string]metaVal {
	w := &db.wmeta
	if g := db.metaGen.Load(); g != w.gen || version != w.version || w.vals == nil {
		w.gen, w.version, w.vals = g, version, map[string]metaVal{}
	}
	return w.vals
}

// dropKeptMeta forgets the kept values (a group that did not commit).
func (db *DB) dropKeptMeta() { db.wmeta.vals = nil }

// metaSeen answers a meta row the writer's caller knows, if it does.
func (t *tx) metaSeen(key string) (metaVal, bool) {
	if t.late == nil {
		return metaVal{}, false
	}
	if m, ok := t.metas[key]; ok {
		return m, true
	}
	m, ok := t.late.meta[key]
	return m, ok
}

// sawMeta notes a meta row a writer's caller read or wrote.
func (t *tx) sawMeta(key string, m metaVal) {
	if t.late == nil {
		return
	}
	if t.metas == nil {
		t.metas = map[string]metaVal{}
	}
	m.v = cloneBytes(m.v)
	t.metas[key] = m
}
