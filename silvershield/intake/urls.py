from django.urls import path

from silvershield.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.tip_list, name="list"),
    path("export.xlsx", views.tip_export, name="export"),
    path("new/", views.tip_create, name="create"),
    path("reporters/", views.reporter_search, name="reporter_search"),
    path("<int:pk>/", views.tip_detail, name="detail"),
    path("<int:pk>/reveal/", views.tip_reveal, name="reveal"),
]
