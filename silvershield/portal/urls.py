from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", RedirectView.as_view(pattern_name="core:workbench", permanent=False), name="home"),
]
