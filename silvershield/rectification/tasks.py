from celery import shared_task

from silvershield.rectification.deadlines import rect_deadlines_run


@shared_task(name="rectification.deadlines_run")
def rect_deadlines_run_task() -> dict[str, int]:
    return rect_deadlines_run().as_dict()
