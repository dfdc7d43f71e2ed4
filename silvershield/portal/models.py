"""The public portal's records: receipt codes (hashed), submissions (idempotency), the message
thread between a reporter and the handling office, and attachments (encrypted files).

Nothing here stores a reporter's IP address or user agent.
"""

from __future__ import annotations

from django.db import models

from silvershield.core.fields import EncryptedTextField


class Receipt(models.Model):
    """The receipt code (回执码) of a tip: stored only as a keyed hash; an optional passphrase of
    the reporter's own, stored as a slow password hash."""

    tip = models.OneToOneField("intake.Tip", on_delete=models.CASCADE, related_name="receipt")
    code_hash = models.CharField(max_length=64, unique=True)
    passphrase_hash = models.CharField(max_length=256, blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"receipt of {self.tip_id}"

    @property
    def has_passphrase(self) -> bool:
        return bool(self.passphrase_hash)


class Submission(models.Model):
    """One portal form submission, keyed by the hash of the form's one-time token, so that a
    double click or a retry creates one tip."""

    token_hash = models.CharField(max_length=64, unique=True)
    tip = models.OneToOneField(
        "intake.Tip", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"submission {self.pk}"


class Author(models.TextChoices):
    REPORTER = "reporter", "举报人"
    OFFICE = "office", "办理单位"


class Message(models.Model):
    """One message of the thread between the reporter and the handling office (encrypted)."""

    tip = models.ForeignKey("intake.Tip", on_delete=models.CASCADE, related_name="portal_messages")
    author = models.CharField(max_length=16, choices=Author.choices)
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()
    text = EncryptedTextField("内容")

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} on {self.tip_id}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "照片"
    PDF = "pdf", "PDF文件"


class Attachment(models.Model):
    """A file the reporter (or a grid worker) sent: stored encrypted under MEDIA_ROOT, outside
    the web root. Photos also have a re-encoded copy without metadata (what staff open by
    default); opening the original is a privileged, audited action."""

    tip = models.ForeignKey(
        "intake.Tip", on_delete=models.CASCADE, related_name="portal_attachments"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=64)
    name = EncryptedTextField("文件名")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_path = models.CharField(max_length=200)
    clean_path = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk} of {self.tip_id}"
