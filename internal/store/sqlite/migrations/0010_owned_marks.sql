-- A record of an owned index (cloud.Kind's Owners: an ENI's instance) is
-- found beside its owner, by the seq, when it lies within two seqs after
-- it (a launch writes an instance, its system disk, then its ENI); every
-- other one's pair has a mark, an index row named "~" and the index's
-- name (owned.go). migrate10, before this file, marks the records already
-- stored; the schema does not change.
SELECT 1;
