from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "silvershield.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self) -> None:
        from silvershield.core import nav
        from silvershield.core.permissions import Perm

        nav.register(
            nav.NavEntry("系统", "专项行动设置", "campaigns:list", Perm.CAMPAIGN_MANAGE, order=30)
        )
