from celery import shared_task

from silvershield.intake.autoscreen import tip_screen, tips_screen_and_link
from silvershield.intake.clusters import tip_link
from silvershield.intake.models import Tip


@shared_task(name="intake.screen_tip")
def screen_tip_task(tip_id: int) -> bool:
    """Screen a new tip and link it to the tips it shares identifiers or text with."""
    tip = Tip.objects.select_related("region").filter(pk=tip_id).first()
    if tip is None:
        return False
    tip_screen(tip=tip)
    tip_link(tip=tip)
    return True


@shared_task(name="intake.screen_tips")
def screen_tips_task(tip_ids: list[int]) -> int:
    """Screen and link a batch of imported tips (one task per import chunk, not one per tip)."""
    tips = Tip.objects.select_related("region").filter(pk__in=tip_ids).order_by("pk")
    return tips_screen_and_link(tips=list(tips))


@shared_task(name="intake.import_run")
def import_run_task(job_id: int) -> str:
    from silvershield.intake.import_services import import_run
    from silvershield.intake.models import ImportJob

    job = ImportJob.objects.select_related("source", "created_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    return str(import_run(job=job).state)
