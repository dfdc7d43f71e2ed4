"""Evidence files: accepted by what they contain (PDF, JPEG, PNG), never by their name or the
browser's claimed type; size-limited; stored under MEDIA_ROOT (never under static) with a random
name; served only through a view that checks the viewer's scope."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
ALLOWED_LABEL = "PDF、JPEG、PNG"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    extension: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def as_content(self) -> ContentFile[bytes]:
        return ContentFile(self.data, name=f"{uuid.uuid4().hex}.{self.extension}")


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None if not an allowed kind."""
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check_upload(upload: UploadedFile, *, field: str = "files") -> CheckedFile:
    """Read and check one upload; a refused file raises ValidationError({field: 中文说明})."""
    name = (upload.name or "文件").rsplit("/", 1)[-1][-200:]
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ValidationError(
            {field: f"文件“{name}”超过{MAX_BYTES // (1024 * 1024)}MB，请压缩后上传"}
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {field: f"文件“{name}”超过{MAX_BYTES // (1024 * 1024)}MB，请压缩后上传"}
        )
    if not data:
        raise ValidationError({field: f"文件“{name}”是空文件"})
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(
            {field: f"文件“{name}”不是{ALLOWED_LABEL}文件（按文件内容识别），不能上传"}
        )
    return CheckedFile(name=name, content_type=kind[0], extension=kind[1], data=data)


def check_uploads(uploads: list[UploadedFile], *, field: str = "files") -> list[CheckedFile]:
    if len(uploads) > MAX_FILES:
        raise ValidationError({field: f"一次最多上传{MAX_FILES}个文件"})
    return [check_upload(u, field=field) for u in uploads]
