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
