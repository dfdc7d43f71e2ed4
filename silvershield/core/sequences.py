from django.db import transaction

from silvershield.core.models import Counter


def next_value(*, key: str) -> int:
    """The next number of the counter ``key`` (1, 2, …), gap-free within committed transactions."""
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(key=key)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value
