"""Cold and backlog cases (陈案积案) flagged for review (回头看): due dates, outcomes, the workbench
count, and the case page's actions through the web."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from silvershield.core.todo import todo_items
from silvershield.enforcement import services
from silvershield.enforcement.models import Case, ColdCaseReview, Suspect
from silvershield.enforcement.tests.conftest import days_ago
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def _todo(user: User) -> int:
    (item,) = [i for i in todo_items(user) if i.label == "陈案积案待回头看"]
    return item.count


def test_flag_review_and_workbench_count(case_a: Case, county_a_police: User) -> None:
    assert _todo(county_a_police) == 0
    with pytest.raises(ValidationError) as exc:
        services.cold_case_flag(actor=county_a_police, case=case_a, reason="久", due_on=days_ago(1))
    assert set(exc.value.message_dict) == {"reason", "due_on"}
    review = services.cold_case_flag(
        actor=county_a_police, case=case_a, reason="立案逾一年未破", due_on=days_ago(-3)
    )
    assert _todo(county_a_police) == 1
    with pytest.raises(ValidationError, match="已在回头看中"):
        services.cold_case_flag(
            actor=county_a_police, case=case_a, reason="再次列入", due_on=days_ago(-3)
        )
    services.cold_case_review(actor=county_a_police, review=review, outcome="补充侦查后破案")
    review.refresh_from_db()
    assert review.reviewed_on == days_ago(0) and not review.is_open
    assert _todo(county_a_police) == 0
    with pytest.raises(ValidationError, match="已完成"):
        services.cold_case_review(actor=county_a_police, review=review, outcome="再次完成")


def test_case_page_actions_keep_input_and_explain(case_a: Case, county_a_police: User) -> None:
    client = Client()
    client.force_login(county_a_police)
    page = client.get(reverse("enforcement:detail", args=[case_a.pk])).content.decode()
    for label in ("登记诉讼阶段", "登记追赃挽损", "登记犯罪嫌疑人", "列为陈案积案"):
        assert label in page
    assert "登记起诉" not in page
    url = reverse("enforcement:action", args=[case_a.pk, "suspect"])
    response = client.post(
        url,
        {"name": "孙某某", "status": "arrested", "caught_on": ""},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "请填写抓获/到案日期" in body and 'value="孙某某"' in body
    assert Suspect.objects.count() == 0
    response = client.post(
        url, {"name": "孙某某", "status": "at_large"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204 and response["HX-Redirect"].endswith(f"/cases/{case_a.pk}/")
    page = client.get(reverse("enforcement:detail", args=[case_a.pk])).content.decode()
    assert "在逃人员到案" in page and "在逃 1 人" in page
    assert ColdCaseReview.objects.count() == 0
