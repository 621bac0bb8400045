"""The evidence kept on an alert, ready to show: labels in Chinese, account numbers masked (R28)."""
from __future__ import annotations

from decimal import Decimal

from wealthdesk.core.masking import mask_account
from wealthdesk.corebanking.choices import Channel, CounterpartyKind, Direction
from wealthdesk.customers.choices import Tier

_CHANNELS = dict(Channel.choices)
_COUNTERPARTIES = dict(CounterpartyKind.choices)
_DIRECTIONS = dict(Direction.choices)
_TIERS = dict(Tier.choices)


def _money(value) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def evidence_rows(alert) -> list[dict]:
    """One dict per evidence item: ``type`` is transaction, balance or tier."""
    rows = []
    for item in alert.evidence or []:
        kind = item.get("type")
        if kind == "transaction":
            rows.append({"type": kind, "external_id": item.get("external_id", ""), "at": item.get("occurred_at", ""),
                         "amount": _money(item.get("amount")),
                         "direction": str(_DIRECTIONS.get(item.get("direction"), item.get("direction", ""))),
                         "channel": str(_CHANNELS.get(item.get("channel"), item.get("channel", ""))),
                         "counterparty": str(_COUNTERPARTIES.get(item.get("counterparty_kind"), "")),
                         "account_no": mask_account(item.get("account_no", ""))})
        elif kind == "balance":
            rows.append({"type": kind, "as_of": item.get("as_of", ""), "aum": _money(item.get("aum"))})
        elif kind == "tier":
            rows.append({"type": kind, "changed_on": item.get("changed_on", ""),
                         "from_tier": str(_TIERS.get(item.get("from_tier"), "")),
                         "to_tier": str(_TIERS.get(item.get("to_tier"), "")), "aum_avg": _money(item.get("aum_avg"))})
    return rows
