-- The attribute index in two B-trees instead of three: the table's key
-- leads with the region (account, kind, region, name, value, seq, id), as
-- attrs_by_region did, so a filtered Describe (always one region) walks one
-- key range in creation order and attrs_by_region goes. A query of every
-- region (the release's lookups by instance) takes the key's ranges region
-- by region (queryPlan). attrs_by_id stays: the probes and a record's own
-- rows. About a quarter of the file (2.5 KB per instance with its disk and
-- ENI; bench/footprint.sh).
CREATE TABLE attrs_new (
	account TEXT NOT NULL,
	kind TEXT NOT NULL,
	region TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	seq INTEGER NOT NULL,
	id TEXT NOT NULL,
	PRIMARY KEY (account, kind, region, name, value, seq, id)
) WITHOUT ROWID;
INSERT INTO attrs_new (account, kind, region, name, value, seq, id)
SELECT account, kind, region, name, value, seq, id FROM attrs;
DROP TABLE attrs;
ALTER TABLE attrs_new RENAME TO attrs;
CREATE INDEX attrs_by_id ON attrs (account, kind, id, name, value);
