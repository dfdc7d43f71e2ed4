from django.urls import path

from silvershield.documents import views

app_name = "documents"
urlpatterns = [
    path("transfer-letters/<int:pk>.docx", views.transfer_letter, name="transfer_letter"),
]
