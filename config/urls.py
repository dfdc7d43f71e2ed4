from django.urls import include, path

urlpatterns = [
    path("", include("silvershield.portal.urls")),
    path("work/", include("silvershield.core.urls")),
    path("accounts/", include("silvershield.orgs.urls")),
    path("regions/", include("silvershield.geo.urls")),
    path("tips/", include("silvershield.intake.urls")),
    path("system/campaigns/", include("silvershield.campaigns.urls")),
    path("workflow/", include("silvershield.workflow.urls")),
    path("cases/", include("silvershield.enforcement.urls")),
    path("rectification/", include("silvershield.rectification.urls")),
    path("stats/", include("silvershield.stats.urls")),
    path("documents/", include("silvershield.documents.urls")),
    path("api/", include("silvershield.api.urls")),
]
