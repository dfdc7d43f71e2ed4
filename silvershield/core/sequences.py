from django.db import transaction

from silvershield.core.models import Counter


def next_value(*, key: str) -> int:
    """The next number of the counter ``key`` (1, 2, …), gap-free within committed transactions."""
    return next_values(key=key, count=1)


def next_values(*, key: str, count: int) -> int:
    """The first of ``count`` consecutive numbers of the counter ``key``, under one row lock
    (a batch numbers its records with one statement instead of one per record)."""
    if count < 1:
        raise ValueError("count must be positive")
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(key=key)
        counter.value += count
        counter.save(update_fields=["value"])
        return counter.value - count + 1
