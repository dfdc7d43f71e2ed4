"""Evidence uploads are checked by content (a renamed .exe is refused), limited in size, stored
outside static and served only to staff who may see the task."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from silvershield.orgs.models import User
from silvershield.rectification import files
from silvershield.rectification.models import Evidence, Progress, Task
from silvershield.rectification.tests.conftest import EXE, PDF, PNG

pytestmark = pytest.mark.django_db


def test_a_renamed_exe_is_refused_by_content() -> None:
    with pytest.raises(ValidationError) as exc:
        files.check_upload(SimpleUploadedFile("整改报告.pdf", EXE, content_type="application/pdf"))
    assert "按文件内容识别" in exc.value.message_dict["files"][0]


def test_pdf_and_png_pass_whatever_their_name() -> None:
    assert files.check_upload(SimpleUploadedFile("a.bin", PDF)).content_type == "application/pdf"
    assert files.check_upload(SimpleUploadedFile("b", PNG)).extension == "png"


def test_too_large_is_refused(settings: Any) -> None:
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * files.MAX_BYTES)
    with pytest.raises(ValidationError) as exc:
        files.check_upload(big)
    assert "MB" in str(exc.value)


def test_upload_through_the_page_refuses_the_exe_and_saves_nothing(
    client: Client, task: Task, county_a_civil: User
) -> None:
    client.force_login(county_a_civil)
    response = client.post(
        f"/rectification/tasks/{task.pk}/do/progress/",
        {
            "text": "已完成排查",
            "attachments": [SimpleUploadedFile("照片.png", EXE, content_type="image/png")],
        },
    )
    assert response.status_code == 400
    assert "不是PDF、JPEG、PNG文件" in response.content.decode()
    assert not Progress.objects.exists()
    assert not Evidence.objects.exists()


def test_evidence_is_served_only_within_scope(
    client: Client,
    task: Task,
    county_a_civil: User,
    county_a_office: User,
    county_b_office: User,
    settings: Any,
) -> None:
    client.force_login(county_a_civil)
    response = client.post(
        f"/rectification/tasks/{task.pk}/do/progress/",
        {"text": "监管账户已开立", "attachments": [SimpleUploadedFile("账户.pdf", PDF)]},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = evidence.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT))
    assert evidence.file.name.endswith(".pdf") and "账户" not in evidence.file.name
    client.force_login(county_a_office)
    got = client.get(f"/rectification/files/{evidence.pk}/")
    assert got.status_code == 200 and got.content == PDF
    assert got["Content-Type"] == "application/pdf"
    client.force_login(county_b_office)
    assert client.get(f"/rectification/files/{evidence.pk}/").status_code == 404
