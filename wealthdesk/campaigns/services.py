"""Writes of campaigns (R25, R39) (DESIGN rule 2): keyword-only, atomic, validated, audited; every transition
locks the row (``core.concurrency.lock``) and checks the state on what it read; plan edits carry a version.

Workflow: draft → submitted → approved by the center head (or returned with a reason, then edited and
submitted again) → running (the segment becomes the call list, with a random holdout) → ended → evaluated
(after the feedback, whose figures the system computes)."""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.contacts.services import contact_create
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.notifications import notify
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.reports.choices import ReportKindChoice
from wealthdesk.reports.models import Report

from . import calllist, selectors
from .choices import CALL_OUTCOMES, EDITABLE_STATUSES, CallStatus, CampaignStatus, Grade
from .models import Campaign, CampaignMember, Segment

PLANNERS = frozenset({Role.CENTER_HEAD, Role.TEAM_LEAD})
APPROVERS = frozenset({Role.CENTER_HEAD})
CALLERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD})
# Reports a plan may be guided by (R25: needs analysis and market reports; R39: the monthly/quarterly/yearly analysis).
GUIDING_KINDS = (ReportKindChoice.NEEDS_QUARTERLY, ReportKindChoice.SEMIANNUAL, ReportKindChoice.MONTHLY)
PLAN_FIELDS = ("scale", "theme", "content", "product_kinds", "products_note", "goal_reached", "goal_conversions",
               "goal_aum", "budget", "starts_on", "ends_on", "event_on")
SEGMENT_FIELDS = ("name", "tiers", "aum_min", "aum_max", "product_kind", "product_held", "maturity_from",
                  "maturity_to", "risk_levels", "age_min", "age_max", "last_contact_before")


def _center_of(actor):
    """The center the actor plans for: their own unit, which must be a wealth center."""
    unit = actor.unit
    if unit is None or unit.kind != UnitKind.CENTER:
        raise PermissionDenied(_("只有理财中心的负责人或组长可以策划营销活动。"))
    return unit


def _check_planner(actor, campaign: Campaign | None = None):
    if not scope_for(actor).has(*PLANNERS):
        raise PermissionDenied(_("只有理财中心负责人或客户经理组长可以策划营销活动。"))
    center = _center_of(actor)
    if campaign is not None and campaign.center_id != center.pk:
        raise PermissionDenied(_("只能修改本理财中心的营销活动。"))
    return center


def _check_approver(actor, campaign: Campaign) -> None:
    if not scope_for(actor).has(*APPROVERS) or actor.unit_id != campaign.center_id:
        raise PermissionDenied(_("只有本理财中心负责人可以审批、启动、结束和评价营销活动。"))


def _check_state(campaign: Campaign, allowed, message) -> None:
    if campaign.status not in allowed:
        raise ValidationError({"status": [message % {"status": campaign.get_status_display()}]})


def _build_segment(*, actor, center, data: dict, segment: Segment | None = None) -> Segment:
    segment = segment or Segment(center=center, created_by=actor)
    segment.center = center
    for name in SEGMENT_FIELDS:
        if name in data:
            setattr(segment, name, data[name] if data[name] is not None or name not in ("tiers", "risk_levels")
                    else [])
    if not segment.name:
        segment.name = _("目标客户群")
    errors = {}
    if segment.maturity_from and segment.maturity_to and segment.maturity_from > segment.maturity_to:
        errors["maturity_to"] = [_("产品到期日止不能早于到期日起。")]
    if segment.aum_min is not None and segment.aum_max is not None and segment.aum_min > segment.aum_max:
        errors["aum_max"] = [_("资产上限不能低于资产下限。")]
    if segment.age_min is not None and segment.age_max is not None and segment.age_min > segment.age_max:
        errors["age_max"] = [_("年龄上限不能低于年龄下限。")]
    if segment.product_held and not segment.product_kind:
        errors["product_kind"] = [_("选择“持有/未持有”时请同时选择产品类型。")]
    if errors:
        raise ValidationError(errors)
    segment.full_clean()
    return segment


def _check_segment_matches(actor, segment: Segment) -> int:
    """A segment matching nobody is refused: a campaign needs a target group (R25)."""
    size = selectors.segment_filter(segment, _customers_for(actor)).count()
    if size == 0:
        raise ValidationError({"segment": [_("目标客户群筛选条件在本理财中心没有匹配到任何客户，请放宽条件。")]})
    return size


def _customers_for(actor):
    from wealthdesk.customers.models import Customer

    return Customer.objects.visible_to(actor)


def _check_plan(campaign: Campaign) -> None:
    errors = {}
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期。")]
    if campaign.event_on and campaign.starts_on and campaign.ends_on and not (
            campaign.starts_on <= campaign.event_on <= campaign.ends_on):
        errors["event_on"] = [_("活动日期应在活动开始与结束日期之间。")]
    if errors:
        raise ValidationError(errors)
    campaign.full_clean(exclude=["segment"])


def _check_reports(actor, reports) -> list[Report]:
    reports = list(reports or [])
    if not reports:
        return []
    ids = {r.pk for r in reports}
    visible = set(Report.objects.visible_to(actor).filter(pk__in=ids, kind__in=GUIDING_KINDS)
                  .values_list("pk", flat=True))
    if visible != ids:
        raise ValidationError({"reports": [_("所选报告不存在或您无权查看。")]})
    return reports


def _check_staff(center, staff) -> list:
    staff = list(staff or [])
    if any(u.unit_id != center.pk for u in staff):
        raise ValidationError({"staff": [_("参与人员须为本理财中心的员工。")]})
    return staff


@transaction.atomic
def campaign_create(*, actor, plan: dict, segment: dict, staff=(), reports=(), center=None) -> Campaign:
    """Plan a campaign as a draft with its target group (a new saved segment). Refused: a planner outside a
    center, a center other than the planner's own, a segment matching nobody, dates out of order."""
    own = _check_planner(actor)
    if center is not None and center.pk != own.pk:
        raise ValidationError({"center": [_("只能为本理财中心（%(center)s）策划营销活动，不能选择其他机构的客户。")
                                          % {"center": own.name}]})
    seg = _build_segment(actor=actor, center=own, data=segment)
    _check_segment_matches(actor, seg)
    seg.save()
    campaign = Campaign(center=own, segment=seg, created_by=actor, **{k: plan.get(k) for k in PLAN_FIELDS if k in plan})
    campaign.product_kinds = list(plan.get("product_kinds") or [])
    _check_plan(campaign)
    campaign.save()
    campaign.staff.set(_check_staff(own, staff))
    campaign.reports.set(_check_reports(actor, reports))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=campaign, unit_id=own.pk,
                 detail={"segment": seg.pk, "scale": campaign.scale})
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, plan: dict, segment: dict, staff=None, reports=None,
                    version=None) -> Campaign:
    """Edit a draft or returned plan (versioned: a stale edit is refused with 409)."""
    center = _check_planner(actor, campaign)
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, EDITABLE_STATUSES, _("活动状态为“%(status)s”，只有草稿或已退回的计划可以修改。"))
    seg = _build_segment(actor=actor, center=center, data=segment, segment=campaign.segment)
    _check_segment_matches(actor, seg)
    seg.save()
    for name in PLAN_FIELDS:
        if name in plan:
            setattr(campaign, name, plan[name])
    campaign.product_kinds = list(plan.get("product_kinds", campaign.product_kinds) or [])
    _check_plan(campaign)
    save_versioned(campaign, list(PLAN_FIELDS) + ["product_kinds"])
    if staff is not None:
        campaign.staff.set(_check_staff(center, staff))
    if reports is not None:
        campaign.reports.set(_check_reports(actor, reports))
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=campaign, detail={"edit": "plan"})
    return campaign


def _transition(*, actor, campaign: Campaign, to: str, fields: list[str], detail: dict | None = None) -> Campaign:
    campaign.status = to
    save_versioned(campaign, ["status", *fields])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=campaign, detail={"status": to, **(detail or {})})
    return campaign


def _notify_head(campaign: Campaign, title: str) -> None:
    from wealthdesk.staff.models import User

    heads = User.objects.filter(unit_id=campaign.center_id, is_active=True,
                                role_assignments__role=Role.CENTER_HEAD).values_list("pk", flat=True).distinct()
    notify(recipients=list(heads), text=title, url=f"/campaigns/{campaign.pk}/", obj=campaign)


@transaction.atomic
def campaign_submit(*, actor, campaign: Campaign, version=None) -> Campaign:
    """Submit a plan to the center head for approval."""
    _check_planner(actor, campaign)
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, EDITABLE_STATUSES, _("活动状态为“%(status)s”，不能再次提交。"))
    _check_segment_matches(actor, campaign.segment)
    campaign.submitted_at = timezone.now()
    _transition(actor=actor, campaign=campaign, to=CampaignStatus.SUBMITTED, fields=["submitted_at"])
    _notify_head(campaign, _("营销活动待审批：%(theme)s") % {"theme": campaign.theme})
    return campaign


@transaction.atomic
def campaign_approve(*, actor, campaign: Campaign, version=None) -> Campaign:
    """The center head approves a submitted plan; from then on it counts toward the yearly quota (R25)."""
    _check_approver(actor, campaign)
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, (CampaignStatus.SUBMITTED,), _("活动状态为“%(status)s”，只有待审批的计划可以批准。"))
    campaign.decided_at, campaign.decided_by, campaign.return_reason = timezone.now(), actor, ""
    return _transition(actor=actor, campaign=campaign, to=CampaignStatus.APPROVED,
                       fields=["decided_at", "decided_by", "return_reason"])


@transaction.atomic
def campaign_return(*, actor, campaign: Campaign, reason: str, version=None) -> Campaign:
    """The center head sends a plan back with a reason (required)."""
    _check_approver(actor, campaign)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("退回时请填写退回原因。")]})
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, (CampaignStatus.SUBMITTED,), _("活动状态为“%(status)s”，只有待审批的计划可以退回。"))
    campaign.decided_at, campaign.decided_by, campaign.return_reason = timezone.now(), actor, reason
    campaign.full_clean(exclude=["segment"])
    return _transition(actor=actor, campaign=campaign, to=CampaignStatus.RETURNED,
                       fields=["decided_at", "decided_by", "return_reason"])


def holdout_rank(seed: str, customer_id: int) -> str:
    """The deterministic random order of the holdout draw: SHA-256 of the recorded seed and the customer id."""
    return hashlib.sha256(f"{seed}:{customer_id}".encode()).hexdigest()


def draw_holdout(seed: str, customer_ids: list[int], share: Decimal) -> set[int]:
    """The customers held out: the first round(share × n) in the seeded order (same seed, same draw)."""
    n = int((Decimal(len(customer_ids)) * share).quantize(Decimal("1")))
    return set(sorted(customer_ids, key=lambda cid: holdout_rank(seed, cid))[:n])


def _no_progress(step, done=0, total=0) -> None:
    return None


@transaction.atomic
def campaign_start(*, actor, campaign: Campaign, version=None, progress=_no_progress) -> Campaign:
    """Start an approved campaign: the segment is resolved now and becomes the call list, each customer assigned
    to their own client manager; a random holdout (share ``campaign.holdout_percent``, seed recorded) is set
    aside and not contacted, so the uplift can be measured. The list is built set-based in the database
    (``calllist``: ``INSERT … SELECT`` then one ``UPDATE`` for the holdout); ``progress`` reports the steps when
    it runs as a background job."""
    _check_approver(actor, campaign)
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, (CampaignStatus.APPROVED,), _("活动状态为“%(status)s”，只有已批准的活动可以启动。"))
    progress(_("正在生成客户名单"), 0, 3)
    members = calllist.insert_members(campaign=campaign, actor=actor,
                                      customers=selectors.segment_customers(actor, campaign.segment))
    if not members:
        raise ValidationError({"segment": [_("目标客户群现在没有匹配到任何客户，无法生成客户名单。")]})
    share = (Decimal(str(get_param("campaign.holdout_percent"))) / 100).quantize(Decimal("0.001"))
    seed = f"campaign-{campaign.pk}-{campaign.segment_id}"
    progress(_("正在抽取对照组"), 1, 3)
    held = calllist.set_holdout(campaign=campaign, seed=seed, size=calllist.holdout_size(members, share))
    campaign.holdout_share, campaign.holdout_seed, campaign.started_at = share, seed, timezone.now()
    _transition(actor=actor, campaign=campaign, to=CampaignStatus.RUNNING,
                fields=["holdout_share", "holdout_seed", "started_at"],
                detail={"members": members, "holdout": held})
    progress(_("正在通知客户经理"), 2, 3)
    notify(recipients=calllist.called_managers(campaign),
           text=_("营销活动客户名单已分配：%(theme)s") % {"theme": campaign.theme},
           url=f"/campaigns/{campaign.pk}/members/?mine=1", obj=campaign)
    return campaign


def campaign_start_request(*, actor, campaign: Campaign, version=None):
    """Start now, or — with a background worker and a center of more than ``campaign.start_background_min``
    customers — check what can be checked and hand the start to a job. Returns the job (``None``: started now)."""
    from wealthdesk.customers.choices import CustomerStatus
    from wealthdesk.customers.models import Customer
    from wealthdesk.jobs.services import enqueue, uses_worker

    from .jobs import JOB_KIND

    large = uses_worker() and Customer.objects.filter(center_id=campaign.center_id, status=CustomerStatus.ACTIVE
                                                      ).count() > int(get_param("campaign.start_background_min"))
    if not large:
        campaign_start(actor=actor, campaign=campaign, version=version)
        return None
    _check_approver(actor, campaign)
    check_version(campaign, version)
    _check_state(campaign, (CampaignStatus.APPROVED,), _("活动状态为“%(status)s”，只有已批准的活动可以启动。"))
    job, _created = enqueue(JOB_KIND, key=f"{JOB_KIND}:{campaign.pk}:{campaign.version}", user=actor,
                            params={"campaign": campaign.pk, "version": campaign.version}, unit_id=campaign.center_id)
    return job


@transaction.atomic
def campaign_end(*, actor, campaign: Campaign, version=None) -> Campaign:
    _check_approver(actor, campaign)
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, (CampaignStatus.RUNNING,), _("活动状态为“%(status)s”，只有执行中的活动可以结束。"))
    campaign.ended_at = timezone.now()
    return _transition(actor=actor, campaign=campaign, to=CampaignStatus.ENDED, fields=["ended_at"])


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [_("请填写金额（元），最多两位小数。")]}) from None
    if amount < 0 or not amount.is_finite() or amount >= Decimal("1e12"):
        raise ValidationError({field: [_("金额须在 0 到 999,999,999,999.99 元之间。")]})
    return amount


@transaction.atomic
def campaign_feedback(*, actor, campaign: Campaign, spent, staffing_note: str = "", lessons: str = "",
                      version=None, today: dt.date | None = None) -> Campaign:
    """Record the feedback after the end (R25): money spent, staffing, lessons; the system computes goals vs
    actual and the uplift against the holdout and freezes them in ``results`` (recomputed if given again)."""
    _check_approver(actor, campaign)
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, (CampaignStatus.ENDED,), _("活动状态为“%(status)s”，活动结束后才能反馈效果。"))
    if spent in (None, ""):
        raise ValidationError({"spent": [_("请填写实际花费（元）。")]})
    campaign.spent = _money(spent, "spent")
    campaign.staffing_note, campaign.lessons = staffing_note or "", lessons or ""
    campaign.full_clean(exclude=["segment"])
    results = selectors.compute_results(campaign, today=today)
    results.pop("converted_ids"), results.pop("gains")
    record_member_outcomes(campaign, today=today)
    campaign.results, campaign.feedback_at, campaign.feedback_by = results, timezone.now(), actor
    save_versioned(campaign, ["spent", "staffing_note", "lessons", "results", "feedback_at", "feedback_by"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=campaign, detail={"feedback": True})
    return campaign


def record_member_outcomes(campaign: Campaign, *, today: dt.date | None = None) -> int:
    """Store on each member of the call list whether it converted and its AUM gain (R25 feedback), as the
    results computed them (``selectors.outcome_expressions``): one UPDATE in the database rather than a
    ``bulk_update`` whose CASE expression cost seconds of Python per thousand members (issue 16)."""
    out = selectors.outcome_expressions(campaign, today=today)
    gain = Coalesce(out["aum_end"], out["aum_now"], Value(Decimal("0")), output_field=DecimalField(18, 2)) \
        - Coalesce(F("aum_at_start"), Value(Decimal("0")), output_field=DecimalField(18, 2))
    return CampaignMember.objects.filter(campaign=campaign).update(converted=out["bought"], aum_gain=gain)


@transaction.atomic
def campaign_evaluate(*, actor, campaign: Campaign, grade: str, evaluation: str, version=None) -> Campaign:
    """The head evaluates an ended campaign after its feedback: a grade and a comment that guides later ones."""
    _check_approver(actor, campaign)
    errors = {}
    if grade not in Grade.values:
        errors["grade"] = [_("请选择评价等级。")]
    if not (evaluation or "").strip():
        errors["evaluation"] = [_("请填写评价意见。")]
    if errors:
        raise ValidationError(errors)
    lock(campaign)
    check_version(campaign, version)
    _check_state(campaign, (CampaignStatus.ENDED,), _("活动状态为“%(status)s”，只有已结束的活动可以评价。"))
    if campaign.feedback_at is None:
        raise ValidationError({"status": [_("请先登记活动反馈（实际花费、人员投入、经验），再评价。")]})
    campaign.grade, campaign.evaluation = grade, evaluation.strip()
    campaign.evaluated_at, campaign.evaluated_by = timezone.now(), actor
    campaign.full_clean(exclude=["segment"])
    return _transition(actor=actor, campaign=campaign, to=CampaignStatus.EVALUATED,
                       fields=["grade", "evaluation", "evaluated_at", "evaluated_by"])


# ---------------------------------------------------------------- the call list

def _check_caller(actor, member: CampaignMember) -> None:
    if not scope_for(actor).has(*CALLERS):
        raise PermissionDenied(_("您的岗位无权登记营销活动联系。"))
    if not CampaignMember.objects.visible_to(actor).filter(pk=member.pk).exists():
        raise PermissionDenied(_("该客户不在您的营销活动名单中。"))


def _lock_member(member: CampaignMember) -> CampaignMember:
    lock(member)
    campaign = member.campaign
    if campaign.status != CampaignStatus.RUNNING:
        raise ValidationError({"status": [_("活动不在执行中，不能登记。")]})
    if member.is_holdout:
        raise ValidationError({"is_holdout": [_("该客户在对照组中，活动期间不联系。")]})
    return member


@transaction.atomic
def member_call(*, actor, member: CampaignMember, outcome: str, kind: str, contacted_at=None, content: str = "",
                response: str = "", next_step: str = "") -> CampaignMember:
    """Record a call of the list: a contact record through the contacts app (``source="campaign:<id>"``, R27)
    unless the customer could not be reached, and the outcome on the list."""
    _check_caller(actor, member)
    if outcome not in CALL_OUTCOMES:
        raise ValidationError({"outcome": [_("请选择联系结果。")]})
    _lock_member(member)
    contacted_at = contacted_at or timezone.now()
    if outcome != CallStatus.UNREACHABLE:
        record = contact_create(actor=actor, customer=member.customer, kind=kind, contacted_at=contacted_at,
                                purpose=(_("营销活动：%(theme)s") % {"theme": member.campaign.theme})[:200],
                                content=content, response=response, next_step=next_step,
                                source=f"campaign:{member.campaign_id}")
        member.contact = record
    member.call_status, member.contacted_at = outcome, contacted_at
    member.save(update_fields=["call_status", "contacted_at", "contact", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=member, customer_id=member.customer_id,
                 unit_id=member.campaign.center_id, detail={"call": outcome})
    return member


@transaction.atomic
def member_invite(*, actor, member: CampaignMember, invited: bool = True, attended: bool = False) -> CampaignMember:
    """Invitations and attendance for the campaign's event (salon, lecture): attendance needs an invitation
    and can only be recorded on or after the event day."""
    _check_caller(actor, member)
    _lock_member(member)
    campaign = member.campaign
    if attended and not invited:
        raise ValidationError({"attended": [_("未邀请的客户不能登记到场。")]})
    if attended and (campaign.event_on is None or campaign.event_on > timezone.localdate()):
        raise ValidationError({"attended": [_("活动当天或之后才能登记到场。")]})
    member.invited, member.attended = bool(invited), bool(attended)
    member.save(update_fields=["invited", "attended", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=member, customer_id=member.customer_id,
                 unit_id=campaign.center_id, detail={"invited": member.invited, "attended": member.attended})
    return member
