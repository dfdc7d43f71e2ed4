"""SMS: a reporter who left a phone is told there is news, never what it is; the sender is
chosen by settings; the HTTP gateway adapter is tested against a local stand-in gateway."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip
from silvershield.orgs.models import User
from silvershield.portal import services, sms
from silvershield.portal.tests.conftest import report_data
from silvershield.workflow.models import ReporterFeedback
from silvershield.workflow.services import feedback_recorded

pytestmark = pytest.mark.django_db

PHONE = "13905725555"
CONTENT = "有人冒充社保局工作人员上门，说交六千元就能补缴养老保险。"


class RecordingSender:
    sent: ClassVar[list[dict[str, str]]] = []

    def send(self, *, phone: str, text: str) -> None:
        RecordingSender.sent.append({"phone": phone, "text": text})


@pytest.fixture
def recording(settings: Any) -> Iterator[list[dict[str, str]]]:
    settings.SILVERSHIELD_SMS_SENDER = "silvershield.portal.tests.test_sms.RecordingSender"
    RecordingSender.sent.clear()
    yield RecordingSender.sent
    RecordingSender.sent.clear()


def _file(client: Client, world: World, **extra: str) -> Tip:
    client.post(reverse("portal:report"), report_data(client, content=CONTENT, **extra))
    return Tip.objects.get()


def _assert_no_content(text: str, tip: Tip) -> None:
    for needle in (tip.number, "社保", "六千", "养老保险", PHONE):
        assert needle not in text
    assert "回执码" in text


def test_feedback_sends_an_sms_without_tip_content(
    client: Client, world: World, recording: list[dict[str, str]]
) -> None:
    tip = _file(client, world, reporter_phone=PHONE)
    feedback_recorded.send(sender=ReporterFeedback, tip_id=tip.pk)
    assert len(recording) == 1
    assert recording[0]["phone"] == "+86" + PHONE
    _assert_no_content(recording[0]["text"], tip)
    assert AuditEvent.objects.filter(action="portal.sms_sent", object_id=str(tip.pk)).exists()


def test_no_sms_for_anonymous_reporters(
    client: Client, world: World, recording: list[dict[str, str]]
) -> None:
    tip = _file(client, world)
    feedback_recorded.send(sender=ReporterFeedback, tip_id=tip.pk)
    assert recording == []


def test_an_office_reply_also_sends_the_news_sms(
    client: Client,
    world: World,
    city_office: User,
    recording: list[dict[str, str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    tip = _file(client, world, reporter_phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_from_office(actor=city_office, tip=tip, text="请补充对方的联系电话。")
    assert len(recording) == 1
    _assert_no_content(recording[0]["text"], tip)


def test_default_file_sender_masks_the_number(settings: Any, tmp_path: Path) -> None:
    settings.SILVERSHIELD_SMS_SENDER = sms.DEFAULT_SENDER
    log = tmp_path / "out" / "sms.log"
    settings.SILVERSHIELD_SMS_LOG_FILE = str(log)
    sms.sender().send(phone="+86" + PHONE, text=sms.news_text())
    line = log.read_text(encoding="utf-8")
    assert PHONE not in line and "5555" in line and "回执码" in line


class _Gateway(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length).decode())
        _Gateway.received.append({"body": body, "auth": self.headers.get("Authorization")})
        self.send_response(_Gateway.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def gateway(settings: Any) -> Iterator[type[_Gateway]]:
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received.clear()
    _Gateway.status = 200
    settings.SILVERSHIELD_SMS_SENDER = "silvershield.portal.sms.HttpGatewaySmsSender"
    settings.SILVERSHIELD_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SILVERSHIELD_SMS_GATEWAY_TOKEN = "gateway-token-123"
    settings.SILVERSHIELD_PORTAL_PUBLIC_URL = "https://jubao.example.gov.cn"
    yield _Gateway
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_http_gateway_adapter_posts_to_the_gateway(
    client: Client, world: World, gateway: type[_Gateway]
) -> None:
    tip = _file(client, world, reporter_phone=PHONE)
    feedback_recorded.send(sender=ReporterFeedback, tip_id=tip.pk)
    assert len(gateway.received) == 1
    body = gateway.received[0]["body"]
    assert gateway.received[0]["auth"] == "Bearer gateway-token-123"
    assert body["phone"] == "+86" + PHONE
    assert "https://jubao.example.gov.cn/status/" in body["text"]
    _assert_no_content(body["text"], tip)


def test_a_failing_gateway_is_recorded_not_raised(
    client: Client, world: World, gateway: type[_Gateway]
) -> None:
    tip = _file(client, world, reporter_phone=PHONE)
    gateway.status = 503
    assert services.news_notify(tip_id=tip.pk) is False
    assert AuditEvent.objects.filter(action="portal.sms_failed", object_id=str(tip.pk)).exists()
