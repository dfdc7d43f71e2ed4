from celery import shared_task

from silvershield.portal import services


@shared_task(name="portal.news_notify")
def news_notify_task(tip_id: int) -> bool:
    return services.news_notify(tip_id=tip_id)
