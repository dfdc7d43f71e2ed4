from typing import Any

from django.core.management.base import BaseCommand

from silvershield.core.permissions import Role
from silvershield.demo.loader import DEMO_PASSWORD, DemoAccount, load_demo


def print_accounts(write: Any, accounts: list[DemoAccount]) -> None:
    write("")
    write(f"演示账号（虚构人员；密码均为 {DEMO_PASSWORD}）")
    write("-" * 96)
    write(f"{'登录名':<18}{'姓名':<8}{'角色':<14}{'单位'}")
    for a in accounts:
        write(f"{a.username:<20}{a.full_name:<8}{Role(a.role).label:<14}{a.unit}")
    write("-" * 96)
    write("管理员类账号登录须填写动态口令（TOTP，30秒，6位）。把下列密钥加入身份验证器，")
    write("或运行 `python manage.py totp_code <登录名>` 得到当前口令：")
    for a in accounts:
        if a.totp_secret:
            write(f"  {a.username:<12} TOTP 密钥（Base32）：{a.totp_secret}")
    write("")


class Command(BaseCommand):
    help = "Load the demo data (湖州市, fictitious units, people and tips) and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo()
        print_accounts(self.stdout.write, accounts)
