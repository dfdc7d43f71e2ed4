from typing import Any

from django.core.management.base import BaseCommand

from silvershield.rectification.deadlines import rect_deadlines_run


class Command(BaseCommand):
    help = (
        "Run the rectification deadline job once over letters awaiting a reply and open "
        "rectification tasks (warnings, 催办, 督办, serious overdue)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = rect_deadlines_run()
        self.stdout.write(
            f"warnings {run.warnings}, reminders {run.reminders}, "
            f"supervisions {run.supervisions}, serious {run.serious}"
        )
