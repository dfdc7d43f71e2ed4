from django.urls import path

from silvershield.intake import cluster_views, import_views, views

app_name = "intake"
urlpatterns = [
    path("", views.tip_list, name="list"),
    path("export.xlsx", views.tip_export, name="export"),
    path("new/", views.tip_create, name="create"),
    path("reporters/", views.reporter_search, name="reporter_search"),
    path("<int:pk>/", views.tip_detail, name="detail"),
    path("<int:pk>/reveal/", views.tip_reveal, name="reveal"),
    path("<int:pk>/screening/", cluster_views.screening_correct, name="screening_correct"),
    path("clusters/", cluster_views.cluster_list, name="clusters"),
    path("imports/", import_views.import_list, name="imports"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/map/", import_views.import_map, name="import_map"),
    path("imports/<int:pk>/rejected.csv", import_views.import_rejected, name="import_rejected"),
    path("clusters/<int:pk>/", cluster_views.cluster_detail, name="cluster_detail"),
    path("clusters/<int:pk>/<slug:action>/", cluster_views.cluster_action, name="cluster_action"),
]
