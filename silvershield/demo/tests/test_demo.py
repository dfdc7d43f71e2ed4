"""The demo loads the real city, one account per role, and a workflow with something in every list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from silvershield.core.audit import audit_verify
from silvershield.core.permissions import SECOND_FACTOR_ROLES, Role
from silvershield.demo.loader import load_demo
from silvershield.enforcement.models import Case
from silvershield.intake.models import Tip, TipState
from silvershield.orgs.models import User
from silvershield.stats.tests.lookup import stat
from silvershield.workflow.models import ChaseAction, ChaseKind

pytestmark = pytest.mark.django_db


def test_demo_loads_accounts_for_every_role_and_a_living_workflow() -> None:
    accounts = load_demo()
    assert {a.role for a in accounts} == set(Role)
    for account in accounts:
        user = User.objects.get(username=account.username)
        assert user.is_demo
        assert bool(account.totp_secret) == (account.role in SECOND_FACTOR_ROLES)
    states = set(Tip.objects.values_list("state", flat=True))
    assert {TipState.RECEIVED, TipState.SCREENED, TipState.TRANSFERRED, TipState.CLOSED} <= states
    kinds = set(ChaseAction.objects.values_list("kind", flat=True))
    assert {ChaseKind.REMINDER, ChaseKind.SUPERVISION} <= kinds
    assert audit_verify().ok
    # The crackdown and rectification ledgers have records behind every dashboard section.
    city = User.objects.get(username="city_office")
    for code in ("cases_filed", "suspects_arrested", "hazards_found", "tasks_closed", "rules_made"):
        assert stat(code, city, start=timezone.localdate() - dt.timedelta(days=90)).numerator > 0
    born = Case.objects.filter(source_report__isnull=False)
    assert born.exists() and all(c.tips.exists() for c in born)
    assert stat("recovery_rate", city).denominator


def test_loading_twice_adds_no_tips_and_no_accounts() -> None:
    load_demo()
    tips, users = Tip.objects.count(), User.objects.count()
    load_demo()
    assert Tip.objects.count() == tips
    assert User.objects.count() == users


def test_demo_letters_carry_the_offices_code() -> None:
    from silvershield.workflow.models import TransferLetter

    load_demo()
    numbers = list(TransferLetter.objects.values_list("number", flat=True))
    assert numbers
    assert all(n.startswith("湖养诈办〔") for n in numbers)
