-- Region on every index row, so a filtered Describe (always one region)
-- counts and pages through one index range without touching records.
ALTER TABLE attrs ADD COLUMN region TEXT NOT NULL DEFAULT '';
UPDATE attrs SET region = (SELECT r.region FROM records r WHERE r.account = attrs.account AND r.kind = attrs.kind AND r.id = attrs.id);
CREATE INDEX attrs_by_region ON attrs (account, kind, region, name, value, seq);
