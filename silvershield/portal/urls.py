from django.urls import URLPattern, URLResolver, path

from silvershield.portal import staff_views, views

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("status/", views.status, name="status"),
    path("status/message/", views.status_message, name="status_message"),
    path("status/leave/", views.status_leave, name="status_leave"),
    path("large-type/", views.large_type, name="large_type"),
    path("grid/", staff_views.grid, name="grid"),
    path("staff/tips/<int:pk>/reply/", staff_views.tip_reply, name="tip_reply"),
    path("staff/tips/<int:pk>/receipt/", staff_views.tip_receipt, name="tip_receipt"),
    path("staff/attachments/<int:pk>/", staff_views.attachment, name="attachment"),
    path(
        "staff/attachments/<int:pk>/original/",
        staff_views.attachment_original,
        name="attachment_original",
    ),
    path("staff/reveal-requests/", staff_views.reveal_requests, name="reveal_requests"),
]
