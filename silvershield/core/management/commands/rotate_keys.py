from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silvershield.core.tasks import rotate_field_keys_task


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the newest field key. Put the new key first in "
        "SILVERSHIELD_FIELD_KEYS (or the key file), keep the old ones until this has finished."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background", action="store_true", help="queue it for a Celery worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            rotate_field_keys_task.delay()
            self.stdout.write("key rotation queued")
            return
        count = rotate_field_keys_task()
        self.stdout.write(f"re-encrypted {count} values under the newest key")
