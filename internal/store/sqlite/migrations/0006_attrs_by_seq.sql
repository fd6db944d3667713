-- The footprint (bench/footprint.sh): 7 990 bytes per instance with its
-- disk and ENI before. A record's index pairs now travel in its data
-- column (packed and compressed with its document by Go, migrate06 before
-- this file), so Put and Delete replace a record's rows by point deletes
-- and attrs_by_id goes; the seq names the record in the key (unique per
-- account and kind: migrate06 renumbers any repeat), so the id goes too.
CREATE TABLE attrs_new (
	account TEXT NOT NULL,
	kind TEXT NOT NULL,
	region TEXT NOT NULL,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	seq INTEGER NOT NULL,
	PRIMARY KEY (account, kind, region, name, value, seq)
) WITHOUT ROWID;
-- In the new key's order already: appended, not sorted.
INSERT OR IGNORE INTO attrs_new (account, kind, region, name, value, seq)
SELECT account, kind, region, name, value, seq FROM attrs ORDER BY account, kind, region, name, value, seq;
DROP TABLE attrs;
ALTER TABLE attrs_new RENAME TO attrs;
DROP INDEX records_by_seq;
CREATE UNIQUE INDEX records_by_seq ON records (account, kind, seq);
