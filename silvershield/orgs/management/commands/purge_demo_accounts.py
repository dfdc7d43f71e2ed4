from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from silvershield.core.audit import audit_record
from silvershield.orgs.models import User


class Command(BaseCommand):
    help = (
        "Deactivate-and-delete every demo account (production refuses to start while any exists)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            users = list(User.objects.filter(is_demo=True))
            for user in users:
                audit_record(
                    actor=None,
                    action="user.demo_purged",
                    obj=user,
                    summary=f"删除演示账号 {user.username}",
                )
            User.objects.filter(pk__in=[u.pk for u in users]).delete()
        self.stdout.write(f"removed {len(users)} demo accounts")
