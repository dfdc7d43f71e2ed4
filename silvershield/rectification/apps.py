from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "silvershield.rectification"
    label = "rectification"
    verbose_name = "整治：机构、隐患、三书一函与整改"

    def ready(self) -> None:
        from silvershield.rectification import registrations

        registrations.register_all()
