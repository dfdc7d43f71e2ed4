"""Several events appended at once keep the chain: in order, verifiable, each on its record."""

from __future__ import annotations

import itertools

import pytest

from silvershield.core.audit import Entry, audit_record, audit_record_many, audit_verify, timeline
from silvershield.core.models import AuditEvent, AuditHead
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def test_a_batch_extends_the_chain_in_order(city_office: User) -> None:
    first = audit_record(actor=city_office, action="test.before", summary="之前")
    batch = audit_record_many(
        [
            Entry(actor=city_office, action="test.batch", obj=city_office, summary=f"第{i}条")
            for i in range(5)
        ]
    )
    after = audit_record(actor=None, action="test.after", summary="之后")
    chain = list(AuditEvent.objects.filter(pk__gte=first.pk).order_by("id"))
    assert [e.pk for e in chain] == [first.pk, *(e.pk for e in batch), after.pk]
    assert [e.summary for e in chain[1:6]] == [f"第{i}条" for i in range(5)]
    for previous, event in itertools.pairwise(chain):
        assert event.prev_hash == previous.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_hash) == (after.pk, after.hash)
    assert timeline(obj=city_office).filter(action="test.batch").count() == 5
    assert audit_verify().ok
    assert audit_record_many([]) == []
