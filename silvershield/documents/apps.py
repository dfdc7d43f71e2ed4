from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "silvershield.documents"
    label = "documents"
    verbose_name = "公文与台账"
    default_auto_field = "django.db.models.BigAutoField"
