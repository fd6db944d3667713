-- The PostgreSQL schema mirrors internal/store/sqlite/migrations: the same
-- tables, keys and indexes, so queries take the same access paths. Text is
-- COLLATE "C" so that comparisons and ORDER BY are bytewise, as in SQLite;
-- times are Unix nanoseconds (bigint), documents bytea (the bytes written
-- come back unchanged).

-- Server-wide settings every replica agrees on: clock, switches, faults.
CREATE TABLE meta (
	key text COLLATE "C" PRIMARY KEY,
	value bytea NOT NULL
);

-- Creation order. A sequence, not a counter row: nextval never waits for
-- or conflicts with another transaction, so concurrent inserts from several
-- replicas do not serialise on one row. Gaps (rolled-back inserts) are fine:
-- Seq only orders.
CREATE SEQUENCE record_seq;

-- One row per resource; data is the JSON document, due the next transition.
CREATE TABLE records (
	account text COLLATE "C" NOT NULL,
	kind text COLLATE "C" NOT NULL,
	id text COLLATE "C" NOT NULL,
	region text COLLATE "C" NOT NULL,
	seq bigint NOT NULL,
	due bigint,
	data bytea NOT NULL,
	PRIMARY KEY (account, kind, id)
);
CREATE INDEX records_by_seq ON records (account, kind, seq);
CREATE INDEX records_by_region ON records (account, kind, region, seq);
CREATE INDEX records_by_due ON records (account, due) WHERE due IS NOT NULL;
CREATE INDEX records_by_id ON records (kind, id);

-- The index behind every Describe filter: (name, value) pairs of a record.
CREATE TABLE attrs (
	account text COLLATE "C" NOT NULL,
	kind text COLLATE "C" NOT NULL,
	name text COLLATE "C" NOT NULL,
	value text COLLATE "C" NOT NULL,
	seq bigint NOT NULL,
	id text COLLATE "C" NOT NULL,
	PRIMARY KEY (account, kind, name, value, seq, id)
);
CREATE INDEX attrs_by_id ON attrs (account, kind, id, name, value);

CREATE TABLE client_tokens (
	account text COLLATE "C" NOT NULL,
	action text COLLATE "C" NOT NULL,
	token text COLLATE "C" NOT NULL,
	hash text NOT NULL,
	response bytea NOT NULL,
	created bigint NOT NULL,
	PRIMARY KEY (account, action, token)
);

-- SignatureNonces, shared by every replica: a nonce replayed to another
-- replica is refused.
CREATE TABLE nonces (
	access_key text COLLATE "C" NOT NULL,
	nonce text COLLATE "C" NOT NULL,
	seen bigint NOT NULL,
	PRIMARY KEY (access_key, nonce)
);
CREATE INDEX nonces_by_seen ON nonces (seen);
