from django.urls import include, path

urlpatterns = [
    path("", include("silvershield.core.urls")),
    path("accounts/", include("silvershield.orgs.urls")),
    path("regions/", include("silvershield.geo.urls")),
    path("tips/", include("silvershield.intake.urls")),
    path("workflow/", include("silvershield.workflow.urls")),
    path("documents/", include("silvershield.documents.urls")),
    path("system/campaigns/", include("silvershield.campaigns.urls")),
    path("api/", include("silvershield.api.urls")),
]
