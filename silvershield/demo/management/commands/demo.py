"""The embedded default in one command: database, demo data, a background worker and the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from silvershield.demo.loader import load_demo
from silvershield.demo.management.commands.load_demo import print_accounts


class Command(BaseCommand):
    help = "Migrate, load the demo data, start a Celery worker (with beat) and serve on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        var = Path(settings.VAR_DIR)
        for sub in ("celery/queue", "celery/processed", "cache", "media"):
            (var / sub).mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已就绪。载入演示数据……")
        accounts = load_demo()
        print_accounts(self.stdout.write, accounts)
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--beat",
                    "--pool=solo",
                    "--loglevel=WARNING",
                    "--schedule",
                    str(var / "celerybeat-schedule"),
                ],
                env={
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": os.environ.get(
                        "DJANGO_SETTINGS_MODULE", "config.settings"
                    ),
                },
            )
            self.stdout.write(
                f"后台任务进程已启动（Celery，pid {worker.pid}，代理：{settings.CELERY_BROKER_URL}）"
            )
        from waitress import serve

        from config.wsgi import application

        self.stdout.write(
            f"银盾已启动：http://{options['host']}:{options['port']}/  （Ctrl+C 停止）"
        )
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=8,
                ident="silvershield",
            )
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=15)
