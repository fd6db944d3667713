-- The audit log: one row per event, newest kept (AppendEvents trims by seq,
-- which the 'event' counter hands out without gaps). data is the JSON event.
CREATE TABLE events (
	seq INTEGER PRIMARY KEY,
	account TEXT NOT NULL,
	action TEXT NOT NULL,
	code TEXT NOT NULL,
	time INTEGER NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX events_by_account ON events (account, seq);
CREATE INDEX events_by_action ON events (action, seq);
CREATE INDEX events_by_code ON events (code, seq);

-- The resources an event concerns: the index behind the resourceId filter.
CREATE TABLE event_resources (
	resource TEXT NOT NULL,
	seq INTEGER NOT NULL,
	PRIMARY KEY (resource, seq)
) WITHOUT ROWID;
CREATE INDEX event_resources_by_seq ON event_resources (seq);

INSERT INTO counters (name, n) VALUES ('event', 0);
