"""Full-text search over Chinese tip text.

Chinese has no word spaces, so each tip keeps a jieba-segmented copy (``content_seg``) searched
with PostgreSQL full-text search (the 'simple' configuration, GIN index) or SQLite FTS5.
"""

from __future__ import annotations

import logging
import re
import threading

import jieba
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

jieba.setLogLevel(logging.WARNING)
_WORD = re.compile(r"\w", re.UNICODE)
_init_lock = threading.Lock()
_initialised = False
MAX_QUERY_TOKENS = 12


def _ensure_jieba() -> None:
    global _initialised
    if not _initialised:
        with _init_lock:
            if not _initialised:
                jieba.initialize()
                _initialised = True


def segment(text: str) -> str:
    """Search-mode tokens (words and their sub-words), space separated, lower-cased."""
    _ensure_jieba()
    tokens = (t.strip().lower() for t in jieba.cut_for_search(text))
    return " ".join(t for t in tokens if t and _WORD.search(t))


def query_tokens(query: str) -> list[str]:
    _ensure_jieba()
    seen: dict[str, None] = {}
    for token in jieba.cut(query.strip()):
        token = token.strip().lower()
        if token and _WORD.search(token):
            seen.setdefault(token, None)
    return list(seen)[:MAX_QUERY_TOKENS]


def filter_by_text(qs: QuerySet, query: str) -> QuerySet:  # type: ignore[type-arg]
    """Tips whose text contains every word of the query, or whose number/phone/institution match."""
    query = query.strip()
    if not query:
        return qs
    tokens = query_tokens(query)
    direct = Q(number__iexact=query) | Q(involved_institution__icontains=query)
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 6:
        direct |= Q(involved_phone__contains=digits)
    if not tokens:
        return qs.filter(direct)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        matched = qs.model._default_manager.annotate(
            _search=SearchVector("content_seg", config="simple")
        ).filter(_search=SearchQuery(" ".join(tokens), config="simple", search_type="plain"))
        return qs.filter(Q(pk__in=matched.values("pk")) | direct)
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in tokens)
    fts = RawSQL("SELECT rowid FROM intake_tip_fts WHERE intake_tip_fts MATCH %s", [match])
    return qs.filter(Q(pk__in=fts) | direct)


# -- SQLite FTS5 upkeep ---------------------------------------------------------------------------
# SQLite rebuilds a table on most ALTERs, which drops its triggers; they are therefore (re)created
# idempotently after every migrate (IntakeConfig.ready connects ``ensure_sqlite_fts``).

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS intake_tip_fts USING fts5(content_seg, content='intake_tip', content_rowid='id');",
    """CREATE TRIGGER IF NOT EXISTS intake_tip_fts_ai AFTER INSERT ON intake_tip BEGIN
         INSERT INTO intake_tip_fts(rowid, content_seg) VALUES (new.id, new.content_seg);
       END;""",
    """CREATE TRIGGER IF NOT EXISTS intake_tip_fts_ad AFTER DELETE ON intake_tip BEGIN
         INSERT INTO intake_tip_fts(intake_tip_fts, rowid, content_seg) VALUES ('delete', old.id, old.content_seg);
       END;""",
    """CREATE TRIGGER IF NOT EXISTS intake_tip_fts_au AFTER UPDATE OF content_seg ON intake_tip BEGIN
         INSERT INTO intake_tip_fts(intake_tip_fts, rowid, content_seg) VALUES ('delete', old.id, old.content_seg);
         INSERT INTO intake_tip_fts(rowid, content_seg) VALUES (new.id, new.content_seg);
       END;""",
]
PG_FTS = (
    "CREATE INDEX IF NOT EXISTS intake_tip_content_seg_fts ON intake_tip "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(content_seg, '')));"
)


def ensure_fulltext(*, using: str = "default", rebuild: bool = False) -> None:
    """Make sure the full-text index (PostgreSQL) or the FTS5 table and its triggers (SQLite) exist."""
    from django.db import connections

    connection = connections[using]
    tables = connection.introspection.table_names()
    if "intake_tip" not in tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FTS)
        elif connection.vendor == "sqlite":
            missing = "intake_tip_fts" not in tables
            for statement in SQLITE_FTS:
                cursor.execute(statement)
            if missing or rebuild:
                cursor.execute("INSERT INTO intake_tip_fts(intake_tip_fts) VALUES ('rebuild');")
