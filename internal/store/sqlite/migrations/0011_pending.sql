-- A record the writer created and has not indexed yet (no attrs rows)
-- holds in pend the version of its latest write; NULL once indexed. The
-- partial index lists them by (account, kind): a Query with filters
-- matches them apart (pending.go).
ALTER TABLE records ADD COLUMN pend INTEGER;
CREATE INDEX records_pending ON records (account, kind, pend) WHERE pend IS NOT NULL;
