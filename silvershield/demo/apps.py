from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the embedded runner. Sits above every other app: it only calls their services."""

    name = "silvershield.demo"
    label = "demo"
    verbose_name = "演示"
