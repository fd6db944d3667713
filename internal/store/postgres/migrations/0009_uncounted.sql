-- The indexes whose match counts the schema does not keep (store.Uncounted:
-- each kind's Few indexes, whose every value one or a few records hold, so
-- that their TotalCount counts the matches). When the store opens, under
-- the migrations' lock, it compares this list with its build's
-- (keepCounts): the count rows of an index newly in it are removed, those
-- of one gone from it are built from the index rows, and the list becomes
-- the build's. Empty here, as every index's counts were kept before: the
-- first open removes those of the Few indexes.
CREATE TABLE uncounted (
	kind text COLLATE "C" NOT NULL,
	name text COLLATE "C" NOT NULL,
	PRIMARY KEY (kind, name)
);
