from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "silvershield.stats"
    label = "stats"
    verbose_name = "统计、排名与报告"
