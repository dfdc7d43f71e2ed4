from celery import shared_task

from silvershield.workflow.deadlines import deadlines_run


@shared_task(name="workflow.deadlines_run")
def deadlines_run_task() -> dict[str, int]:
    run = deadlines_run()
    return {
        "warnings": run.warnings,
        "reminders": run.reminders,
        "supervisions": run.supervisions,
        "serious": run.serious,
    }


@shared_task(name="workflow.recompute_provisional")
def recompute_provisional_task(year: int | None = None) -> int:
    from silvershield.workflow.deadlines import transfers_recompute_provisional

    return transfers_recompute_provisional(year=year)
