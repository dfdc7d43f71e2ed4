from django.urls import path

from silvershield.core import views

app_name = "core"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/<int:pk>/answer/", views.feedback_answer, name="feedback_answer"),
]
