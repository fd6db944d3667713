-- records_by_id (kind, id) served only AccountsOf, the admin API's lookup
-- of a resource by id alone, yet every record's insert and delete wrote it:
-- six B-tree writes of each instance's life with its disk and ENI.
-- AccountsOf now seeks (account, kind, id) in records_by_key once per
-- account, found by a loose index scan (accountsSQL).
DROP INDEX records_by_id;
