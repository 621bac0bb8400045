"""The default alert rules (R6, R7): sensible starting figures that head office then edits.

Used by the data migration, by the scan (so a fresh database always has rules) and by the demo seed.
"""
from __future__ import annotations

from decimal import Decimal

from .choices import AlertKind

# code -> (name, kind, tier, min_amount, share, window_days)
DEFAULT_RULES: dict[str, tuple[str, str, str, Decimal | None, Decimal | None, int | None]] = {
    "single-outflow-private": ("私人银行客户单笔大额转出", AlertKind.SINGLE_OUTFLOW, "private",
                               Decimal("1000000"), None, None),
    "single-outflow-core": ("核心优质客户单笔大额转出", AlertKind.SINGLE_OUTFLOW, "core",
                            Decimal("500000"), None, None),
    "single-outflow-premium": ("普通优质客户单笔大额转出", AlertKind.SINGLE_OUTFLOW, "premium",
                               Decimal("200000"), None, None),
    "cumulative-outflow": ("5日内资产累计净流出30%以上", AlertKind.CUMULATIVE_OUTFLOW, "",
                           Decimal("100000"), Decimal("0.3"), 5),
    "other-bank-transfer": ("单笔大额转账至他行", AlertKind.OTHER_BANK, "", Decimal("500000"), None, None),
    "tier-downgrade": ("客户级别下调", AlertKind.TIER_DOWNGRADE, "", None, None, None),
}


def ensure_default_rules(rule_model) -> int:
    """Create the default rules that are missing (existing ones, possibly edited, are kept)."""
    have = set(rule_model.objects.values_list("code", flat=True))
    missing = [
        rule_model(code=code, name=name, kind=kind, tier=tier, min_amount=amount, share=share, window_days=days)
        for code, (name, kind, tier, amount, share, days) in DEFAULT_RULES.items() if code not in have
    ]
    rule_model.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
