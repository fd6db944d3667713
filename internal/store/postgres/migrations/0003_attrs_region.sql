-- Region on every index row, as the SQLite schema has it, so a filtered
-- Describe (always one region) pages through one index range.
ALTER TABLE attrs ADD COLUMN region text COLLATE "C" NOT NULL DEFAULT '';
UPDATE attrs a SET region = r.region FROM records r WHERE r.account = a.account AND r.kind = a.kind AND r.id = a.id;
CREATE INDEX attrs_by_region ON attrs (account, kind, region, name, value, seq);
