-- records_by_id (kind, id) served only AccountsOf (the admin API's lookup
-- of a resource by id alone, an image share's owner), yet every insert of
-- a record and every update that moves its due time or region wrote an
-- entry to it: about four per RunInstances and DeleteInstances. AccountsOf
-- now finds the accounts by a loose scan of the primary key (one seek
-- each) and probes (account, kind, id) in each (accountsOfSQL), as the
-- SQLite backend does.
DROP INDEX IF EXISTS records_by_id;
