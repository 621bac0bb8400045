"""Writes of the reports app (DESIGN rule 2). The chain's transitions are core's (``core.submission``); here:
creating a report pre-filled with the period's figures, editing its text (versioned), the R19 topic workflow and
the head's topic suggestions."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission import can_edit, lock_for_edit, period_end_of, period_start_of, sync_instance
from wealthdesk.customers.choices import Tier

from . import figures
from .choices import TopicStatus
from .kinds import SPECS
from .models import Report, TopicSuggestion

MAX_TEXT = 8000


def _spec(kind: str):
    if kind not in SPECS:
        raise ValidationError({"kind": [_("没有这种报告。")]})
    return SPECS[kind]


def can_create(user, kind: str) -> bool:
    spec = SPECS.get(kind)
    return bool(spec) and bool(user.unit_id) and scope_for(user).has(*spec.writers)


def _check_text(name: str, value) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError({name: [_("内容不能超过%(n)s字。") % {"n": MAX_TEXT}]})
    return value


@transaction.atomic
def report_create(*, actor, kind: str, period: dt.date, title: str = "", tier: str = "", product: str = "",
                  suggestion: TopicSuggestion | None = None) -> Report:
    """A new draft for the actor (staff reports) or their center (unit reports), pre-filled with the figures."""
    spec = _spec(kind)
    if not can_create(actor, kind):
        raise PermissionDenied(_("您的岗位不能编写这种报告。"))
    start = period_start_of(spec.period, period)
    if start > timezone.localdate():
        raise ValidationError({"period": [_("不能为尚未开始的期间编写报告。")]})
    title = (title or "").strip()
    if spec.has_topic and not title:
        raise ValidationError({"title": [_("请填写分析报告的选题。")]})
    if len(title) > 120:
        raise ValidationError({"title": [_("选题不能超过120字。")]})
    if tier and tier not in Tier.values:
        raise ValidationError({"tier": [_("客户级别不正确。")]})
    if suggestion is not None and suggestion.unit_id != actor.unit_id:
        raise ValidationError({"suggestion": [_("只能选用本中心负责人建议的选题。")]})
    author = actor if spec.author == "staff" else None
    end = period_end_of(spec.period, start)
    duplicate = Report.objects.filter(kind=kind, period_start=start)
    duplicate = duplicate.filter(author=author) if author else duplicate.filter(unit=actor.unit, author__isnull=True)
    if duplicate.exists():
        raise ValidationError({"period": [_("该期间的这种报告已经存在，请打开已有的报告。")]})
    report = Report(kind=kind, unit=actor.unit, author=author, period_start=start, period_end=end, title=title,
                    tier=tier, product=(product or "").strip()[:60], created_by=actor, suggestion=suggestion,
                    material=suggestion.material if suggestion else "",
                    topic_status=TopicStatus.PROPOSED if spec.has_topic else TopicStatus.NONE,
                    body={key: "" for key, _label in spec.sections})
    report.figures = figures.figures_for(kind, unit=actor.unit, author=actor, start=start, end=end)
    report.prepare_chain()
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"period": [_("该期间的这种报告已经存在，请打开已有的报告。")]}) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, unit_id=report.unit_id,
                 detail={"kind": kind, "period": report.period_label})
    return report


@transaction.atomic
def report_update(*, actor, report: Report, version: int | None, body: dict | None = None, title: str | None = None,
                  tier: str | None = None, product: str | None = None, refresh_figures: bool = False) -> Report:
    """Edit a draft's text; a stale ``version`` is refused (``StaleVersion``), a submitted report cannot change."""
    locked = lock_for_edit(report, version=version)
    if not can_edit(actor, locked):
        raise PermissionDenied(_("您不能修改这份报告。"))
    spec = _spec(locked.kind)
    allowed = {key for key, _label in spec.sections}
    body = body or {}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in unknown})
    new_body = dict(locked.body)
    for key, value in body.items():
        new_body[key] = _check_text(key, value)
    locked.body = new_body
    if title is not None and spec.has_topic:
        title = title.strip()
        if not title:
            raise ValidationError({"title": [_("请填写分析报告的选题。")]})
        locked.title = title[:120]
    if tier is not None:
        if tier and tier not in Tier.values:
            raise ValidationError({"tier": [_("客户级别不正确。")]})
        locked.tier = tier
    if product is not None:
        locked.product = product.strip()[:60]
    if refresh_figures:
        locked.figures = figures.figures_for(locked.kind, unit=locked.unit, author=locked.author or actor,
                                             start=locked.period_start, end=locked.period_end)
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, unit_id=locked.unit_id,
                 detail={"fields": sorted(body), "refresh": refresh_figures})
    sync_instance(report, locked)
    return locked


def validate_submit(report: Report) -> None:
    """The chain's check before a report goes up: the first section is required; an R19 topic must be approved."""
    spec = SPECS[report.kind]
    key, label = spec.sections[0]
    if not (report.body.get(key) or "").strip():
        raise ValidationError({key: [_("请先填写“%(f)s”再报送。") % {"f": label}]})
    if spec.has_topic and report.topic_status != TopicStatus.APPROVED:
        raise ValidationError({"title": [_("选题尚未经负责人批准，不能报送。")]})


@transaction.atomic
def topic_decide(*, actor, report: Report, approve: bool, note: str = "", material: str | None = None) -> Report:
    """The center head approves (or not) a client manager's topic for the semiannual analysis (R19)."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    scope = scope_for(actor)
    if not SPECS[locked.kind].has_topic:
        raise ValidationError({"title": [_("这种报告没有选题。")]})
    if not scope.has(Role.CENTER_HEAD) or scope.unit_id != locked.unit_id:
        raise PermissionDenied(_("只有本中心负责人可以批准选题。"))
    if locked.topic_status == TopicStatus.APPROVED:
        raise ValidationError({"title": [_("选题已批准。")]})
    note = _check_text("topic_note", note)
    if not approve and not note:
        raise ValidationError({"topic_note": [_("不批准选题时请说明理由或建议的方向。")]})
    locked.topic_status = TopicStatus.APPROVED if approve else TopicStatus.REJECTED
    locked.topic_note, locked.topic_decided_by = note, actor
    if material is not None:
        locked.material = _check_text("material", material)
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, unit_id=locked.unit_id,
                 detail={"topic": locked.topic_status})
    return locked


@transaction.atomic
def topic_repropose(*, actor, report: Report, title: str) -> Report:
    locked = lock_for_edit(report, version=None)
    if locked.author_id != actor.pk or locked.topic_status != TopicStatus.REJECTED:
        raise ValidationError({"title": [_("只有未获批准的选题可以重新提出。")]})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写分析报告的选题。")]})
    locked.title, locked.topic_status = title[:120], TopicStatus.PROPOSED
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, unit_id=locked.unit_id, detail={"topic": "re"})
    return locked


@transaction.atomic
def suggestion_create(*, actor, period: dt.date, title: str, material: str = "") -> TopicSuggestion:
    scope = scope_for(actor)
    if not scope.has(Role.CENTER_HEAD) or not actor.unit_id:
        raise PermissionDenied(_("只有理财中心负责人可以建议选题。"))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写建议选题。")]})
    suggestion = TopicSuggestion(unit=actor.unit, period_start=period_start_of("half", period), title=title[:120],
                                 material=_check_text("material", material), created_by=actor)
    suggestion.full_clean()
    suggestion.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=suggestion, unit_id=actor.unit_id)
    return suggestion
