from django.urls import path

from silvershield.core import calendar_views, views

app_name = "core"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/<int:pk>/answer/", views.feedback_answer, name="feedback_answer"),
]
urlpatterns += [
    path("calendar/", calendar_views.calendar_list, name="calendar_list"),
    path("calendar/edit/", calendar_views.calendar_edit, name="calendar_edit"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/delete/", calendar_views.calendar_delete, name="calendar_delete"),
]
