from django.urls import path

from silvershield.documents import views

app_name = "documents"
urlpatterns = [
    path("transfer-letters/<int:pk>.docx", views.transfer_letter, name="transfer_letter"),
]
urlpatterns += [
    path("weekly/new/", views.weekly_new, name="weekly_new"),
    path("weekly/narrative-check/", views.narrative_check, name="narrative_check"),
    path("bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>.docx", views.report_docx, name="report_docx"),
]
