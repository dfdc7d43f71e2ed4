from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "silvershield.portal"
    label = "portal"
    verbose_name = "群众举报门户"
