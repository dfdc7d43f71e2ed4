from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "silvershield.geo"
    label = "geo"
    verbose_name = "行政区划"
    default_auto_field = "django.db.models.BigAutoField"
