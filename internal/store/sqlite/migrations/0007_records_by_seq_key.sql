-- The seq is the records table's key (its rowid), so a record named by
-- its index rows (a filtered page, an instance's ENIs) is one lookup in
-- one B-tree instead of two (records_by_seq, then the table), and records
-- sit in the file in creation order: an instance, its disk and its ENI,
-- written together, share a leaf page. The seq counter is global, and
-- migrate07 (before this file) gives a seq repeated across kinds or
-- accounts a fresh one. The indexes end in the rowid, the seq: creation
-- order within each of their keys.
CREATE TABLE records_new (
	seq INTEGER PRIMARY KEY,
	account TEXT NOT NULL,
	kind TEXT NOT NULL,
	id TEXT NOT NULL,
	region TEXT NOT NULL,
	due INTEGER,
	data BLOB NOT NULL
);
INSERT INTO records_new (seq, account, kind, id, region, due, data)
SELECT seq, account, kind, id, region, due, data FROM records ORDER BY seq;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE UNIQUE INDEX records_by_key ON records (account, kind, id);
CREATE INDEX records_by_seq ON records (account, kind);
CREATE INDEX records_by_region ON records (account, kind, region);
CREATE INDEX records_by_due ON records (account, due) WHERE due IS NOT NULL;
CREATE INDEX records_by_id ON records (kind, id);
