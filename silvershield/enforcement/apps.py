from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "silvershield.enforcement"
    label = "enforcement"
    verbose_name = "打击：案件与追赃挽损"

    def ready(self) -> None:
        from silvershield.enforcement import registrations

        registrations.register_all()
