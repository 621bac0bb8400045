"""State changes of career goals (R37) and training (R38, R40). Every function is keyword-only, atomic, checks the
state on the row read under ``select_for_update`` (``core.concurrency.lock``), writes its audit row in the same
transaction and notifies with ``transaction.on_commit`` (``core.notifications``)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.deadlines import due_date
from wealthdesk.core.models import AuditAction
from wealthdesk.core.notifications import notify
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .choices import Attendance, GoalStatus, ReviewStatus, TrainingStatus
from .models import STAFF_POSITIONS, CareerGoal, CareerReview, Enrolment, TrainingPlan

GOAL_SETTERS = frozenset({Role.CENTER_HEAD})
PLANNERS = frozenset({Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})


# ---------------------------------------------------------------- quarters

def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year, 12, 31) if quarter == 4 else quarter_start(year, quarter + 1) - dt.timedelta(days=1)


def review_due_on(year: int, quarter: int) -> dt.date:
    """R37: the review of a quarter is due ``career.review`` working days after the quarter ends."""
    return due_date("career.review", quarter_end(year, quarter))


# ---------------------------------------------------------------- career goals (R37)

def _require_head(actor) -> None:
    if not scope_for(actor).has(*GOAL_SETTERS):
        raise PermissionDenied(_("只有理财中心负责人可以与员工商定职业目标和记录季度回顾。"))


def _check_own_center_staff(actor, staff, field: str = "staff") -> None:
    if staff is None:
        raise ValidationError({field: [_("请选择员工。")]})
    if staff.unit_id != actor.unit_id or not staff.is_active:
        raise ValidationError({field: [_("只能为本中心的员工办理：%(name)s 不属于您的理财中心。") % {"name": staff}]})
    if staff.pk == actor.pk:
        raise ValidationError({field: [_("负责人本人的职业目标由上级机构商定，不能自己给自己设定。")]})


def _check_text(field: str, value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [_("请填写%(label)s。") % {"label": label}]})
    return value


@transaction.atomic
def career_goal_set(*, actor, staff, year: int, goal: str, alignment: str, measures: str,
                    today: dt.date | None = None) -> CareerGoal:
    """The head sets a staff member's yearly career goals with them (R37) and agrees them; the staff member then
    confirms. The quarterly reviews of the year (from the current quarter on) are created with their due dates."""
    _require_head(actor)
    _check_own_center_staff(actor, staff)
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": [_("年度必须是四位数字。")]}) from None
    if year not in (today.year, today.year + 1):
        raise ValidationError({"year": [_("只能设定今年（%(this)s）或明年（%(next)s）的职业目标。") % {
            "this": today.year, "next": today.year + 1}]})
    if CareerGoal.objects.filter(staff=staff, year=year).exists():
        raise ValidationError({"year": [_("%(name)s 的 %(year)s 年度职业目标已经设定，请打开它修改。") % {
            "name": staff, "year": year}]})
    now = timezone.now()
    obj = CareerGoal(staff=staff, center_id=staff.unit_id, year=year,
                     goal=_check_text("goal", goal, _("职业目标")),
                     alignment=_check_text("alignment", alignment, _("与本行战略的一致性")),
                     measures=_check_text("measures", measures, _("实现措施")),
                     head=actor, head_agreed_at=now, status=GoalStatus.AWAITING_STAFF, created_by=actor)
    obj.full_clean()
    obj.save()
    first = quarter_of(today) if year == today.year else 1
    CareerReview.objects.bulk_create([
        CareerReview(goal=obj, quarter=q, due_on=review_due_on(year, q), created_by=actor) for q in range(first, 5)])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, unit_id=obj.center_id,
                 detail={"staff": staff.pk, "year": year})
    notify(recipients=[staff], text=_("负责人已与您商定 %(year)s 年度职业目标，请确认。") % {"year": year},
           url=reverse("development:goal", args=[obj.pk]), obj=obj)
    return obj


@transaction.atomic
def career_goal_update(*, actor, goal: CareerGoal, version=None, text: str, alignment: str,
                       measures: str) -> CareerGoal:
    """The head revises the goals (a versioned edit, DESIGN rule 13); the staff member confirms them again."""
    _require_head(actor)
    lock(goal)
    check_version(goal, version)
    if goal.center_id != actor.unit_id:
        raise PermissionDenied(_("只能修改本中心员工的职业目标。"))
    goal.goal = _check_text("goal", text, _("职业目标"))
    goal.alignment = _check_text("alignment", alignment, _("与本行战略的一致性"))
    goal.measures = _check_text("measures", measures, _("实现措施"))
    goal.head, goal.head_agreed_at = actor, timezone.now()
    goal.status, goal.staff_agreed_at = GoalStatus.AWAITING_STAFF, None
    goal.full_clean()
    save_versioned(goal, ["goal", "alignment", "measures", "head", "head_agreed_at", "status", "staff_agreed_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=goal, unit_id=goal.center_id, detail={"edit": True})
    notify(recipients=[goal.staff_id], text=_("负责人修改了您的 %(year)s 年度职业目标，请重新确认。") % {
        "year": goal.year}, url=reverse("development:goal", args=[goal.pk]), obj=goal)
    return goal


@transaction.atomic
def career_goal_confirm(*, actor, goal: CareerGoal) -> CareerGoal:
    """The staff member signs off the goals the head agreed (R37: set together)."""
    lock(goal)
    if goal.staff_id != actor.pk:
        raise PermissionDenied(_("只有员工本人可以确认自己的职业目标。"))
    if goal.status == GoalStatus.AGREED:
        raise ValidationError({"status": [_("您已于 %(at)s 确认过这份职业目标。") % {
            "at": timezone.localtime(goal.staff_agreed_at).strftime("%Y-%m-%d %H:%M")}]})
    goal.status, goal.staff_agreed_at = GoalStatus.AGREED, timezone.now()
    save_versioned(goal, ["status", "staff_agreed_at"])
    audit_record(actor=actor, action=AuditAction.ACCEPT, obj=goal, unit_id=goal.center_id)
    notify(recipients=[goal.head_id], text=_("%(name)s 已确认 %(year)s 年度职业目标。") % {
        "name": actor, "year": goal.year}, url=reverse("development:goal", args=[goal.pk]), obj=goal)
    return goal


@transaction.atomic
def career_review_record(*, actor, staff, year, quarter, held_on: dt.date | None, progress: str,
                         next_steps: str = "", today: dt.date | None = None) -> CareerReview:
    """Record the quarterly review of a staff member's career goals with them (R37). Refused for another
    center's staff, a date in the future or before the quarter began, or a quarter already reviewed."""
    _require_head(actor)
    _check_own_center_staff(actor, staff)
    today = today or timezone.localdate()
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError):
        raise ValidationError({"quarter": [_("请选择季度。")]}) from None
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": [_("季度必须是 1 到 4。")]})
    if held_on is None:
        raise ValidationError({"held_on": [_("请填写回顾日期。")]})
    if held_on > today:
        raise ValidationError({"held_on": [_("回顾日期不能晚于今天（%(today)s）。") % {"today": today.isoformat()}]})
    if held_on < quarter_start(year, quarter):
        raise ValidationError({"held_on": [_("回顾日期不能早于该季度开始（%(d)s）。") % {
            "d": quarter_start(year, quarter).isoformat()}]})
    goal = CareerGoal.objects.filter(staff=staff, year=year).first()
    if goal is None:
        raise ValidationError({"staff": [_("%(name)s 尚未设定 %(year)s 年度职业目标，请先设定。") % {
            "name": staff, "year": year}]})
    review = CareerReview.objects.filter(goal=goal, quarter=quarter).first()
    if review is None:
        raise ValidationError({"quarter": [_("职业目标设定于该季度之后，该季度无需回顾。")]})
    progress = _check_text("progress", progress, _("进展情况"))
    lock(review)
    if review.status == ReviewStatus.HELD:
        raise ValidationError({"quarter": [_("第 %(q)s 季度的回顾已于 %(d)s 记录，不能重复记录。") % {
            "q": quarter, "d": review.held_on.isoformat()}]})
    review.status, review.held_on, review.reviewed_by = ReviewStatus.HELD, held_on, actor
    review.progress, review.next_steps = progress, (next_steps or "").strip()
    review.full_clean()
    review.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=review, unit_id=goal.center_id,
                 detail={"staff": staff.pk, "year": year, "quarter": quarter, "held_on": held_on.isoformat()})
    notify(recipients=[staff], text=_("负责人已记录您 %(year)s 年第 %(q)s 季度的职业目标回顾。") % {
        "year": year, "q": quarter}, url=reverse("development:goal", args=[goal.pk]), obj=goal)
    return review


# ---------------------------------------------------------------- training (R38, R40)

def _require_planner(actor) -> None:
    if not scope_for(actor).has(*PLANNERS) or not actor.unit_id:
        raise PermissionDenied(_("您的岗位无权组织培训。"))


def _require_organizer(actor, training: TrainingPlan) -> None:
    _require_planner(actor)
    if training.organizer_id != actor.unit_id:
        raise PermissionDenied(_("只有组织培训的机构可以登记出席和考核。"))


def audience_people(training: TrainingPlan):
    """Active staff in the audience units' subtrees holding one of the audience positions (any if none given)."""
    units = list(training.audience_units.values_list("path", flat=True))
    if not units:
        return User.objects.none()
    from django.db.models import Q

    q = Q()
    for path in units:
        q |= Q(unit__path__startswith=path)
    positions = [p for p in training.audience_positions if p in STAFF_POSITIONS] or list(STAFF_POSITIONS)
    return User.objects.filter(q, is_active=True, role_assignments__role__in=positions).distinct()


@transaction.atomic
def training_plan(*, actor, topic: str, held_on: dt.date | None, trainer: str, audience_units: Iterable[OrgUnit],
                  audience_positions: Iterable[str] = (), gap: str, indicator_code: str = "") -> TrainingPlan:
    """An upper level (or the center itself) plans a training for units of its subtree (R38; head office trains
    branches, R40) and enrols the audience."""
    _require_planner(actor)
    organizer = actor.unit
    units = list(audience_units or [])
    if not units:
        raise ValidationError({"audience_units": [_("请选择培训对象机构。")]})
    for unit in units:
        if not unit.path.startswith(organizer.path):
            raise ValidationError({"audience_units": [_("培训对象须为本机构或下级机构：%(name)s 不在您的范围内。") % {
                "name": unit.name}]})
    positions = list(dict.fromkeys(audience_positions or []))
    bad = [p for p in positions if p not in STAFF_POSITIONS]
    if bad:
        raise ValidationError({"audience_positions": [_("培训对象岗位无效：%(codes)s。") % {"codes": "、".join(bad)}]})
    if held_on is None:
        raise ValidationError({"held_on": [_("请填写培训日期。")]})
    training = TrainingPlan(organizer=organizer, topic=_check_text("topic", topic, _("培训主题")), held_on=held_on,
                            trainer=_check_text("trainer", trainer, _("培训讲师")), audience_positions=positions,
                            gap=_check_text("gap", gap, _("培训需求（差距）")),
                            indicator_code=(indicator_code or "").strip(), created_by=actor)
    training.full_clean()
    training.save()
    training.audience_units.set(units)
    added = _enrol(training, actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=training, unit_id=organizer.pk,
                 detail={"units": [u.pk for u in units], "positions": positions, "enrolled": added})
    notify(recipients=list(Enrolment.objects.filter(training=training).values_list("person_id", flat=True)),
           text=_("您已报名培训《%(topic)s》，日期 %(d)s。") % {"topic": training.topic, "d": held_on.isoformat()},
           url=reverse("development:training", args=[training.pk]), obj=training)
    return training


def _enrol(training: TrainingPlan, actor) -> int:
    existing = set(Enrolment.objects.filter(training=training).values_list("person_id", flat=True))
    rows = [Enrolment(training=training, person_id=pk, unit_id=unit_id, created_by=actor)
            for pk, unit_id in audience_people(training).values_list("pk", "unit_id") if pk not in existing]
    Enrolment.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def training_enrol(*, actor, training: TrainingPlan) -> int:
    """Enrol the audience again (newcomers since the plan); only while the training is planned."""
    _require_organizer(actor, training)
    lock(training)
    if training.status != TrainingStatus.PLANNED:
        raise ValidationError({"status": [_("培训已举办，不能再报名。")]})
    added = _enrol(training, actor)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=training, unit_id=training.organizer_id,
                 detail={"enrolled": added})
    return added


@transaction.atomic
def training_attendance(*, actor, training: TrainingPlan, present_ids: Iterable[int],
                        today: dt.date | None = None) -> dict:
    """Record who attended (R38): the enrolments listed are present, the others absent. Locked on the training;
    an assessed participant cannot be marked absent."""
    _require_organizer(actor, training)
    today = today or timezone.localdate()
    lock(training)
    if training.held_on > today:
        raise ValidationError({"present": [_("培训日期 %(d)s 尚未到，不能登记出席。") % {
            "d": training.held_on.isoformat()}]})
    try:
        present = {int(pk) for pk in present_ids}
    except (TypeError, ValueError):
        raise ValidationError({"present": [_("出席人员编号无效。")]}) from None
    rows = {e.pk: e for e in Enrolment.objects.select_for_update().filter(training=training)}
    unknown = present - set(rows)
    if unknown:
        raise ValidationError({"present": [_("出席人员不在本次培训的报名名单中：%(ids)s。") % {
            "ids": "、".join(str(i) for i in sorted(unknown))}]})
    assessed_absent = [e for pk, e in rows.items() if pk not in present and e.assessed_at]
    if assessed_absent:
        raise ValidationError({"present": [_("%(name)s 已考核，不能登记为缺席。") % {
            "name": assessed_absent[0].person}]})
    now = timezone.now()
    for pk, e in rows.items():
        e.attendance = Attendance.PRESENT if pk in present else Attendance.ABSENT
        e.attendance_by, e.updated_at = actor, now
    Enrolment.objects.bulk_update(rows.values(), ["attendance", "attendance_by", "updated_at"])
    training.status = TrainingStatus.HELD
    save_versioned(training, ["status"])
    counts = {"present": len(present), "absent": len(rows) - len(present)}
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=training, unit_id=training.organizer_id,
                 detail={"attendance": counts})
    return counts


def _parse_score(value) -> Decimal:
    if value in (None, ""):
        raise ValidationError({"score": [_("请填写考核成绩。")]})
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": [_("考核成绩必须是 0 到 100 之间的数字。")]}) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise ValidationError({"score": [_("考核成绩必须是 0 到 100 之间的数字。")]})
    return score.quantize(Decimal("0.1"))


@transaction.atomic
def enrolment_assess(*, actor, enrolment: Enrolment, score, comment: str = "") -> Enrolment:
    """The organizer assesses one participant who attended (R38: upper levels assess the levels below): a score
    0–100 and a comment, once (the row is locked; a second assessment is refused)."""
    training = enrolment.training
    _require_organizer(actor, training)
    score = _parse_score(score)
    lock(enrolment)
    if enrolment.attendance != Attendance.PRESENT:
        raise ValidationError({"score": [_("%(name)s 未登记出席，不能考核。") % {"name": enrolment.person}]})
    if enrolment.assessed_at is not None:
        raise ValidationError({"score": [_("%(name)s 已考核（%(score)s 分），不能重复考核。") % {
            "name": enrolment.person, "score": enrolment.score}]})
    enrolment.score, enrolment.comment = score, (comment or "").strip()
    enrolment.assessed_by, enrolment.assessed_at = actor, timezone.now()
    enrolment.full_clean()
    enrolment.save(update_fields=["score", "comment", "assessed_by", "assessed_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=enrolment, unit_id=enrolment.unit_id,
                 detail={"training": training.pk, "score": str(score)})
    notify(recipients=[enrolment.person_id], text=_("培训《%(topic)s》的考核结果已登记。") % {"topic": training.topic},
           url=reverse("development:training", args=[training.pk]), obj=training)
    return enrolment


def remind_reviews(*, today: dt.date, days: int) -> int:
    """Notify each staff member and their head of career reviews overdue or due within ``days`` working days."""
    from wealthdesk.core.calendar import add_working_days

    horizon = add_working_days(today, days)
    rows = list(CareerReview.objects.filter(status=ReviewStatus.PENDING, due_on__lte=horizon)
                .select_related("goal").order_by("due_on"))
    for review in rows:
        goal = review.goal
        late = review.due_on < today
        text = (_("%(year)s 年第 %(q)s 季度职业目标回顾已逾期（期限 %(d)s）。") if late
                else _("%(year)s 年第 %(q)s 季度职业目标回顾将于 %(d)s 到期。")) % {
            "year": goal.year, "q": review.quarter, "d": review.due_on.isoformat()}
        notify(recipients=[goal.staff_id, goal.head_id], text=text,
               url=reverse("development:goal", args=[goal.pk]), obj=goal)
    return len(rows)
