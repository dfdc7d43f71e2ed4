from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "silvershield.stats"
    label = "stats"
    verbose_name = "统计、排名与报告"

    def ready(self) -> None:
        from silvershield.stats import indicators, receivers, registrations

        indicators.load()
        receivers.connect()
        registrations.register_all()
