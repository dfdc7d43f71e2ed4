from django.urls import path

from silvershield.geo import views

app_name = "geo"

urlpatterns = [
    path("options/", views.options, name="options"),
    path("children.json", views.children_json, name="children_json"),
]
