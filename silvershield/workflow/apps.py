from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "silvershield.workflow"
    label = "workflow"
    verbose_name = "转办与核查"

    def ready(self) -> None:
        from silvershield.workflow import registrations

        registrations.register_all()
