-- The kept counts (0004) are maintained by the statements that write
-- records and attrs (Put's and Delete's one statement each, Import and
-- Reset), as the SQLite backend does, not by statement triggers: the six
-- triggers ran a PL/pgSQL function and two statements each per write
-- statement, most of them with nothing to count (an unchanged record's
-- attributes), and took half the time of a RunInstances or DeleteInstances
-- of 100. A count brought to zero is deleted by the same statement, as
-- before.
DROP TRIGGER records_counts_insert ON records;
DROP TRIGGER records_counts_delete ON records;
DROP TRIGGER records_counts_update ON records;
DROP TRIGGER attrs_counts_insert ON attrs;
DROP TRIGGER attrs_counts_delete ON attrs;
DROP TRIGGER attrs_counts_update ON attrs;
DROP FUNCTION records_counts();
DROP FUNCTION attrs_counts();
DROP FUNCTION counts_add(text[], text[], text[], text[], text[], bigint[]);
