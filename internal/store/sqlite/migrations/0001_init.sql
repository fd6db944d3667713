-- Server-wide settings every replica agrees on: clock, switches, faults.
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);

CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO counters (name, n) VALUES ('seq', 0);

-- One row per resource; data is the JSON document, due the next transition.
CREATE TABLE records (
	account TEXT NOT NULL,
	kind TEXT NOT NULL,
	id TEXT NOT NULL,
	region TEXT NOT NULL,
	seq INTEGER NOT NULL,
	due INTEGER,
	data BLOB NOT NULL,
	PRIMARY KEY (account, kind, id)
);
CREATE INDEX records_by_seq ON records (account, kind, seq);
CREATE INDEX records_by_region ON records (account, kind, region, seq);
CREATE INDEX records_by_due ON records (account, due) WHERE due IS NOT NULL;
CREATE INDEX records_by_id ON records (kind, id);

-- The index behind every Describe filter: (name, value) pairs of a record.
CREATE TABLE attrs (
	account TEXT NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	seq INTEGER NOT NULL,
	id TEXT NOT NULL,
	PRIMARY KEY (account, kind, name, value, seq, id)
) WITHOUT ROWID;
CREATE INDEX attrs_by_id ON attrs (account, kind, id, name, value);

CREATE TABLE client_tokens (
	account TEXT NOT NULL,
	action TEXT NOT NULL,
	token TEXT NOT NULL,
	hash TEXT NOT NULL,
	response BLOB NOT NULL,
	created INTEGER NOT NULL,
	PRIMARY KEY (account, action, token)
);

CREATE TABLE nonces (
	access_key TEXT NOT NULL,
	nonce TEXT NOT NULL,
	seen INTEGER NOT NULL,
	PRIMARY KEY (access_key, nonce)
);
CREATE INDEX nonces_by_seen ON nonces (seen);
