-- The audit log: one row per event, newest kept. AppendEvents takes seqs
-- from the 'event' counter row, whose lock orders appenders and hands out
-- seqs without gaps, so the newest keep events are exactly those above
-- last-keep. data is the JSON event.
CREATE TABLE counters (name text COLLATE "C" PRIMARY KEY, n bigint NOT NULL);
INSERT INTO counters (name, n) VALUES ('event', 0);

CREATE TABLE events (
	seq bigint PRIMARY KEY,
	account text COLLATE "C" NOT NULL,
	action text COLLATE "C" NOT NULL,
	code text COLLATE "C" NOT NULL,
	time bigint NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX events_by_account ON events (account, seq);
CREATE INDEX events_by_action ON events (action, seq);
CREATE INDEX events_by_code ON events (code, seq);

-- The resources an event concerns: the index behind the resourceId filter.
CREATE TABLE event_resources (
	resource text COLLATE "C" NOT NULL,
	seq bigint NOT NULL,
	PRIMARY KEY (resource, seq)
);
CREATE INDEX event_resources_by_seq ON event_resources (seq);
