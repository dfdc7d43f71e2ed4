"""Database triggers that keep the audit trail append-only (used by migration 0002 and tests)."""

from __future__ import annotations

from typing import Any

PG_CREATE = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND (SELECT archiving FROM core_auditguard WHERE id = 1) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent;
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent;
DROP FUNCTION IF EXISTS core_audit_append_only();
"""
SQLITE_CREATE = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       WHEN COALESCE((SELECT archiving FROM core_auditguard WHERE id = 1), 0) = 0
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
]


def create_triggers(execute: Any, vendor: str) -> None:
    if vendor == "postgresql":
        execute(PG_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            execute(statement)


def drop_triggers(execute: Any, vendor: str) -> None:
    if vendor == "postgresql":
        execute(PG_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            execute(statement)
