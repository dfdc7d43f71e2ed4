from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "silvershield.core"
    label = "core"
    verbose_name = "内核"

    def ready(self) -> None:
        from silvershield.core import nav
        from silvershield.core.permissions import Perm

        nav.register(nav.NavEntry("待办", "工作台", "core:workbench", Perm.WORKBENCH, order=1))
        nav.register(
            nav.NavEntry("系统", "节假日安排", "core:calendar_list", Perm.CAMPAIGN_MANAGE, order=35)
        )
