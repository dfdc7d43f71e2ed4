from django.urls import URLPattern, URLResolver, path

from silvershield.enforcement import views

app_name = "enforcement"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list, name="list"),
    path("export.xlsx", views.case_export, name="export"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.case_action, name="action"),
    path("from-report/<int:report_id>/", views.case_from_report, name="from_report"),
    path("gangs/", views.gang_list, name="gangs"),
    path("gangs/<int:pk>/", views.gang_detail, name="gang"),
    path("cold/", views.cold_list, name="cold"),
]
