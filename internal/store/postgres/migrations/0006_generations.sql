-- An account's generation: a value of generation_seq set anew by every
-- transaction that changes the account's records, attributes, counts or
-- client tokens, in that transaction. A read transaction that sees the
-- generation a memo was kept at sees the account's rows as the memo's
-- answers were read: the memo answers it (memo.go). A sequence, so that a
-- value is never handed out twice, even after a reset or an import.
-- No row: the account has not changed since the store was created or
-- last reset or imported (an import gives every account it fills a row).
CREATE SEQUENCE generation_seq;
CREATE TABLE generations (
	account text COLLATE "C" PRIMARY KEY,
	gen bigint NOT NULL
);
INSERT INTO generations (account, gen)
	SELECT account, nextval('generation_seq') FROM (SELECT account FROM records UNION SELECT account FROM client_tokens) a;
