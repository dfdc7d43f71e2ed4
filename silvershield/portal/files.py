"""Attachments: checked by content (never by name), stored encrypted outside the web root.

- Accepted: photos (JPEG, PNG, WebP) and PDF, each at most ``max_bytes()``.
- A PDF is parsed and refused when encrypted, when it carries JavaScript or actions that run on
  opening, or when it cannot be parsed.
- A photo is decoded fully (a truncated or fake image is refused); staff get a re-encoded copy
  without metadata (EXIF: GPS position, camera, time), the original is kept for a privileged,
  audited opening.
- Files are encrypted with the field keys (core.crypto) and written under
  ``MEDIA_ROOT/portal/``; they are served only through staff views.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject, IndirectObject, PdfObject

from silvershield.core import crypto

MAX_FILES = 5
# Names long enough never to occur by chance inside compressed streams.
_JS_MARKERS = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
_RUNNING_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition"}
_SCRIPT = "PDF文件含有脚本或自动执行的内容，为安全起见不能接收"
Image.MAX_IMAGE_PIXELS = 60_000_000


def max_bytes() -> int:
    return int(getattr(settings, "SILVERSHIELD_PORTAL_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # "image" or "pdf"
    content_type: str
    name: str
    data: bytes
    clean: bytes | None  # the re-encoded photo without metadata


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.lstrip(b"\r\n\t ")[:5] == b"%PDF-":
        return "application/pdf"
    return None


def _safe_name(name: str) -> str:
    base = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned.strip()[:100] or "附件"


def _resolve(obj: PdfObject | None) -> PdfObject | None:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _runs(action: PdfObject | None) -> bool:
    """An action that runs something (script, program, form submission), not a page jump."""
    resolved = _resolve(action)
    return isinstance(resolved, DictionaryObject) and resolved.get("/S") in _RUNNING_ACTIONS


def _pdf_refusal(data: bytes) -> str | None:
    if any(marker in data for marker in _JS_MARKERS):
        return _SCRIPT
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            return "PDF文件设置了密码或加密，请去掉密码后再上传，或拍照上传"
        root = _resolve(reader.trailer.get("/Root"))
        if not isinstance(root, DictionaryObject):
            return "PDF文件已损坏，无法打开"
        names = _resolve(root.get("/Names"))
        if root.get("/AA") is not None or _runs(root.get("/OpenAction")):
            return _SCRIPT
        if isinstance(names, DictionaryObject) and (
            "/JavaScript" in names or "/EmbeddedFiles" in names
        ):
            return _SCRIPT
        for page in reader.pages:
            if page.get("/AA") is not None:
                return _SCRIPT
            for annot in _resolve(page.get("/Annots")) or []:  # type: ignore[union-attr]
                annot_obj = _resolve(annot)
                if isinstance(annot_obj, DictionaryObject) and _runs(annot_obj.get("/A")):
                    return _SCRIPT
            page.mediabox  # noqa: B018 - reading each page proves the file parses
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return "PDF文件已损坏或格式不正确，无法打开"
    except Exception:
        return "PDF文件已损坏或格式不正确，无法打开"
    return None


def _clean_image(data: bytes) -> bytes:
    """Decode fully and re-encode as JPEG: no EXIF, no comments, no trailing bytes."""
    with Image.open(io.BytesIO(data)) as probe:
        probe.verify()
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        upright = ImageOps.exif_transpose(img)
        rgb = upright.convert("RGB")
        out = io.BytesIO()
        rgb.save(out, format="JPEG", quality=85, optimize=True)
        return out.getvalue()


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Read and check one upload; a ``ValidationError`` carries the reason in plain words."""
    name = _safe_name(upload.name or "")
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"“{name}”太大了（{upload.size // 1024 // 1024 or 1}MB），每个文件不能超过{limit // 1024 // 1024}MB"
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"“{name}”太大了，每个文件不能超过{limit // 1024 // 1024}MB")
    if not data:
        raise ValidationError(f"“{name}”是空文件")
    content_type = sniff(data[:32])
    if content_type is None:
        raise ValidationError(f"“{name}”不是照片或PDF文件（只接收 JPG、PNG、WebP 照片和 PDF 文件）")
    if content_type == "application/pdf":
        refusal = _pdf_refusal(data)
        if refusal:
            raise ValidationError(f"“{name}”：{refusal}")
        return CheckedFile("pdf", content_type, name, data, None)
    try:
        clean = _clean_image(data)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(f"“{name}”不是完整的照片，无法打开") from None
    return CheckedFile("image", content_type, name, data, clean)


# -- storage -----------------------------------------------------------------------------------


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "portal"


def store(data: bytes) -> str:
    """Encrypt and write; returns the path relative to the storage root."""
    now = timezone.localtime()
    relative = f"{now:%Y/%m}/{secrets.token_hex(16)}.bin"
    path = storage_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(crypto.encrypt_bytes(data))
    return relative


def load(relative: str) -> bytes:
    root = storage_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValidationError("附件路径无效")
    return crypto.decrypt_bytes(path.read_bytes())


def rotate_all() -> int:
    """Re-encrypt every stored attachment under the newest key (core.keys rotation)."""
    from silvershield.core.keys import rotate_files

    return rotate_files(storage_root())


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
