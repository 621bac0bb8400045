"""The monthly center reports (R20, R21, R24): 《客户需求汇总表》 and 《调研信息汇总报告》.

The system builds the figures; the center head writes the commentary/analysis and submits upward, after which
the sub-branch and branch read it and it no longer changes.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for

from .. import selectors
from ..choices import ReportStatus
from ..models import NeedsSummary, SurveyReport

REPORT_AUTHORS = frozenset({Role.CENTER_HEAD})
TEXT_FIELDS = {NeedsSummary: ("commentary", "marketing_advice", "product_advice"), SurveyReport: ("analysis",)}
REQUIRED_TEXT = {NeedsSummary: ("commentary", "需求分析"), SurveyReport: ("analysis", "分析意见")}


def figures_for(model, center, month: dt.date) -> dict:
    if model is NeedsSummary:
        return selectors.needs_figures(center.pk, month)
    return selectors.survey_figures(center.pk, month)


def _check_author(actor, center) -> None:
    scope = scope_for(actor)
    if not scope.has(*REPORT_AUTHORS) or scope.unit_id != center.pk:
        raise PermissionDenied(_("只有本理财中心负责人可以编写和上报月度汇总。"))


def _check_month(month: dt.date) -> dt.date:
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": [_("不能汇总尚未开始的月份。")]})
    return month


@transaction.atomic
def report_build(*, actor, model, center, month: dt.date):
    """Build (or rebuild, while still a draft) one center's report for one month from the system's data."""
    _check_author(actor, center)
    month = _check_month(month)
    report, created = model.objects.select_for_update().get_or_create(
        center=center, month=month, defaults={"created_by": actor})
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError({"month": [_("该月汇总已上报，不能重新生成。")]})
    report.figures = figures_for(model, center, month)
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.CHANGE, obj=report,
                 unit_id=center.pk, detail={"month": report.month_label, "rebuilt": not created})
    return report


@transaction.atomic
def report_update(*, actor, report, **texts):
    """The head's commentary and advice (R24); only while the report is a draft."""
    _check_author(actor, report.center)
    allowed = TEXT_FIELDS[type(report)]
    unknown = sorted(set(texts) - set(allowed))
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in unknown})
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError({allowed[0]: [_("已上报的汇总不能修改。")]})
    for name, value in texts.items():
        value = (value or "").strip()
        if len(value) > 4000:
            raise ValidationError({name: [_("内容不能超过4000字。")]})
        setattr(report, name, value)
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=report, unit_id=report.center_id,
                 detail={"fields": sorted(texts)})
    return report


@transaction.atomic
def report_submit(*, actor, report):
    """Freeze the figures and submit upward (R24); the written analysis is required."""
    _check_author(actor, report.center)
    field, label = REQUIRED_TEXT[type(report)]
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError({field: [_("该汇总已上报。")]})
    if not getattr(report, field).strip():
        raise ValidationError({field: [_("请先填写%(f)s再上报。") % {"f": label}]})
    report.figures = figures_for(type(report), report.center, report.month)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=report, unit_id=report.center_id,
                 detail={"submitted": True})
    return report
