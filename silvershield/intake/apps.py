from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "silvershield.intake"
    label = "intake"
    verbose_name = "线索受理"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from silvershield.intake import registrations

        registrations.register_all()
        post_migrate.connect(_ensure_fulltext, sender=self, dispatch_uid="intake-ensure-fulltext")


def _ensure_fulltext(using: str = "default", **kwargs: object) -> None:
    from silvershield.intake.search import ensure_fulltext

    ensure_fulltext(using=using)
