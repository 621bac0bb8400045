"""Configurable figures with their defaults (SPEC "Defaults and figures"); head office edits them.

Read with ``get_param("alert.due_working_days")``. Nothing in the code hard-codes these numbers.
Apps add their own defaults with ``register_defaults`` in ``AppConfig.ready``.
"""
from __future__ import annotations

from typing import Any

from django.core.cache import cache

from .models import Parameter

DEFAULTS: dict[str, tuple[Any, str]] = {
    "tier.avg_days": (30, "客户级别按最近N天日均AUM计算（月日均）"),
    "cm.max_customers": (200, "每名客户经理管理的优质客户上限（超出提示超负荷）"),
    "cm.min_customers": (100, "每名客户经理管理的优质客户下限"),
    # The deadlines' lengths (alert, referral, question, problem feedback, complaint) are registered by
    # core.deadlines, the one table of what each deadline counts.
    "log_review.read_share": (0.8, "负责人阅读日志比例下限"),
    "log_review.comment_share": (0.5, "负责人批注日志比例下限"),
    "maturity.window_days": (30, "到期提醒提前天数"),
    "reveal.daily_cap": (20, "每人每天查看明文（脱敏字段）次数上限"),
    "export.approval_rows": (50, "含客户数据的导出超过N行须经第二人审批"),
    "export.download_hours": (24, "审批通过的导出文件可下载时限（小时，仅可下载一次）"),
}

_CACHE_PREFIX = "wd:param:"


def register_defaults(defaults: dict[str, tuple[Any, str]]) -> None:
    for key, value in defaults.items():
        DEFAULTS.setdefault(key, value)


def get_param(key: str) -> Any:
    """The current value of a parameter: the stored one, else the default."""
    cached = cache.get(_CACHE_PREFIX + key)
    if cached is not None:
        return cached
    row = Parameter.objects.filter(key=key).values_list("value", flat=True).first()
    if row is None:
        if key not in DEFAULTS:
            raise KeyError(f"unknown parameter {key!r}")
        row = DEFAULTS[key][0]
    cache.set(_CACHE_PREFIX + key, row, 60)
    return row


def get_params(keys) -> dict[str, Any]:
    """Several parameters at once: the cached ones from the cache, the others in one query (the settings page lists
    every parameter: one query, not one per parameter, when the cache has expired; issue 16)."""
    keys = list(dict.fromkeys(keys))
    cached = cache.get_many([_CACHE_PREFIX + k for k in keys])
    out = {k: cached[_CACHE_PREFIX + k] for k in keys if cached.get(_CACHE_PREFIX + k) is not None}
    missing = [k for k in keys if k not in out]
    if missing:
        stored = dict(Parameter.objects.filter(key__in=missing).values_list("key", "value"))
        fresh = {}
        for key in missing:
            value = stored.get(key)
            if value is None:
                if key not in DEFAULTS:
                    raise KeyError(f"unknown parameter {key!r}")
                value = DEFAULTS[key][0]
            out[key] = fresh[_CACHE_PREFIX + key] = value
        cache.set_many(fresh, 60)
    return out


def set_param(key: str, value: Any, *, actor=None) -> Parameter:
    """Store a parameter (head office). Audited through the admin or the caller's service."""
    description = DEFAULTS.get(key, (None, ""))[1]
    obj, _ = Parameter.objects.update_or_create(
        key=key, defaults={"value": value, "description": description, "created_by": actor}
    )
    cache.delete(_CACHE_PREFIX + key)
    return obj
