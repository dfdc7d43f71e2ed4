from django.urls import URLPattern, URLResolver, path

from silvershield.stats import views

app_name = "stats"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/", views.indicators_page, name="indicators"),
    path("rankings/", views.rankings, name="rankings"),
    path("weights/", views.weights, name="weights"),
    path("records/<slug:code>/", views.records, name="records"),
    path("records/<slug:code>/export.xlsx", views.records_export, name="records_export"),
]
