import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from silvershield.core.audit import ArchiveRefused, audit_archive


class Command(BaseCommand):
    help = "Archive audit events older than --days (≥ 183) to a file and leave a signed checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--directory", default=str(Path(settings.VAR_DIR) / "audit-archive"))

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - dt.timedelta(days=options["days"])
        try:
            checkpoint = audit_archive(before=before, directory=Path(options["directory"]))
        except ArchiveRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"archived {checkpoint.event_count} events (#{checkpoint.first_event_id}–#{checkpoint.last_event_id}) "
            f"to {checkpoint.archive_file}"
        )
