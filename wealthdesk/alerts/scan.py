"""Set-based matching of the large-movement rules (R6) over corebanking.Transaction and DailyBalance.

Each rule is one SQL statement over the whole day (no Python loop per customer); only the matches come back
to Python, to be written as alerts in bulk. A customer with an open alert of the same rule is skipped inside
the SQL (NOT EXISTS), and the partial unique constraint ``alert_one_open_per_customer_rule`` backs it up.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import OPEN_STATUSES, AlertKind
from .models import Alert, AlertMatch, AlertRule


@dataclass
class Match:
    """One customer matching one rule: the amount and the evidence to keep on the alert."""

    customer_id: int
    center_id: int
    client_manager_id: int | None
    amount: Decimal
    summary: str
    evidence: list = field(default_factory=list)


def day_bounds(as_of: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local (Asia/Shanghai) day as an aware half-open interval."""
    start = timezone.make_aware(dt.datetime.combine(as_of, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _open_alert_exists(rule: AlertRule):
    """The customer has an open alert that matched this rule (as its leading rule or as a further match)."""
    return Exists(AlertMatch.objects.filter(alert__customer_id=OuterRef("customer_id"), rule_id=rule.pk,
                                            alert__status__in=OPEN_STATUSES))


def _txn_evidence(row: dict) -> dict:
    return {"type": "transaction", "id": row["id"], "external_id": row["external_id"],
            "occurred_at": timezone.localtime(row["occurred_at"]).strftime("%Y-%m-%d %H:%M:%S"),
            "amount": str(row["amount"]), "direction": row["direction"], "channel": row["channel"],
            "counterparty_kind": row["counterparty_kind"], "account_no": row["account_no"]}


def match_transactions(rule: AlertRule, as_of: dt.date) -> list[Match]:
    """Single outflow (≥ amount, by tier) or transfer to another bank (≥ amount): one query for the day."""
    transaction_model = apps.get_model("corebanking", "Transaction")
    start, end = day_bounds(as_of)
    qs = transaction_model.objects.filter(occurred_at__gte=start, occurred_at__lt=end, direction="out",
                                          amount__gte=rule.min_amount)
    if rule.kind == AlertKind.OTHER_BANK:
        qs = qs.filter(counterparty_kind="other_bank")
    if rule.tier:
        qs = qs.filter(customer__tier=rule.tier)
    qs = qs.filter(~_open_alert_exists(rule)).order_by("customer_id", "-amount", "id")
    rows = qs.values("id", "external_id", "customer_id", "customer__center_id", "customer__client_manager_id",
                     "occurred_at", "amount", "direction", "channel", "counterparty_kind", "account_no")
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows.iterator(chunk_size=2000):
        grouped[row["customer_id"]].append(row)
    label = _("转账至他行") if rule.kind == AlertKind.OTHER_BANK else _("单笔转出")
    out = []
    for customer_id, items in grouped.items():
        top = items[0]
        summary = _("%(day)s %(label)s %(amount)s 元（%(n)s 笔达到门槛）") % {
            "day": as_of.isoformat(), "label": label, "amount": f"{top['amount']:,.2f}", "n": len(items)}
        out.append(Match(customer_id, top["customer__center_id"], top["customer__client_manager_id"],
                         top["amount"], summary, [_txn_evidence(r) for r in items[:20]]))
    return out


CUMULATIVE_SQL = """
SELECT b.customer_id, c.center_id, c.client_manager_id, w.peak, b.aum
FROM {balance} b
JOIN (SELECT customer_id, MAX(aum) AS peak FROM {balance}
      WHERE as_of >= %s AND as_of < %s GROUP BY customer_id) w ON w.customer_id = b.customer_id
JOIN {customer} c ON c.id = b.customer_id
WHERE b.as_of = %s AND w.peak - b.aum >= CAST(%s AS NUMERIC)
  AND w.peak - b.aum >= CAST(%s AS NUMERIC) * w.peak {tier_filter}
  AND NOT EXISTS (SELECT 1 FROM {alert} a JOIN {match} m ON m.alert_id = a.id
                  WHERE a.customer_id = b.customer_id AND m.rule_id = %s AND a.status IN (%s, %s))
"""


def match_cumulative(rule: AlertRule, as_of: dt.date) -> list[Match]:
    """Cumulative net outflow: today's AUM is at least ``share`` (and ``min_amount``) below the highest AUM
    of the previous ``window_days`` days. Balances are net of inflows, so this is the net outflow."""
    balance_model = apps.get_model("corebanking", "DailyBalance")
    customer_model = apps.get_model("customers", "Customer")
    start = as_of - dt.timedelta(days=rule.window_days)
    qn = connection.ops.quote_name
    sql = CUMULATIVE_SQL.format(balance=qn(balance_model._meta.db_table), customer=qn(customer_model._meta.db_table),
                                alert=qn(Alert._meta.db_table), match=qn(AlertMatch._meta.db_table),
                                tier_filter="AND c.tier = %s" if rule.tier else "")
    params: list = [start, as_of, as_of, rule.min_amount, rule.share]
    if rule.tier:
        params.append(rule.tier)
    params += [rule.pk, *OPEN_STATUSES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not found:
        return []
    points = _balance_points([row[0] for row in found], start, as_of)
    out = []
    for customer_id, center_id, cm_id, peak, aum in found:
        peak, aum = Decimal(str(peak)), Decimal(str(aum))
        drop = peak - aum
        share = drop / peak if peak else Decimal("0")
        summary = _("%(days)s日内资产由 %(peak)s 降至 %(aum)s 元，净流出 %(drop)s 元（%(share)s）") % {
            "days": rule.window_days, "peak": f"{peak:,.2f}", "aum": f"{aum:,.2f}", "drop": f"{drop:,.2f}",
            "share": f"{share:.1%}"}
        out.append(Match(customer_id, center_id, cm_id, drop.quantize(Decimal("0.01")), summary,
                         points.get(customer_id, [])))
    return out


def _balance_points(customer_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[dict]]:
    """The window's balance points of the matched customers only (chunked IN lists)."""
    balance_model = apps.get_model("corebanking", "DailyBalance")
    points: dict[int, list[dict]] = defaultdict(list)
    for i in range(0, len(customer_ids), 5000):
        chunk = customer_ids[i:i + 5000]
        rows = (balance_model.objects.filter(customer_id__in=chunk, as_of__gte=start, as_of__lte=end)
                .order_by("customer_id", "as_of").values_list("customer_id", "as_of", "aum"))
        for customer_id, day, aum in rows:
            points[customer_id].append({"type": "balance", "as_of": day.isoformat(), "aum": str(aum)})
    return points


def match_rule(rule: AlertRule, as_of: dt.date) -> list[Match]:
    if rule.kind == AlertKind.CUMULATIVE_OUTFLOW:
        return match_cumulative(rule, as_of)
    if rule.kind in (AlertKind.SINGLE_OUTFLOW, AlertKind.OTHER_BANK):
        return match_transactions(rule, as_of)
    return []
