from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "silvershield.intake"
    label = "intake"
    verbose_name = "线索受理"

    def ready(self) -> None:
        from silvershield.intake import registrations

        registrations.register_all()
