"""One submission chain for every report that goes up the line (R18, R19, R24, R31, R35; issues 11 and 12 reuse it).

    draft ──submit──▶ submitted ──receive──▶ received ──share──▶ shared
      ▲                  │
      └─────return───────┘   (returned for rework: back to draft, with the receiver's comments)

* A concrete report model inherits ``Submission`` (abstract) and says which unit it belongs to, which period it
  covers and what its content is (``submission_unit`` / ``submission_period_start`` / ``submission_content``).
* Each kind of report is registered once with ``register_report_kind`` (period, who writes, who submits, whether the
  receiver is the author's own unit or the unit above, whether it may be shared, which parameter gives its due days).
* A submitted report is frozen: ``snapshot`` keeps the JSON of its content and figures at submission, every
  transition writes a ``SubmissionEvent`` (the trail) and an audit row, under ``select_for_update``.
* The receiver is the unit above: the author's own center for staff reports to the head, else the first ancestor
  whose kind receives reports (sub-branch, tier-1 branch, head office — a tier-2 branch passes reports on).
* The due date is data: the period's last day plus N working days (``core.calendar``; N is a parameter per kind),
  stored on the row when it is created, so "late" is a query.
"""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from .audit import AuditAction, audit_record
from .calendar import add_working_days
from .models import TimeStampedModel
from .params import get_param, register_defaults
from .roles import Reach, Role
from .scoping import ScopedQuerySet, scope_for


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RECEIVED = "received", _("已接收")
    SHARED = "shared", _("已共享")


ARRIVED = (SubmissionStatus.SUBMITTED, SubmissionStatus.RECEIVED, SubmissionStatus.SHARED)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年度")


class StaleVersion(Exception):
    """The report changed since the editor loaded it (answers 409 in the API, a clear message on the page)."""

    def __init__(self, message=None):
        super().__init__(message or _g("该报告已被他人修改，请刷新后重试。"))


# Who receives at each level of the org tree (R1): the head of a center, the sub-branch's premium-service group,
# the branch's customer-service section, head office's customer-service office.
RECEIVER_ROLES: dict[str, frozenset[str]] = {
    "center": frozenset({Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR}),
    "subbranch": frozenset({Role.SUBBRANCH_SERVICE}),
    "branch1": frozenset({Role.BRANCH_SERVICE}),
    "head_office": frozenset({Role.HQ_SERVICE}),
}
# Levels that receive reports from below; a tier-2 branch (and an ordinary outlet) is passed over.
RECEIVING_KINDS = ("subbranch", "branch1", "head_office")
# Who may read the library of shared reports (R19: experience sharing between centers).
LIBRARY_ROLES = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR,
                           Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE, Role.AUDITOR})


# --- periods ---------------------------------------------------------------------------------------------------

_PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6}


def period_start_of(kind: str, day: dt.date) -> dt.date:
    """The first day of the period (month, quarter, half year) that contains ``day``."""
    months = _PERIOD_MONTHS[kind]
    month = ((day.month - 1) // months) * months + 1
    return dt.date(day.year, month, 1)


def period_end_of(kind: str, start: dt.date) -> dt.date:
    months = _PERIOD_MONTHS[kind]
    last_month = start.month + months - 1
    return dt.date(start.year, last_month, _calendar.monthrange(start.year, last_month)[1])


def previous_period_start(kind: str, day: dt.date) -> dt.date:
    """The last period that has fully ended before ``day`` (the one whose report is due now)."""
    start = period_start_of(kind, day)
    return period_start_of(kind, start - dt.timedelta(days=1))


def period_label(kind: str, start: dt.date) -> str:
    if kind == PeriodKind.MONTH:
        return f"{start:%Y-%m}"
    if kind == PeriodKind.QUARTER:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}H{1 if start.month <= 6 else 2}"


def parse_period(kind: str, value: str) -> dt.date:
    """``2026-11`` / ``2026Q3`` / ``2026H1`` (or any date inside the period) → the period's first day."""
    value = (value or "").strip().upper()
    try:
        if "Q" in value:
            year, q = value.split("Q")
            if kind != PeriodKind.QUARTER or int(q) not in (1, 2, 3, 4):
                raise ValueError
            return dt.date(int(year), (int(q) - 1) * 3 + 1, 1)
        if "H" in value:
            year, h = value.split("H")
            if kind != PeriodKind.HALF or int(h) not in (1, 2):
                raise ValueError
            return dt.date(int(year), 1 if int(h) == 1 else 7, 1)
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 2:
            return period_start_of(kind, dt.date(parts[0], parts[1], 1))
        if len(parts) == 3:
            return period_start_of(kind, dt.date(*parts))
    except (TypeError, ValueError):
        pass
    examples = {PeriodKind.MONTH: "2026-11", PeriodKind.QUARTER: "2026Q3", PeriodKind.HALF: "2026H1"}
    raise ValueError(_g("期间格式不正确，请按 %(ex)s 填写。") % {"ex": examples.get(kind, "2026-11")})


# --- the registry of report kinds --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportKind:
    """One kind of report on the chain.

    ``author`` is ``"staff"`` (one report per person, e.g. a client manager's monthly report) or ``"unit"`` (one per
    center). ``receiver`` is ``"own_unit"`` (the author's center head receives) or ``"above"``.
    ``expected_authors(units) -> {unit_id: [users]}`` lists who owes a staff report (for the due board);
    ``expected_authors_qs(units)`` is the same people as a queryset with the columns ``author_id`` and
    ``author_unit_id`` (``units``: OrgUnit ids or a queryset of them), so the upper levels' board counts them in SQL.
    ``detail_url(report)`` gives the page of one report; ``validate_submit(report)`` raises a ValidationError
    naming the missing field.
    """

    key: str
    label: str
    model_label: str
    period: str
    author: str = "unit"
    receiver: str = "above"
    editor_roles: frozenset[str] = frozenset({Role.CENTER_HEAD})
    submitter_roles: frozenset[str] = frozenset({Role.CENTER_HEAD})
    shareable: bool = False
    due_param: str = ""
    rule: str = ""
    expected_authors: Callable | None = None
    detail_url: Callable | None = None
    validate_submit: Callable | None = None
    kind_filter: dict = field(default_factory=dict)
    unit_field: str = "unit"
    period_field: str = "period_start"
    author_unit_kind: str = "center"  # the level that writes it: centers, or e.g. tier-1 branches (R40)
    expected_authors_qs: Callable | None = None

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    def queryset(self):
        return self.model.objects.filter(**self.kind_filter)

    def due_on(self, start: dt.date) -> dt.date:
        days = int(get_param(self.due_param)) if self.due_param else 5
        return add_working_days(period_end_of(self.period, start), days)


_KINDS: dict[str, ReportKind] = {}


def register_report_kind(key: str, label, model_label: str, *, period: str, author: str = "unit",
                         receiver: str = "above", editor_roles: Iterable[str] = (Role.CENTER_HEAD,),
                         submitter_roles: Iterable[str] = (Role.CENTER_HEAD,), shareable: bool = False,
                         due_days: int = 5, rule: str = "", expected_authors: Callable | None = None,
                         detail_url: Callable | None = None, validate_submit: Callable | None = None,
                         kind_filter: dict | None = None, unit_field: str = "unit",
                         period_field: str = "period_start", author_unit_kind: str = "center",
                         expected_authors_qs: Callable | None = None) -> ReportKind:
    """Register a kind of report (call it in the app's ``nav.py``). Its due days become the parameter
    ``report.<key>.due_working_days`` that head office can change."""
    due_param = f"report.{key}.due_working_days"
    register_defaults({due_param: (due_days, f"{label}报送期限（期末后第N个工作日）")})
    kind = ReportKind(key, label, model_label, period, author, receiver, frozenset(editor_roles),
                      frozenset(submitter_roles), shareable, due_param, rule, expected_authors, detail_url,
                      validate_submit, kind_filter or {}, unit_field, period_field, author_unit_kind,
                      expected_authors_qs)
    _KINDS[key] = kind
    return kind


def report_kinds() -> dict[str, ReportKind]:
    return dict(_KINDS)


def get_kind(key: str) -> ReportKind:
    return _KINDS[key]


# --- the models --------------------------------------------------------------------------------------------------

class SubmissionQuerySet(ScopedQuerySet):
    """Who sees a report on the chain:

    * its author (``scope_owner_field``), and a team lead their team's;
    * staff with reach over the author's unit: drafts only in their own unit, from below only what was submitted
      (each level sees what arrived from the levels below);
    * the positions that write a kind of unit report (e.g. the lobby manager's complaint statistics) in their unit;
    * anyone allowed into the library: what has been shared.
    """

    scope_unit_field = "unit"
    scope_owner_field = "author"
    kind_field: str | None = None  # a model holding several kinds names its kind column

    def scope_q(self, scope):
        if scope.user_id is None:
            return None
        unit, owner = self.scope_unit_field, self.scope_owner_field
        parts: list[Q] = []
        if owner:
            parts.append(Q(**{owner: scope.user_id}))
            if scope.reach >= Reach.TEAM and scope.team_id:
                parts.append(Q(**{f"{owner}__team_id": scope.team_id}))
        if scope.reach >= Reach.SUBTREE and scope.unit_path:
            parts.append(Q(**{f"{unit}_id": scope.unit_id}))
            parts.append(Q(**{f"{unit}__path__startswith": scope.unit_path}) & ~Q(status=SubmissionStatus.DRAFT))
        if scope.unit_id:
            for kind in _KINDS.values():
                if kind.model_label.lower() != self.model._meta.label_lower or kind.author != "unit":
                    continue
                if scope.has(*(kind.editor_roles | kind.submitter_roles)):
                    q = Q(**{f"{unit}_id": scope.unit_id})
                    if self.kind_field:
                        q &= Q(**{self.kind_field: kind.key})
                    parts.append(q)
        if scope.has(*LIBRARY_ROLES):
            parts.append(Q(status=SubmissionStatus.SHARED))
        if not parts:
            return None
        out = parts[0]
        for part in parts[1:]:
            out |= part
        return out

    def arrived(self):
        return self.filter(status__in=ARRIVED)

    def late(self, today: dt.date):
        """Not yet submitted after the due date, or submitted after it."""
        return self.filter(Q(~Q(status__in=ARRIVED), due_on__lt=today)
                           | Q(status__in=ARRIVED, submitted_at__date__gt=models.F("due_on")))


class Submission(TimeStampedModel):
    """Abstract base of every report on the chain: its state, version, receiver, due date, trail and frozen copy."""

    status = models.CharField(_("报送状态"), max_length=16, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    due_on = models.DateField(_("报送期限"), null=True, blank=True, db_index=True)
    receiver_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("接收机构"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    receiver_comment = models.TextField(_("接收意见"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    shared_at = models.DateTimeField(_("共享时间"), null=True, blank=True)
    snapshot = models.JSONField(_("报送版本内容"), default=dict, blank=True)
    submission_count = models.PositiveSmallIntegerField(_("报送次数"), default=0)

    class Meta:
        abstract = True

    # -- what the concrete model says about itself ----------------------------------------------------------
    REPORT_KIND = ""  # a model of one kind names it; a model of several has a ``kind`` field

    def report_kind_key(self) -> str:
        return getattr(self, "kind", "") or self.REPORT_KIND

    @property
    def report_kind(self) -> ReportKind:
        return get_kind(self.report_kind_key())

    def submission_unit(self):
        return self.unit

    def submission_author_id(self):
        return getattr(self, "author_id", None)

    def submission_period_start(self) -> dt.date:
        return self.period_start

    def submission_content(self) -> dict:  # pragma: no cover - each model says what it freezes
        raise NotImplementedError

    # -- derived ----------------------------------------------------------------------------------------------
    @property
    def period_label(self) -> str:
        return period_label(self.report_kind.period, self.submission_period_start())

    @property
    def is_returned(self) -> bool:
        return self.status == SubmissionStatus.DRAFT and self.returned_at is not None

    @property
    def is_late(self) -> bool:
        if self.due_on is None:
            return False
        if self.status in ARRIVED and self.submitted_at:
            return timezone.localdate(self.submitted_at) > self.due_on
        return timezone.localdate() > self.due_on

    @property
    def chain_status_label(self) -> str:
        return _g("退回修改") if self.is_returned else self.get_status_display()

    def prepare_chain(self) -> None:
        """Fill the receiver and the due date of a new report (called by the app's create service)."""
        kind = self.report_kind
        if self.receiver_unit_id is None:
            self.receiver_unit = receiver_for(kind, self.submission_unit())
        if self.due_on is None:
            self.due_on = kind.due_on(self.submission_period_start())


class SubmissionEvent(models.Model):
    """The trail of one report on the chain: each submission (with its frozen copy), receipt, return and share."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("报送")
        RECEIVE = "receive", _("接收")
        RETURN = "return", _("退回修改")
        SHARE = "share", _("共享")

    object_type = models.CharField(_("报告类型"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("报告编号"))
    kind = models.CharField(_("报告种类"), max_length=40)
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    snapshot = models.JSONField(_("报送版本内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="subevent_object_idx")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.action}"


# --- who receives, who may act -------------------------------------------------------------------------------------

def receiver_for(kind: ReportKind, unit):
    """The unit that receives ``unit``'s report of ``kind``: the unit itself (staff → head), else the first
    active ancestor whose kind receives reports."""
    if kind.receiver == "own_unit":
        return unit
    current = unit.parent
    while current is not None:
        if current.kind in RECEIVING_KINDS and current.is_active:
            return current
        current = current.parent
    return None


def can_receive(user, report) -> bool:
    scope = scope_for(user)
    receiver = report.receiver_unit
    if receiver is None or scope.unit_id != receiver.pk:
        return False
    return scope.has(*RECEIVER_ROLES.get(receiver.kind, frozenset()))


def can_edit(user, report) -> bool:
    if report.status != SubmissionStatus.DRAFT:
        return False
    kind, scope = report.report_kind, scope_for(user)
    if kind.author == "staff":
        return report.submission_author_id() == scope.user_id
    return scope.unit_id == report.submission_unit().pk and scope.has(*kind.editor_roles)


def can_submit(user, report) -> bool:
    if report.status != SubmissionStatus.DRAFT:
        return False
    kind, scope = report.report_kind, scope_for(user)
    if kind.author == "staff" and Role.CLIENT_MANAGER in kind.submitter_roles:
        return report.submission_author_id() == scope.user_id
    return scope.unit_id == report.submission_unit().pk and scope.has(*kind.submitter_roles)


def actions_for(user, report) -> list[str]:
    out = []
    if can_submit(user, report):
        out.append("submit")
    if can_receive(user, report):
        if report.status == SubmissionStatus.SUBMITTED:
            out += ["receive", "return"]
        if report.status == SubmissionStatus.RECEIVED and report.report_kind.shareable:
            out.append("share")
    return out


# --- services --------------------------------------------------------------------------------------------------

def _locked(report):
    return type(report).objects.select_for_update().get(pk=report.pk)


def lock_for_edit(report, *, version: int | None):
    """Lock a draft for an edit: stale version → ``StaleVersion``; not a draft → a clear ValidationError."""
    locked = _locked(report)
    if locked.status != SubmissionStatus.DRAFT:
        raise ValidationError({"status": [_g("报告已报送，不能再修改；如需修改请由接收机构退回。")]})
    if version is not None and int(version) != locked.version:
        raise StaleVersion()
    return locked


def sync_instance(target, source) -> None:
    """Copy the saved state of ``source`` (the locked row) onto the caller's instance ``target``."""
    if target is source:
        return
    for f in source._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    for name in ("receiver_unit", "submitted_by", "received_by"):
        if source._meta.get_field(name).is_cached(source):
            setattr(target, name, getattr(source, name))


def _event(report, *, actor, action, comment="", snapshot=None):
    SubmissionEvent.objects.create(object_type=report._meta.label_lower, object_id=report.pk,
                                   kind=report.report_kind_key(), action=action, actor=actor, comment=comment,
                                   version=report.version, snapshot=snapshot or {})
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=report, unit_id=report.submission_unit().pk,
                 detail={"submission": action, "kind": report.report_kind_key(), "version": report.version})


@transaction.atomic
def submission_submit(*, actor, report, version: int | None = None):
    """Freeze the report (its content and figures become the snapshot) and send it to the receiver."""
    locked = _locked(report)
    if locked.status != SubmissionStatus.DRAFT:
        raise ValidationError({"status": [_g("该报告已报送，不能重复报送。")]})
    if not can_submit(actor, locked):
        raise PermissionDenied(_g("您无权报送此报告。"))
    if version is not None and int(version) != locked.version:
        raise StaleVersion()
    kind = locked.report_kind
    if kind.validate_submit:
        kind.validate_submit(locked)
    locked.prepare_chain()
    if locked.receiver_unit_id is None:
        raise ValidationError({"receiver_unit": [_g("找不到接收机构：本机构之上没有接收报告的机构。")]})
    snapshot = locked.submission_content()
    locked.snapshot = snapshot
    locked.status = SubmissionStatus.SUBMITTED
    locked.submitted_at, locked.submitted_by = timezone.now(), actor
    locked.version += 1
    locked.submission_count += 1
    locked.full_clean()
    locked.save()
    _event(locked, actor=actor, action=SubmissionEvent.Action.SUBMIT, snapshot=snapshot)
    sync_instance(report, locked)
    return locked


def _check_receiver(actor, locked, wanted: str, verb: str):
    if locked.status != wanted:
        raise ValidationError({"status": [_g("报告当前状态为“%(s)s”，不能%(v)s。") % {
            "s": locked.chain_status_label, "v": verb}]})
    if not can_receive(actor, locked):
        raise PermissionDenied(_g("只有接收机构（%(u)s）的人员可以%(v)s此报告。") % {
            "u": locked.receiver_unit.name if locked.receiver_unit else "—", "v": verb})


@transaction.atomic
def submission_receive(*, actor, report, comment: str = ""):
    locked = _locked(report)
    _check_receiver(actor, locked, SubmissionStatus.SUBMITTED, _g("接收"))
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": [_g("意见不能超过2000字。")]})
    locked.status = SubmissionStatus.RECEIVED
    locked.received_at, locked.received_by, locked.receiver_comment = timezone.now(), actor, comment
    locked.version += 1
    locked.save()
    _event(locked, actor=actor, action=SubmissionEvent.Action.RECEIVE, comment=comment)
    sync_instance(report, locked)
    return locked


@transaction.atomic
def submission_return(*, actor, report, comment: str):
    """Send a submitted report back for rework: it becomes a draft again, carrying the comments."""
    locked = _locked(report)
    _check_receiver(actor, locked, SubmissionStatus.SUBMITTED, _g("退回"))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_g("退回修改必须填写意见，说明需要修改什么。")]})
    if len(comment) > 2000:
        raise ValidationError({"comment": [_g("意见不能超过2000字。")]})
    locked.status = SubmissionStatus.DRAFT
    locked.returned_at, locked.return_comment = timezone.now(), comment
    locked.version += 1
    locked.save()
    _event(locked, actor=actor, action=SubmissionEvent.Action.RETURN, comment=comment)
    sync_instance(report, locked)
    return locked


@transaction.atomic
def submission_share(*, actor, report, comment: str = ""):
    """The receiving level shares a received report with the other centers (R19)."""
    locked = _locked(report)
    if not locked.report_kind.shareable:
        raise ValidationError({"status": [_g("这类报告不能共享。")]})
    _check_receiver(actor, locked, SubmissionStatus.RECEIVED, _g("共享"))
    locked.status = SubmissionStatus.SHARED
    locked.shared_at = timezone.now()
    locked.version += 1
    locked.save()
    _event(locked, actor=actor, action=SubmissionEvent.Action.SHARE, comment=(comment or "").strip())
    sync_instance(report, locked)
    return locked


TRANSITIONS = {"submit": submission_submit, "receive": submission_receive, "return": submission_return,
               "share": submission_share}


def submission_act(*, actor, report, action: str, comment: str = "", version: int | None = None):
    if action not in TRANSITIONS:
        raise ValidationError({"action": [_g("未知的操作。")]})
    if action == "submit":
        return submission_submit(actor=actor, report=report, version=version)
    return TRANSITIONS[action](actor=actor, report=report, comment=comment)


# --- selectors ---------------------------------------------------------------------------------------------------

def trail(report):
    return SubmissionEvent.objects.filter(object_type=report._meta.label_lower, object_id=report.pk) \
        .select_related("actor").order_by("at", "id")


@dataclass
class _BoardLine:
    """What a line of the 下级报送 board shows: one kind, one unit, the period and its counts."""
    kind: ReportKind
    unit: object
    period_start: dt.date
    due_on: dt.date
    expected: int = 0
    arrived: int = 0
    late: int = 0

    @property
    def period_label(self) -> str:
        return period_label(self.kind.period, self.period_start)


@dataclass
class BoardRow(_BoardLine):
    missing: list = field(default_factory=list)  # (label, overdue?) of those not arrived
    reports: list = field(default_factory=list)


def due_board(user, *, on: dt.date | None = None, kind_key: str = "", within=None) -> list[BoardRow]:
    """下级报送: for each kind whose receiver lies in the user's subtree, the units (and, at the receiving
    unit, the people) that owe the last closed period's report: expected, arrived, late — per unit and kind.
    ``within`` (a unit of the user's subtree, checked by the caller) keeps the writers below it only: the board
    drilled down one branch or sub-branch (issue 16)."""
    from django.apps import apps

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    scope = scope_for(user)
    if not scope.unit_path or scope.reach < Reach.SUBTREE:
        return []
    on = on or timezone.localdate()
    below = within.path if within is not None else scope.unit_path
    centers = list(OrgUnit.objects.filter(path__startswith=below, kind="center", is_active=True)
                   .select_related("parent__parent__parent").order_by("path"))
    rows: list[BoardRow] = []
    for kind in sorted(_KINDS.values(), key=lambda k: k.key):
        if kind_key and kind.key != kind_key:
            continue
        start = previous_period_start(kind.period, on)
        due = kind.due_on(start)
        writers = centers
        if kind.author_unit_kind != "center":
            writers = list(OrgUnit.objects.filter(path__startswith=below, kind=kind.author_unit_kind,
                                                  is_active=True).select_related("parent").order_by("path"))
        if kind.receiver == "own_unit":
            units = [c for c in writers if c.pk == scope.unit_id]
        else:
            units = [c for c in writers if (r := receiver_for(kind, c)) is not None
                     and r.path.startswith(scope.unit_path)]
        rows += _board_rows(kind, start, due, units)
    return rows


def _board_rows(kind: ReportKind, start: dt.date, due: dt.date, units: list) -> list[BoardRow]:
    """The board's detail rows of one kind for ``units`` (OrgUnit instances): their reports of the period and,
    for a staff kind, the people who owe one."""
    if not units:
        return []
    today = timezone.localdate()
    reports = list(kind.queryset().filter(**{f"{kind.unit_field}__in": units, kind.period_field: start}))
    by_unit: dict[int, list] = {}
    for r in reports:
        by_unit.setdefault(getattr(r, f"{kind.unit_field}_id"), []).append(r)
    authors = kind.expected_authors(units) if kind.author == "staff" and kind.expected_authors else {}
    rows: list[BoardRow] = []
    for unit in units:
        mine = by_unit.get(unit.pk, [])
        row = BoardRow(kind, unit, start, due, reports=mine)
        if kind.author == "staff":
            people = authors.get(unit.pk, [])
            got = {r.submission_author_id(): r for r in mine}
            row.expected = len(people)
            for person in people:
                r = got.get(person.pk)
                if r is not None and r.status in ARRIVED:
                    row.arrived += 1
                    row.late += int(r.is_late)
                else:
                    row.late += int(today > (r.due_on if r and r.due_on else due))
                    row.missing.append((str(person), today > due))
        else:
            row.expected = 1
            r = mine[0] if mine else None
            if r is not None and r.status in ARRIVED:
                row.arrived = 1
                row.late = int(r.is_late)
            else:
                row.late = int(today > due)
                row.missing.append((unit.name, today > due))
        rows.append(row)
    return rows


@dataclass
class BoardGroup(_BoardLine):
    """The rows of one kind below one unit under the board's focus, added up (the upper levels' board)."""
    missing: int = 0
    units: int = 0


def board_by_child(rows: list[BoardRow], focus, children) -> list[BoardRow | BoardGroup]:
    """The board one level down from ``focus``: a row of the focus unit itself stays as it is; the rows below
    each of its ``children`` become one ``BoardGroup`` per kind and child (sums of expected, arrived, late and
    of those missing), in the order of the rows. Head office sees its branches, not its 1,334 centers."""
    by_path = {child.path: child for child in children}
    depth = len(focus.path)
    out: list[BoardRow | BoardGroup] = []
    groups: dict[tuple[str, int], BoardGroup] = {}
    for row in rows:
        child = by_path.get(row.unit.path[:depth + len(row.unit.path.split("/")[0]) + 1])
        if child is None or row.unit.pk == focus.pk:
            out.append(row)
            continue
        key = (row.kind.key, child.pk)
        group = groups.get(key)
        if group is None:
            group = groups[key] = BoardGroup(row.kind, child, row.period_start, row.due_on)
            out.append(group)
        group.expected += row.expected
        group.arrived += row.arrived
        group.late += row.late
        group.missing += len(row.missing)
        group.units += 1
    return out


# --- the upper levels' board, counted in SQL (issue 16) ------------------------------------------------------------

@dataclass
class BoardPlanKind:
    """One kind on the board: its period, due date and the writers that owe it, as ``(id, path)`` in path order."""
    kind: ReportKind
    period_start: dt.date
    due_on: dt.date
    units: list[tuple[int, str]]
    writers: list[tuple[int, str]]  # every active writer of the kind's level below the board's unit


@dataclass
class BoardPlan:
    """Who owes what on the board (the units ``due_board`` would list), read as plain ids and paths: its size is
    the number of detail rows, so the view decides between the detail and the grouped board without building it."""
    below: str = ""
    kinds: list[BoardPlanKind] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(k.units) for k in self.kinds)


def _has_receiver_in(path: str, receivers: set[str]) -> bool:
    """Whether a strict ancestor of the unit at ``path`` is one of ``receivers`` (``receiver_for`` read off the
    materialized path: the first active receiving ancestor lies in the user's subtree iff any does)."""
    prefix = ""
    for segment in path.split("/")[:-2]:
        prefix += segment + "/"
        if prefix in receivers:
            return True
    return False


def board_plan(user, *, on: dt.date | None = None, kind_key: str = "", within=None) -> BoardPlan:
    """The units of ``due_board(user, on=on, kind_key=kind_key, within=within)`` per kind, in the same order, in
    a fixed number of queries of ids and paths (no report, no person, no model instance)."""
    from django.apps import apps

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    scope = scope_for(user)
    if not scope.unit_path or scope.reach < Reach.SUBTREE:
        return BoardPlan()
    on = on or timezone.localdate()
    below = within.path if within is not None else scope.unit_path
    plan = BoardPlan(below)
    kinds = [k for k in sorted(_KINDS.values(), key=lambda k: k.key) if not kind_key or k.key == kind_key]
    # one query: the active writers below the board's unit and the active receiving units of the user's subtree
    levels = {k.author_unit_kind for k in kinds}
    writers_of: dict[str, list[tuple[int, str]]] = {level: [] for level in levels}
    receivers: set[str] = set()
    for pk, path, level in (OrgUnit.objects.filter(Q(kind__in=RECEIVING_KINDS, path__startswith=scope.unit_path)
                                                   | Q(kind__in=levels, path__startswith=below), is_active=True)
                            .order_by("path").values_list("pk", "path", "kind")):
        if level in RECEIVING_KINDS and path.startswith(scope.unit_path):
            receivers.add(path)
        if level in levels and path.startswith(below):
            writers_of[level].append((pk, path))
    for kind in kinds:
        start = previous_period_start(kind.period, on)
        writers = writers_of[kind.author_unit_kind]
        if kind.receiver == "own_unit":
            units = [w for w in writers if w[0] == scope.unit_id]
        else:
            units = [w for w in writers if _has_receiver_in(w[1], receivers)]
        if units:
            plan.kinds.append(BoardPlanKind(kind, start, kind.due_on(start), units, writers))
    return plan


def board_grouped(plan: BoardPlan, focus, children) -> list[BoardRow | BoardGroup]:
    """``board_by_child(due_board(...), focus, children)`` counted in SQL: per kind, the reports of the writers
    below each child are counted grouped by the child's path (a prefix of the writer's path), the people who owe
    a staff report per writer unit (ints, added up here). A fixed number of queries whatever the number of
    centers; a row of the focus unit itself stays the detail row ``due_board`` makes. Unit kinds have one report
    per unit and period (each model's unique constraint), staff kinds one per author and period."""
    from django.apps import apps

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    by_path = {child.path: child for child in children}
    depth = len(focus.path)
    width = depth + len(focus.path.split("/")[0]) + 1  # the child's path: the writer's path cut one level down
    today = timezone.localdate()
    out: list[BoardRow | BoardGroup] = []
    for line in plan.kinds:
        kind, start, due = line.kind, line.period_start, line.due_on
        order: list[BoardGroup | int] = []  # a group, or the id of a unit shown as its detail row
        groups: dict[str, BoardGroup] = {}
        unit_child: dict[int, str] = {}
        for uid, path in line.units:
            child = by_path.get(path[:width])
            if child is None or uid == focus.pk:
                order.append(uid)
                continue
            unit_child[uid] = child.path
            group = groups.get(child.path)
            if group is None:
                group = groups[child.path] = BoardGroup(kind, child, start, due)
                order.append(group)
            group.units += 1
        details: dict[int, BoardRow] = {}
        detail_ids = [x for x in order if isinstance(x, int)]
        if detail_ids:
            units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=detail_ids).select_related("parent")}
            details = {r.unit.pk: r for r in _board_rows(kind, start, due, [units[i] for i in detail_ids])}
        if groups:
            _count_groups(kind, start, due, today, plan.below, line.writers, unit_child, groups, width)
        out += [details[x] if isinstance(x, int) else x for x in order]
    return out


def _count_groups(kind, start, due, today, below, writers, unit_child, groups, width) -> None:
    from django.apps import apps
    from django.db.models import Count, Exists, F, OuterRef
    from django.db.models.functions import Substr

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    uf = kind.unit_field
    # the grouped writers: the writers below the board's unit but the few that are not (no receiver in the
    # user's subtree, the focus unit itself), so the SQL names the exceptions, not a list of 1,334 centers
    excluded = [uid for uid, _path in writers if uid not in unit_child]
    unit_q = Q(**{f"{uf}__path__startswith": below, f"{uf}__kind": kind.author_unit_kind, f"{uf}__is_active": True})
    if excluded:
        unit_q &= ~Q(**{f"{uf}_id__in": excluded})
    reports = kind.queryset().filter(unit_q, **{kind.period_field: start})
    arrived = Q(status__in=ARRIVED)
    arrived_late = arrived & Q(due_on__isnull=False) & (
        Q(submitted_at__isnull=False, submitted_at__date__gt=F("due_on"))
        | Q(submitted_at__isnull=True, due_on__lt=today))
    overdue = today > due
    if kind.author != "staff":
        counts = (reports.order_by().values(child=Substr(f"{uf}__path", 1, width))
                  .annotate(arrived=Count("pk", filter=arrived), arrived_late=Count("pk", filter=arrived_late)))
        late_arrived: dict[str, int] = {}
        for c in counts:
            if c["child"] in groups:
                groups[c["child"]].arrived = c["arrived"]
                late_arrived[c["child"]] = c["arrived_late"]
        for path, group in groups.items():
            group.expected = group.units
            group.missing = group.expected - group.arrived
            group.late = late_arrived.get(path, 0) + group.missing * int(overdue)
        return
    if kind.expected_authors_qs is None:
        if kind.expected_authors is None:  # nobody owes it: the rows are there, with nothing expected
            return
        _sum_rows_into(kind, start, due, unit_child, groups)
        return
    units = OrgUnit.objects.filter(path__startswith=below, kind=kind.author_unit_kind, is_active=True) \
        .exclude(pk__in=excluded).values("pk")
    authors = kind.expected_authors_qs(units)
    people = (authors.order_by().values("author_unit_id")
              .annotate(n=Count("author_id", distinct=True)).values_list("author_unit_id", "n"))
    for unit_id, n in people:
        child = unit_child.get(unit_id)
        if child is not None:
            groups[child].expected += n
    for group in groups.values():  # no report at all below the child: every one owed is missing
        group.late = group.expected * int(overdue)
    own = Exists(authors.filter(author_id=OuterRef("author_id"), author_unit_id=OuterRef(f"{uf}_id")))
    opened = ~arrived
    open_late = Q(due_on__lt=today) | Q(due_on__isnull=True) if overdue else Q(due_on__lt=today)
    counts = (reports.filter(own).order_by().values(child=Substr(f"{uf}__path", 1, width))
              .annotate(arrived=Count("pk", filter=arrived), arrived_late=Count("pk", filter=arrived_late),
                        opened=Count("pk", filter=opened), open_late=Count("pk", filter=opened & open_late)))
    for c in counts:
        group = groups.get(c["child"])
        if group is None:
            continue
        group.arrived = c["arrived"]
        none = group.expected - c["arrived"] - c["opened"]  # owed and not even begun
        group.late = c["arrived_late"] + c["open_late"] + none * int(overdue)
    for group in groups.values():
        group.missing = group.expected - group.arrived


def _sum_rows_into(kind, start, due, unit_child, groups) -> None:
    """A staff kind that lists its people only as objects: add up its detail rows (slow, kept for correctness)."""
    from django.apps import apps

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    units = list(OrgUnit.objects.filter(pk__in=list(unit_child)).select_related("parent").order_by("path"))
    for row in _board_rows(kind, start, due, units):
        group = groups[unit_child[row.unit.pk]]
        group.expected += row.expected
        group.arrived += row.arrived
        group.late += row.late
        group.missing += len(row.missing)
