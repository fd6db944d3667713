-- Match counts kept beside the index, so that TotalCount for one region and
-- at most one one-value filter is one row read however many records match.
-- name '' value '' counts every record of (account, kind, region). Put,
-- Delete, Import and Reset keep it in the same transaction as their writes;
-- a row that falls to zero is dropped, so the table holds only live values.
CREATE TABLE counts (
	account TEXT NOT NULL,
	kind TEXT NOT NULL,
	region TEXT NOT NULL,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (account, kind, region, name, value)
) WITHOUT ROWID;

INSERT INTO counts (account, kind, region, name, value, n)
SELECT account, kind, region, '', '', COUNT(*) FROM records GROUP BY account, kind, region;
INSERT INTO counts (account, kind, region, name, value, n)
SELECT account, kind, region, name, value, COUNT(*) FROM attrs GROUP BY account, kind, region, name, value;
