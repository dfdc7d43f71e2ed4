from django.urls import path

from silvershield.rectification import views

app_name = "rectification"
urlpatterns = [
    *[
        path(f"{kind}/", views.ledger_list, {"kind": kind}, name=f"{kind}_list")
        for kind in views.LEDGERS
    ],
    *[
        path(f"{kind}/export.xlsx", views.ledger_export, {"kind": kind}, name=f"{kind}_export")
        for kind in views.LEDGERS
    ],
    path("hazards/batch-check/", views.hazards_batch_check, name="hazards_batch_check"),
    path("institutions/new/", views.institution_new, name="institution_new"),
    path("hazards/new/", views.hazard_new, name="hazard_new"),
    path("letters/new/", views.letter_new, name="letter_new"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("institutions/<int:pk>/", views.detail, {"kind": "institution"}, name="institution"),
    path("hazards/<int:pk>/", views.detail, {"kind": "hazard"}, name="hazard"),
    path("letters/<int:pk>/", views.detail, {"kind": "letter"}, name="letter"),
    path("tasks/<int:pk>/", views.detail, {"kind": "task"}, name="task"),
    path("rules/<int:pk>/", views.detail, {"kind": "rule"}, name="rule"),
    *[
        path(
            f"{kind}s/<int:pk>/do/<slug:name>/", views.action, {"kind": kind}, name=f"{kind}_action"
        )
        for kind in views.ACTIONS
    ],
    path("files/<int:pk>/", views.evidence_file, name="file"),
]
