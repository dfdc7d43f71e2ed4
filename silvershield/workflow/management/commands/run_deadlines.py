from typing import Any

from django.core.management.base import BaseCommand

from silvershield.workflow.deadlines import deadlines_run


class Command(BaseCommand):
    help = "Run the deadline job once (warnings, 催办, 督办, serious overdue); beat runs it every 30 minutes."

    def handle(self, *args: Any, **options: Any) -> None:
        run = deadlines_run()
        self.stdout.write(
            f"warnings {run.warnings}, reminders {run.reminders}, supervisions {run.supervisions}, serious {run.serious}"
        )
