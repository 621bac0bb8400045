"""Writes of the alerts app (DESIGN rule 2): the scan and the downgrade hand-off (called by corebanking's loads),
and the follow-through of one alert: follow up → close with a reason and measures → the head's review or reopening.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.deadlines import due_date as deadline_due
from wealthdesk.core.roles import UPPER_LEVEL, Role
from wealthdesk.core.scoping import scope_for

from .choices import OPEN_STATUSES, SCANNED_KINDS, AlertKind, AlertStatus, CloseReason, NoteKind, ReviewState
from .models import Alert, AlertMatch, AlertNote, AlertRule
from .rules import ensure_default_rules
from .scan import Match, match_rule

# Who works an alert: its client manager, and the center's management (R6, R7).
WORKERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD})
REVIEWERS = frozenset({Role.CENTER_HEAD})  # the center head reviews closures and may reopen
RULE_EDITORS = frozenset({Role.HQ_SERVICE})  # head office edits the rules (R6)
# Everyone who may see alerts at all (pages and API).
ALERT_VIEWERS = WORKERS | UPPER_LEVEL - {Role.QUALITY_MANAGER} | {Role.AUDITOR}
RULE_FIELDS = ("name", "min_amount", "share", "window_days", "is_active")


def due_date_from(day: dt.date) -> dt.date:
    """Follow-up deadline (R6, R7): the ``alert.follow_up`` deadline of ``core.deadlines`` from ``day``."""
    return deadline_due("alert.follow_up", day)


def _insert(rule: AlertRule, matches: list[Match], as_of: dt.date, actor) -> int:
    """One alert per match of a single rule (the tier downgrade, R7), with its match row."""
    return _insert_grouped({m.customer_id: [(rule, m)] for m in matches}, as_of, actor)


def _merged_evidence(items) -> list:
    """The evidence of several matches without duplicates (one transaction can match two rules)."""
    seen, out = set(), []
    for item in items:
        key = (item.get("type"), item.get("id") or item.get("history_id") or item.get("as_of"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _insert_grouped(by_customer: dict[int, list[tuple[AlertRule, Match]]], as_of: dt.date, actor) -> int:
    """R6: one alert per customer and day with every matched rule (``AlertMatch``) and all their evidence.

    A customer who already has an open alert of the same day and family gets the new matches added to it. Set-based:
    one insert of the alerts, one read back, one insert of the matches (plus one update per alert that grows)."""
    if not by_customer:
        return 0
    due = due_date_from(as_of)
    author = actor if getattr(actor, "pk", None) else None
    first_rule = next(iter(by_customer.values()))[0][0]
    family = SCANNED_KINDS if first_rule.kind in SCANNED_KINDS else (first_rule.kind,)

    customer_ids = list(by_customer)

    def existing() -> dict[int, Alert]:
        out: dict[int, Alert] = {}
        for i in range(0, len(customer_ids), 5000):  # chunked IN lists (PostgreSQL's parameter limit)
            qs = Alert.objects.filter(customer_id__in=customer_ids[i:i + 5000], as_of=as_of,
                                      status__in=OPEN_STATUSES, kind__in=family).order_by("id")
            for a in qs.only("id", "customer_id", "evidence", "summary"):
                out.setdefault(a.customer_id, a)
        return out

    before = existing()
    rows = []
    for customer_id, pairs in by_customer.items():
        if customer_id in before:
            continue
        pairs = sorted(pairs, key=lambda p: (-p[1].amount, SCANNED_KINDS.index(p[0].kind)
                                             if p[0].kind in SCANNED_KINDS else 0))
        rule, lead = pairs[0]
        summary = "；".join(m.summary for _r, m in pairs)
        rows.append(Alert(kind=rule.kind, rule=rule, customer_id=customer_id, center_id=lead.center_id,
                          assigned_to_id=lead.client_manager_id, as_of=as_of, amount=lead.amount,
                          summary=summary[:200], evidence=_merged_evidence(e for _r, m in pairs for e in m.evidence),
                          due_date=due, created_by=author))
    Alert.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    alerts = existing()
    alert_ids = [a.pk for a in alerts.values()]
    have: set[tuple[int, int]] = set()
    for i in range(0, len(alert_ids), 5000):
        have |= set(AlertMatch.objects.filter(alert_id__in=alert_ids[i:i + 5000]).values_list("alert_id", "rule_id"))
    matches, opened = [], 0
    for customer_id, pairs in by_customer.items():
        alert = alerts.get(customer_id)
        if alert is None:
            continue
        new = [(r, m) for r, m in pairs if (alert.pk, r.pk) not in have]
        matches += [AlertMatch(alert=alert, rule=r, kind=r.kind, amount=m.amount, summary=m.summary[:200])
                    for r, m in new]
        opened += len(new)
        if customer_id in before and new:  # a later load the same day: the same alert grows
            alert.evidence = _merged_evidence([*alert.evidence, *(e for _r, m in new for e in m.evidence)])
            alert.summary = "；".join([alert.summary, *(m.summary for _r, m in new)])[:200]
            alert.save(update_fields=["evidence", "summary", "updated_at"])
    AlertMatch.objects.bulk_create(matches, batch_size=2000)
    return opened


@transaction.atomic
def alerts_scan(*, as_of: dt.date, actor=None) -> dict[str, int]:
    """Run every active large-movement rule over one day's data (R6); returns alerts opened per kind.

    Each rule is one set-based query (see ``scan.py``); a customer with an open alert of the same rule gets none.
    Called by ``scan_alerts`` and at the end of every balance or transaction load.
    """
    ensure_default_rules(AlertRule)
    counts = {kind: 0 for kind in SCANNED_KINDS}
    by_customer: dict[int, list[tuple[AlertRule, Match]]] = {}
    for rule in AlertRule.objects.filter(is_active=True, kind__in=SCANNED_KINDS).order_by("kind", "tier"):
        for match in match_rule(rule, as_of):
            by_customer.setdefault(match.customer_id, []).append((rule, match))
            counts[rule.kind] += 1  # counted by rule; the customer's matches of the day make one alert
    _insert_grouped(by_customer, as_of, actor)
    audit_record(actor=actor, action=AuditAction.CREATE, detail={"what": "alerts_scan", "as_of": as_of.isoformat(),
                                                                 "opened": {k: v for k, v in counts.items()}})
    return {str(k): v for k, v in counts.items()}


@transaction.atomic
def alerts_open_for_downgrades(*, history_ids: list[int], actor=None) -> int:
    """One tier-downgrade alert (R7) per customers.TierHistory row that is a downgrade, unless the customer
    already has an open one. Called by corebanking after the tier recomputation (R2)."""
    from wealthdesk.customers.models import TierHistory

    if not history_ids:
        return 0
    ensure_default_rules(AlertRule)
    rule = AlertRule.objects.filter(kind=AlertKind.TIER_DOWNGRADE, is_active=True).first()
    if rule is None:
        return 0
    busy = Alert.objects.filter(rule=rule, status__in=OPEN_STATUSES).values("customer_id")
    rows = (TierHistory.objects.filter(pk__in=history_ids).downgrades().exclude(customer_id__in=busy)
            .order_by("customer_id", "changed_on", "id")
            .values("id", "customer_id", "customer__center_id", "customer__client_manager_id", "from_tier", "to_tier",
                    "changed_on", "aum_avg", "reason"))
    latest = {row["customer_id"]: row for row in rows}  # one alert per customer: the latest downgrade
    from wealthdesk.customers.choices import Tier

    labels = dict(Tier.choices)
    created = 0
    for changed_on, group in _by_day(latest.values()).items():
        matches = [Match(r["customer_id"], r["customer__center_id"], r["customer__client_manager_id"],
                         r["aum_avg"] or Decimal("0"),
                         _("客户级别由%(a)s下调为%(b)s") % {"a": labels.get(r["from_tier"], r["from_tier"]),
                                                       "b": labels.get(r["to_tier"], r["to_tier"])},
                         [{"type": "tier", "history_id": r["id"], "from_tier": r["from_tier"], "to_tier": r["to_tier"],
                           "changed_on": r["changed_on"].isoformat(),
                           "aum_avg": str(r["aum_avg"]) if r["aum_avg"] is not None else ""}])
                   for r in group]
        created += _insert(rule, matches, changed_on, actor)
    audit_record(actor=actor, action=AuditAction.CREATE, detail={"what": "alerts_open_for_downgrades",
                                                                 "history_rows": len(history_ids), "opened": created})
    return created


def _by_day(rows) -> dict[dt.date, list[dict]]:
    out: dict[dt.date, list[dict]] = {}
    for row in rows:
        out.setdefault(row["changed_on"], []).append(row)
    return out


# ---- follow-through of one alert -------------------------------------------------------------------------------


def _check_visible(actor, alert: Alert) -> None:
    if not Alert.objects.visible_to(actor).filter(pk=alert.pk).exists():
        raise PermissionDenied(_("该预警不在您的管辖范围内。"))
    lock(alert)  # DESIGN rule 13: every transition below checks the state read under the row lock


def can_work(actor, alert: Alert) -> bool:
    """The assigned client manager, or the center's head / team lead, follows up and closes."""
    scope = scope_for(actor)
    if scope.has(Role.CENTER_HEAD, Role.TEAM_LEAD):
        return True
    return scope.has(Role.CLIENT_MANAGER) and alert.assigned_to_id == actor.pk


def can_review(actor, alert: Alert) -> bool:
    return scope_for(actor).has(*REVIEWERS)


def _text(value: str | None, field: str, message: str, minimum: int = 2) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError({field: [message]})
    return value


def _note(alert: Alert, actor, kind: str, text: str) -> AlertNote:
    note = AlertNote(alert=alert, kind=kind, text=text, created_by=actor)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def alert_follow_up(*, actor, alert: Alert, note: str, version: int | None = None) -> Alert:
    """Record a follow-up (contact made, reason being found); a new alert becomes "following up"."""
    _check_visible(actor, alert)
    if not can_work(actor, alert):
        raise PermissionDenied(_("只有负责的客户经理或理财中心管理人员可以跟进该预警。"))
    if not alert.is_open:
        raise ValidationError({"status": [_("预警已关闭，不能再添加跟进记录；如需继续跟进请由负责人重新打开。")]})
    check_version(alert, version)
    text = _text(note, "note", _("请填写跟进情况（至少2个字）。"))
    alert.status = AlertStatus.FOLLOWING
    alert.full_clean()
    save_versioned(alert, ["status"])
    _note(alert, actor, NoteKind.FOLLOW_UP, text)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=alert, detail={"action": "follow_up"})
    return alert


@transaction.atomic
def alert_close(*, actor, alert: Alert, reason: str, measures: str, reason_other: str = "",
                version: int | None = None) -> Alert:
    """Close with the reason found (from the list; "other" needs a text) and the measures taken (R6, R7).
    The closure then waits for the center head's review."""
    _check_visible(actor, alert)
    if not can_work(actor, alert):
        raise PermissionDenied(_("只有负责的客户经理或理财中心管理人员可以关闭该预警。"))
    if not alert.is_open:
        raise ValidationError({"status": [_("预警已关闭。")]})
    check_version(alert, version)
    errors = {}
    if reason not in CloseReason.values:
        errors["reason"] = [_("请从列表中选择资金变动的原因。")]
    reason_other = (reason_other or "").strip()
    if reason == CloseReason.OTHER and len(reason_other) < 2:
        errors["reason_other"] = [_("原因选择“其他”时，请说明具体原因。")]
    if len((measures or "").strip()) < 2:
        errors["measures"] = [_("请填写采取的措施（至少2个字）。")]
    if errors:
        raise ValidationError(errors)
    alert.status = AlertStatus.CLOSED
    alert.close_reason = reason
    alert.close_reason_other = reason_other if reason == CloseReason.OTHER else ""
    alert.measures = measures.strip()
    alert.closed_at = timezone.now()
    alert.closed_by = actor
    alert.review_state = ReviewState.PENDING
    alert.full_clean()
    save_versioned(alert, ["status", "close_reason", "close_reason_other", "measures", "closed_at", "closed_by",
                           "review_state"])
    label = dict(CloseReason.choices)[reason]
    _note(alert, actor, NoteKind.CLOSE, f"{label}{'：' + reason_other if alert.close_reason_other else ''}；"
                                        f"{alert.measures}")
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=alert, detail={"action": "close", "reason": reason})
    return alert


@transaction.atomic
def alert_review(*, actor, alert: Alert, comment: str = "", version: int | None = None) -> Alert:
    """The center head confirms a closure (reason and measures accepted)."""
    _check_visible(actor, alert)
    if not can_review(actor, alert):
        raise PermissionDenied(_("只有理财中心负责人可以复核预警的关闭。"))
    if alert.status != AlertStatus.CLOSED or alert.review_state != ReviewState.PENDING:
        raise ValidationError({"status": [_("只有已关闭、待复核的预警可以复核。")]})
    check_version(alert, version)
    alert.review_state = ReviewState.APPROVED
    alert.reviewed_at = timezone.now()
    alert.reviewed_by = actor
    alert.full_clean()
    save_versioned(alert, ["review_state", "reviewed_at", "reviewed_by"])
    _note(alert, actor, NoteKind.REVIEW, (comment or "").strip() or _("复核通过"))
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=alert, detail={"action": "review"})
    return alert


@transaction.atomic
def alert_reopen(*, actor, alert: Alert, reason: str, version: int | None = None) -> Alert:
    """The center head sends a closed alert back to the client manager, with a new due date."""
    _check_visible(actor, alert)
    if not can_review(actor, alert):
        raise PermissionDenied(_("只有理财中心负责人可以重新打开预警。"))
    if alert.status != AlertStatus.CLOSED:
        raise ValidationError({"status": [_("只有已关闭的预警可以重新打开。")]})
    check_version(alert, version)
    text = _text(reason, "reason", _("请填写重新打开的原因（至少2个字）。"))
    if Alert.objects.open().filter(customer_id=alert.customer_id, rule_id=alert.rule_id).exists():
        raise ValidationError({"status": [_("该客户已有同一规则下未关闭的预警，请在该预警中继续跟进。")]})
    alert.status = AlertStatus.FOLLOWING
    alert.review_state = ReviewState.NONE
    alert.reviewed_at = alert.reviewed_by = None
    alert.close_reason = alert.close_reason_other = alert.measures = ""
    alert.closed_at = alert.closed_by = None
    alert.reopen_count += 1
    alert.due_date = due_date_from(timezone.localdate())
    alert.full_clean()
    save_versioned(alert, ["status", "review_state", "reviewed_at", "reviewed_by", "close_reason", "close_reason_other",
                           "measures", "closed_at", "closed_by", "reopen_count", "due_date"])
    _note(alert, actor, NoteKind.REOPEN, text)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=alert, detail={"action": "reopen"})
    return alert


@transaction.atomic
def alert_rule_update(*, actor, rule: AlertRule, **fields) -> AlertRule:
    """Head office changes a rule's figures or switches it on/off (R6: thresholds are configurable)."""
    if not scope_for(actor).has(*RULE_EDITORS):
        raise PermissionDenied(_("只有总行个金部客户服务处可以修改预警规则。"))
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in sorted(unknown)})
    before = {k: str(getattr(rule, k)) for k in fields}
    for key, value in fields.items():
        setattr(rule, key, value)
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=rule,
                 detail={"before": before, "after": {k: str(getattr(rule, k)) for k in fields}})
    return rule
