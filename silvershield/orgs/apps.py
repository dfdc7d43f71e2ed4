from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "silvershield.orgs"
    label = "orgs"
    verbose_name = "单位与用户"

    def ready(self) -> None:
        from silvershield.orgs import registrations

        registrations.register_all()
