-- Match counts kept beside the index, as in the SQLite schema, so that
-- TotalCount for one region and at most one one-value filter is one row
-- read however many records match. name '' value '' counts every record of
-- (account, kind, region). Statement triggers with transition tables keep
-- them in the same transaction as every write of records and attrs (Put's
-- one statement, Delete, Import's COPY, Reset), one aggregated change per
-- statement; a row that falls to zero is dropped.
CREATE TABLE counts (
	account text COLLATE "C" NOT NULL,
	kind text COLLATE "C" NOT NULL,
	region text COLLATE "C" NOT NULL,
	name text COLLATE "C" NOT NULL,
	value text COLLATE "C" NOT NULL,
	n bigint NOT NULL,
	PRIMARY KEY (account, kind, region, name, value)
);

INSERT INTO counts (account, kind, region, name, value, n)
SELECT account, kind, region, '', '', count(*) FROM records GROUP BY account, kind, region;
INSERT INTO counts (account, kind, region, name, value, n)
SELECT account, kind, region, name, value, count(*) FROM attrs GROUP BY account, kind, region, name, value;

-- counts_add applies deltas, one per key.
CREATE FUNCTION counts_add(a text[], k text[], r text[], nm text[], v text[], d bigint[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
	INSERT INTO counts AS c (account, kind, region, name, value, n)
	SELECT u.account, u.kind, u.region, u.name, u.value, u.n FROM unnest(a, k, r, nm, v, d) AS u (account, kind, region, name, value, n) WHERE u.n <> 0
	ON CONFLICT (account, kind, region, name, value) DO UPDATE SET n = c.n + excluded.n;
	DELETE FROM counts c USING unnest(a, k, r, nm, v, d) AS u (account, kind, region, name, value, n)
	WHERE u.n < 0 AND c.n <= 0 AND c.account = u.account COLLATE "C" AND c.kind = u.kind COLLATE "C"
	AND c.region = u.region COLLATE "C" AND c.name = u.name COLLATE "C" AND c.value = u.value COLLATE "C";
$$;

CREATE FUNCTION records_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM counts_add(array_agg(account), array_agg(kind), array_agg(region), array_agg(''::text), array_agg(''::text), array_agg(k))
		FROM (SELECT account, kind, region, count(*) AS k FROM new_rows GROUP BY 1, 2, 3) d;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM counts_add(array_agg(account), array_agg(kind), array_agg(region), array_agg(''::text), array_agg(''::text), array_agg(k))
		FROM (SELECT account, kind, region, -count(*) AS k FROM old_rows GROUP BY 1, 2, 3) d;
	ELSE
		PERFORM counts_add(array_agg(account), array_agg(kind), array_agg(region), array_agg(''::text), array_agg(''::text), array_agg(k))
		FROM (SELECT account, kind, region, sum(k)::bigint AS k FROM (
			SELECT account, kind, region, -1 AS k FROM old_rows UNION ALL SELECT account, kind, region, 1 FROM new_rows
		) x GROUP BY 1, 2, 3 HAVING sum(k) <> 0) d;
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION attrs_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM counts_add(array_agg(account), array_agg(kind), array_agg(region), array_agg(name), array_agg(value), array_agg(k))
		FROM (SELECT account, kind, region, name, value, count(*) AS k FROM new_rows GROUP BY 1, 2, 3, 4, 5) d;
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM counts_add(array_agg(account), array_agg(kind), array_agg(region), array_agg(name), array_agg(value), array_agg(k))
		FROM (SELECT account, kind, region, name, value, -count(*) AS k FROM old_rows GROUP BY 1, 2, 3, 4, 5) d;
	ELSE
		PERFORM counts_add(array_agg(account), array_agg(kind), array_agg(region), array_agg(name), array_agg(value), array_agg(k))
		FROM (SELECT account, kind, region, name, value, sum(k)::bigint AS k FROM (
			SELECT account, kind, region, name, value, -1 AS k FROM old_rows UNION ALL SELECT account, kind, region, name, value, 1 FROM new_rows
		) x GROUP BY 1, 2, 3, 4, 5 HAVING sum(k) <> 0) d;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER records_counts_insert AFTER INSERT ON records REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_counts();
CREATE TRIGGER records_counts_delete AFTER DELETE ON records REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION records_counts();
CREATE TRIGGER records_counts_update AFTER UPDATE ON records REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_counts();
CREATE TRIGGER attrs_counts_insert AFTER INSERT ON attrs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attrs_counts();
CREATE TRIGGER attrs_counts_delete AFTER DELETE ON attrs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attrs_counts();
CREATE TRIGGER attrs_counts_update AFTER UPDATE ON attrs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attrs_counts();
