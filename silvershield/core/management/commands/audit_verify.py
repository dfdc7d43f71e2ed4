from typing import Any

from django.core.management.base import BaseCommand, CommandError

from silvershield.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.ok:
            self.stdout.write(
                f"audit chain OK: {report.checked} events checked (after #{report.started_after})"
            )
            return
        raise CommandError(
            f"audit chain BROKEN at event #{report.first_broken_id}: {report.reason}"
        )
