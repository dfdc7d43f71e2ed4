from typing import Any

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "silvershield.portal"
    label = "portal"
    verbose_name = "群众举报门户"

    def ready(self) -> None:
        from silvershield.core import todo
        from silvershield.core.keys import register_rotator
        from silvershield.intake import panels
        from silvershield.portal import staff_views
        from silvershield.portal.files import rotate_all
        from silvershield.workflow.services import feedback_recorded

        register_rotator(rotate_all)
        panels.register(staff_views.tip_panel)
        todo.register(staff_views.reveal_todo, order=90)
        feedback_recorded.connect(_on_feedback, dispatch_uid="portal-feedback-sms")


def _on_feedback(sender: Any, tip_id: int, **kwargs: Any) -> None:
    """The answer to the reporter was recorded (after commit): tell them by SMS."""
    from silvershield.portal.tasks import news_notify_task

    news_notify_task.delay(tip_id)
