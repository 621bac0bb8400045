"""Reports submitted up the line as items on an upper-level meeting's agenda (R15: "agenda items can be pulled from
escalated problems and from the centers' submitted reports").

Registered on ``core.registry`` as the agenda source ``report`` so that the meetings app never imports this one.
A report qualifies for a meeting held at ``unit`` when it has arrived (submitted, received or shared) and was sent
to that unit or to a unit below it (a branch's monthly meeting may take up what its sub-branches received).
The agenda line is built from the frozen copy, masked (the meeting is held outside the author's center).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wealthdesk.core.registry import AgendaCandidate, register_agenda_source
from wealthdesk.core.submission import ARRIVED

from .models import Report
from .selectors import masked_content

SOURCE = "report"
# The text sections that carry the report's difficulties, in order of preference.
DIFFICULTY_SECTIONS = ("issues", "causes", "market", "analysis", "customers", "summary")
KEY_FIGURES = 3
MAX_TEXT = 300


def _eligible(user, unit):
    return Report.objects.visible_to(user).filter(status__in=ARRIVED, receiver_unit__path__startswith=unit.path)


def _title(report: Report, content: dict) -> str:
    name = content.get("title") or report.get_kind_display()
    return f"{name}（{report.unit}，{report.period_label}）"


def _key_figures(report: Report) -> str:
    figures = (report.snapshot or {}).get("figures") or report.figures or {}
    items = [item for group in figures.get("groups", []) for item in group.get("items", [])]
    shown = [f"{_(item['label'])} {item['value']}" for item in items[:KEY_FIGURES] if "label" in item]
    return "；".join(shown)


def _difficulties(content: dict) -> str:
    body = content.get("body") or {}
    for key in DIFFICULTY_SECTIONS:
        if (body.get(key) or "").strip():
            return body[key].strip()
    return next((v.strip() for v in body.values() if isinstance(v, str) and v.strip()), "")


def _candidate(report: Report, *, full: bool) -> AgendaCandidate:
    content = masked_content(report, frozen=True) if full else {"title": ""}
    title = _title(report, content) if full else f"{report.get_kind_display()}（{report.unit}，{report.period_label}）"
    text = ""
    if full:
        parts = [_("报告：%(t)s") % {"t": title}]
        figures, difficulties = _key_figures(report), _difficulties(content)
        if figures:
            parts.append(_("主要数据：%(f)s") % {"f": figures})
        if difficulties:
            parts.append(_("困难与问题：%(d)s") % {"d": difficulties})
        text = " ".join(parts)[:MAX_TEXT]
    return AgendaCandidate(SOURCE, report.pk, title, text, reverse("reports:detail", args=[report.pk]))


def candidates(user, unit) -> list[AgendaCandidate]:
    qs = _eligible(user, unit)
    return [_candidate(r, full=False) for r in qs.select_related("unit").order_by("-submitted_at", "-id")[:20]]


def resolve(user, unit, object_id) -> AgendaCandidate:
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        raise ValidationError({"report": [_("请选择要列入议程的报告。")]}) from None
    report = Report.objects.visible_to(user).select_related("unit").filter(pk=pk).first()
    if report is None:
        raise ValidationError({"report": [_("该报告不存在、尚未报送或不在您的查看范围内，不能列入议程。")]})
    if report.status not in ARRIVED:
        raise ValidationError({"report": [_("该报告尚未报送，不能列入议程。")]})
    if not _eligible(user, unit).filter(pk=report.pk).exists():
        raise ValidationError({"report": [_("该报告不是报送给本机构的，不能列入本次会议议程。")]})
    return _candidate(report, full=True)


def register() -> None:
    register_agenda_source(SOURCE, _l("报送的报告"), candidates, resolve, order=20)
