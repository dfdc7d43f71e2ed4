"""Attachments: type by content, size limit, PDFs parsed (encrypted, scripted or malformed ones
refused), encrypted at rest outside the web root, photos given to staff without metadata, the
original opened only by a privileged, audited action."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from conftest import World, make_user
from silvershield.core.models import AuditEvent
from silvershield.core.permissions import Role
from silvershield.intake.models import Tip
from silvershield.orgs.models import User
from silvershield.portal.models import Attachment
from silvershield.portal.tests.conftest import jpeg_with_exif, receipt_code, report_data

pytestmark = pytest.mark.django_db

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode."
)


def _pdf(*, javascript: bool = False, password: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hi');"),
            }
        )
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _post(client: Client, *uploads: SimpleUploadedFile, **fields: Any) -> str:
    data = report_data(client, involved_institution="福寿康保健品店", **fields)
    data["attachments"] = list(uploads)
    return client.post(reverse("portal:report"), data).content.decode()


def test_photo_is_encrypted_and_staff_get_a_copy_without_exif(
    client: Client, world: World, city_office: User
) -> None:
    photo = jpeg_with_exif()
    html = _post(client, SimpleUploadedFile("传单.jpg", photo, content_type="image/jpeg"))
    receipt_code(html)
    item = Attachment.objects.get()
    assert item.kind == "image" and item.clean_path
    stored = (Path(settings.MEDIA_ROOT) / "portal" / item.original_path).read_bytes()
    assert b"GPS-SECRET" not in stored and b"\xff\xd8\xff" not in stored[:10]
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))

    staff = Client()
    staff.force_login(city_office)
    copy = staff.get(reverse("portal:attachment", args=[item.pk]))
    assert copy.status_code == 200 and copy["Content-Type"] == "image/jpeg"
    assert b"GPS-SECRET" not in copy.content and b"CameraMakerXYZ" not in copy.content
    assert not Image.open(io.BytesIO(copy.content)).getexif()
    assert AuditEvent.objects.filter(action="portal.attachment_opened").count() == 1

    url = reverse("portal:attachment_original", args=[item.pk])
    assert "事由" in staff.post(url, {"reason": ""}).content.decode()
    original = staff.post(url, {"reason": "核对拍摄地点以确定管辖"})
    assert original.content == photo and b"GPS-SECRET" in original.content
    event = AuditEvent.objects.get(action="portal.attachment_original_opened")
    assert event.actor_name == "city_office" and "核对拍摄地点" in event.summary


def test_opening_the_original_is_privileged(
    client: Client, world: World, county_a_police: User
) -> None:
    _post(client, SimpleUploadedFile("a.jpg", jpeg_with_exif(), content_type="image/jpeg"))
    item = Attachment.objects.get()
    leader = make_user("leader", world.city_office, Role.OFFICE_LEADER)
    staff = Client()
    staff.force_login(leader)
    assert staff.get(reverse("portal:attachment", args=[item.pk])).status_code == 200
    assert (
        staff.post(
            reverse("portal:attachment_original", args=[item.pk]), {"reason": "想看看原图"}
        ).status_code
        == 403
    )
    staff.force_login(county_a_police)  # cannot see the tip at all
    assert staff.get(reverse("portal:attachment", args=[item.pk])).status_code == 404
    anonymous = Client()
    assert anonymous.get(reverse("portal:attachment", args=[item.pk])).status_code == 302


def test_a_renamed_executable_is_refused_and_the_form_kept(client: Client, world: World) -> None:
    html = _post(client, SimpleUploadedFile("合同.pdf", EXE, content_type="application/pdf"))
    assert "不是照片或PDF文件" in html
    assert "其他内容已保留" in html
    assert "福寿康保健品店" in html and "推销保健品" in html
    assert Tip.objects.count() == 0 and Attachment.objects.count() == 0


def test_an_oversize_file_is_refused_with_the_reason(
    client: Client, world: World, settings: Any
) -> None:
    settings.SILVERSHIELD_PORTAL_MAX_UPLOAD_BYTES = 50_000
    big = SimpleUploadedFile("大图.jpg", b"\xff\xd8\xff" + b"0" * 60_000, content_type="image/jpeg")
    html = _post(client, big)
    assert "太大了" in html and "福寿康保健品店" in html
    assert Tip.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (_pdf(password="secret"), "加密"),
        (_pdf(javascript=True), "脚本"),
        (
            b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer <<>>\n%%EOF",
            "损坏",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不是完整的照片"),
    ],
    ids=["encrypted-pdf", "javascript-pdf", "malformed-pdf", "fake-png"],
)
def test_dangerous_or_broken_files_are_refused(
    client: Client, world: World, content: bytes, reason: str
) -> None:
    html = _post(client, SimpleUploadedFile("file.pdf", content))
    assert reason in html
    assert Tip.objects.count() == 0


def test_a_clean_pdf_is_accepted(client: Client, world: World, city_office: User) -> None:
    receipt_code(_post(client, SimpleUploadedFile("收据.pdf", _pdf())))
    item = Attachment.objects.get()
    assert item.kind == "pdf" and not item.clean_path
    staff = Client()
    staff.force_login(city_office)
    response = staff.get(reverse("portal:attachment", args=[item.pk]))
    assert response.content.startswith(b"%PDF-")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_no_more_than_five_files(client: Client, world: World) -> None:
    photos = [
        SimpleUploadedFile(f"{i}.jpg", jpeg_with_exif(), content_type="image/jpeg")
        for i in range(6)
    ]
    html = _post(client, *photos)
    assert "最多上传5个文件" in html
    assert Tip.objects.count() == 0
