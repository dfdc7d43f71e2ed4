from django.urls import path

from silvershield.workflow import views

app_name = "workflow"
urlpatterns = [
    path("tips/<int:pk>/<slug:action>/", views.tip_action, name="action"),
    path("to-transfer/", views.to_transfer, name="to_transfer"),
    path("to-sign/", views.to_sign, name="to_sign"),
    path("to-verify/", views.to_verify, name="to_verify"),
    path("to-review/", views.to_review, name="to_review"),
    path("to-answer/", views.to_answer, name="to_answer"),
    path("extensions/", views.extensions, name="extensions"),
    path("overdue/", views.overdue, name="overdue"),
    path("letters/<int:pk>/", views.letter, name="letter"),
]
