"""``manage.py load_regions [--province CODE ...] [--city CODE ...]``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silvershield.geo.models import Region
from silvershield.geo.services import regions_load


class Command(BaseCommand):
    help = "载入随产品发布的行政区划（省、市、县、乡镇）。不带参数载入全国。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province", action="append", default=None, metavar="CODE", help="省级代码，可重复"
        )
        parser.add_argument(
            "--city", action="append", default=None, metavar="CODE", help="地级代码，可重复"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            written = regions_load(province_codes=options["province"], city_codes=options["city"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"行政区划：新增或更新 {written} 条，库中共 {Region.objects.count()} 条（{elapsed:.1f} 秒）"
        )
