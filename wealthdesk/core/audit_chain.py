"""The tamper-evident audit chain (issue 15; ASVS 16.4.2, 等保三级 security audit): every audit row carries its place
in insert order (``seq``), the SHA-256 of the row before it (``prev_hash``) and its own hash (``row_hash``) over a
canonical form of the row that includes ``seq`` and ``prev_hash``.

The database chains the rows, in the INSERT itself, so every writer — the ORM, ``bulk_create``, a command, a raw
``INSERT`` — is chained and no page pays an extra query:

* **PostgreSQL:** a ``BEFORE INSERT`` row trigger takes the chain's transaction-level advisory lock
  (``pg_advisory_xact_lock``), reads the last link (a fresh snapshot: PL/pgSQL queries each take one) and fills the
  three columns; ``wd_audit_hash`` is the canonical form: a JSON array of the stored values (time in UTC with
  microseconds, ``jsonb`` detail). A concurrent writer waits for the lock until the first commits, then reads the
  new last link, so the chain never forks (core migration 0009). The columns come back with ``RETURNING``.
* **SQLite** (development, tests): an ``AFTER INSERT`` trigger fills them with ``wd_audit_hash``, a Python function
  registered on every connection (SQLite runs one writer at a time).

The verifier (``security`` app, ``audit_verify``) recomputes ``wd_audit_hash`` over the stored rows in SQL.
"""
from __future__ import annotations

import hashlib
import json

GENESIS = "0" * 64
ADVISORY_KEY = 5_764_155_215  # "WDAUDIT": the one advisory lock of the audit chain
HASHED_COLUMNS = ("seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
                  "customer_id", "unit_id", "ip", "request_id", "source", "detail", "prev_hash")
HASH_SQL = f"wd_audit_hash({', '.join(HASHED_COLUMNS)})"

PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION wd_audit_hash(p_seq bigint, p_at timestamptz, p_actor bigint, p_actor_name text,
    p_action text, p_object_type text, p_object_id text, p_object_repr text, p_customer bigint, p_unit bigint,
    p_ip inet, p_request_id text, p_source text, p_detail jsonb, p_prev text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(json_build_array(p_seq,
      to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), p_actor, p_actor_name, p_action,
      p_object_type, p_object_id, p_object_repr, p_customer, p_unit, host(p_ip), p_request_id, p_source, p_detail,
      p_prev)::text, 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION wd_audit_chain() RETURNS trigger AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock({ADVISORY_KEY});
  SELECT seq, row_hash INTO last_seq, last_hash FROM core_auditlog WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, '{GENESIS}');
  NEW.row_hash := wd_audit_hash(NEW.seq, NEW.at, NEW.actor_id, NEW.actor_name, NEW.action, NEW.object_type,
      NEW.object_id, NEW.object_repr, NEW.customer_id, NEW.unit_id, NEW.ip, NEW.request_id, NEW.source, NEW.detail,
      NEW.prev_hash);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS wd_audit_chain ON core_auditlog;
CREATE TRIGGER wd_audit_chain BEFORE INSERT ON core_auditlog FOR EACH ROW EXECUTE FUNCTION wd_audit_chain();
"""

SQLITE_TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS wd_audit_chain AFTER INSERT ON core_auditlog FOR EACH ROW WHEN NEW.seq IS NULL
BEGIN
  UPDATE core_auditlog SET
    seq = coalesce((SELECT max(seq) FROM core_auditlog), 0) + 1,
    prev_hash = coalesce((SELECT row_hash FROM core_auditlog WHERE seq = (SELECT max(seq) FROM core_auditlog)),
                         '{GENESIS}')
  WHERE id = NEW.id;
  UPDATE core_auditlog SET row_hash = {HASH_SQL} WHERE id = NEW.id;
END;
"""


def sqlite_hash(*values) -> str:
    """SQLite's ``wd_audit_hash``: SHA-256 of the stored values as a compact JSON array."""
    return hashlib.sha256(json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """``connection_created`` hook: the hash function SQLite's trigger and the verifier call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("wd_audit_hash", len(HASHED_COLUMNS), sqlite_hash, deterministic=True)
