from django.urls import path

from silvershield.api.api import api

urlpatterns = [path("", api.urls)]
