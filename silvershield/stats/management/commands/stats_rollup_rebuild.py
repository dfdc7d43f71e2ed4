from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silvershield.stats.periods import Period, PeriodError
from silvershield.stats.rollup import rollup_rebuild


class Command(BaseCommand):
    help = "Recompute the daily statistics roll-up from the tips (all days, or --from/--to)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        period = None
        if options["start"] or options["end"]:
            try:
                period = Period(
                    dt.date.fromisoformat(options["start"]), dt.date.fromisoformat(options["end"])
                )
            except (TypeError, ValueError, PeriodError) as exc:
                raise CommandError(f"日期有误：{exc}") from None
        rows = rollup_rebuild(period=period)
        self.stdout.write(f"roll-up rebuilt: {rows} rows")
