"""One rate-limit helper for every limit (the public opinion book per address, the referral lookup per user, …).

Counting is atomic and shared between gunicorn workers: with ``CACHE_URL`` pointing at Redis the counter is a
cache key (``add`` + ``incr`` are atomic there); otherwise it is a row of ``core.RateCounter`` in the database,
incremented with a single ``UPDATE … SET count = count + 1`` (the locmem cache is per process and would let each
worker count on its own). Check-then-increment is never used: the hit is counted first, and refused when the
count it got is past the limit.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F


def _uses_redis() -> bool:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return "redis" in backend.lower()


def hit(name: str, key: str, *, limit: int, window: int, bucket: str | None = None) -> bool:
    """Count one hit of ``key`` for the limit ``name`` in the current window; True while within ``limit``.

    ``bucket`` names the window explicitly (e.g. the local date for a daily cap); by default it is the n-th
    ``window`` seconds since the epoch."""
    bucket = bucket or int(time.time() // window)
    full_key = f"wd:rl:{name}:{key}:{bucket}"
    if _uses_redis():
        from django.core.cache import cache

        if cache.add(full_key, 1, window + 5):
            return 1 <= limit
        try:
            return cache.incr(full_key) <= limit
        except ValueError:  # expired between add and incr
            cache.add(full_key, 1, window + 5)
            return 1 <= limit
    return _db_hit(full_key, window) <= limit


def _db_hit(full_key: str, window: int) -> int:
    from .models import RateCounter

    with transaction.atomic():
        updated = RateCounter.objects.filter(key=full_key).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=full_key, count=1, expires_at=time.time() + window + 5)
                return 1
            except IntegrityError:  # another worker created it first
                RateCounter.objects.filter(key=full_key).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=full_key).values_list("count", flat=True).first() or 0
    if count == 1:
        RateCounter.objects.filter(expires_at__lt=time.time()).delete()  # old windows
    return count


def peek(name: str, key: str, *, window: int, bucket: str | None = None) -> int:
    """The count so far in the current window (for messages), without counting."""
    bucket = bucket or int(time.time() // window)
    full_key = f"wd:rl:{name}:{key}:{bucket}"
    if _uses_redis():
        from django.core.cache import cache

        return int(cache.get(full_key) or 0)
    from .models import RateCounter

    return RateCounter.objects.filter(key=full_key).values_list("count", flat=True).first() or 0
