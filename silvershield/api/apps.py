from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "silvershield.api"
    label = "api"
    verbose_name = "接口"
