-- The indexes whose match counts the file does not keep (store.Uncounted:
-- each kind's Few indexes, whose every value one or a few records hold, so
-- that their TotalCount counts the matches). At every open the store
-- compares this list with its build's (keepCounts): the count rows of an
-- index newly in it are removed, those of one gone from it are built from
-- the index rows, and the list becomes the build's. Empty here, as every
-- index's counts were kept before: the first open removes those of the
-- Few indexes.
CREATE TABLE uncounted (
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	PRIMARY KEY (kind, name)
) WITHOUT ROWID;
