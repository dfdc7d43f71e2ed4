"""SilverShield screening: pure-Python, deterministic, explainable screening of tip texts.

No Django or Celery import anywhere in this package (an import-linter contract holds it).

>>> s = screen("我妈被一个养老公寓骗了五万元会员费，老板跑路了")
>>> s.fraud_type
'elder_service'
"""

from __future__ import annotations

from silvershield.screening.core import (
    MODEL_VERSION,
    Screening,
    extract_entities,
    screen,
    screen_many,
)
from silvershield.screening.entities import ENTITY_KINDS, Entity, org_core_name, region_code
from silvershield.screening.features import FRAUD_CODES, FRAUD_TYPES
from silvershield.screening.linking import (
    LinkRecord,
    link,
    normalize_name,
    normalize_phone,
    text_signature,
)
from silvershield.screening.normalize import MAX_CHARS, normalize

__all__ = [
    "ENTITY_KINDS",
    "FRAUD_CODES",
    "FRAUD_TYPES",
    "MAX_CHARS",
    "MODEL_VERSION",
    "Entity",
    "LinkRecord",
    "Screening",
    "extract_entities",
    "link",
    "normalize",
    "normalize_name",
    "normalize_phone",
    "org_core_name",
    "region_code",
    "screen",
    "screen_many",
    "text_signature",
]
