-- By action and by code the log is read seldom and the newest first: a
-- walk back by seq finds them (as on SQLite), and every call's event
-- writes two B-trees fewer.
DROP INDEX IF EXISTS events_by_action;
DROP INDEX IF EXISTS events_by_code;
