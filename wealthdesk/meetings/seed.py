"""Demo meetings data: 90 days of huddles for every team (a few missed, the head sitting in now and then; today's
morning huddle of the first center's team left open to hold), weekly and monthly team minutes with action items
(open, done, overdue), the sub-branches' biweekly meetings with one gap of four weeks at the first sub-branch, the
branch's monthly reviews, and problems at every stage of the chain with their trail. Bulk inserts only."""
import datetime as dt

from django.utils import timezone

from wealthdesk.core.calendar import add_working_days, working_days_between
from wealthdesk.core.escalation import EscalationState
from wealthdesk.core.models import EscalationStep
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import Team, User
from wealthdesk.worklogs.choices import HelpStatus
from wealthdesk.worklogs.models import HelpRequest

from .choices import ActionStatus, Attendance, HuddleKind, HuddleStatus, MeetingKind, ProblemSource, ProblemStatus
from .models import ActionItem, Huddle, HuddleAttendance, Meeting, MeetingAttendance, MeetingRead, Problem

DAYS = 90
TARGETS = ["今日目标：大额存单 200 万，基金 50 万", "重点跟进到期客户 5 户", "士气饱满，冲刺月度目标",
           "新客户拓展 2 户，电话回访 10 户"]
SUMMARIES = ["今日销售理财 120 万，新增客户 1 户", "到期客户挽留 3 户成功", "客户对净值波动顾虑较多，明日重点沟通",
             "销售节奏正常，问题已记录"]
DECISIONS = ["加强到期客户挽留，组长每周检查", "下周举办理财沙龙，邀请核心客户", "客户经理每日电话回访不少于 10 户"]
ACTIONS = ["整理下月到期客户名单", "邀请 5 位核心客户参加沙龙", "完成竞品收益对比表", "补齐客户风险评估资料",
           "与基金公司确定陪访时间"]
PROBLEMS = ["产品额度不足，客户排队等待", "系统查询客户持仓速度慢", "竞争行高收益产品分流客户",
            "大额资金转出挽留缺少授权", "客户资料不全，无法办理风险评估", "贵金属产品培训不足"]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(ctx: SeedContext) -> None:
    if Huddle.objects.exists() or Meeting.objects.exists():
        ctx.log("    meetings already present")
        return
    rng, today = ctx.rng, ctx.today
    start = today - dt.timedelta(days=DAYS)
    days = working_days_between(start, today)
    teams = list(Team.objects.filter(unit__kind=UnitKind.CENTER).select_related("unit").order_by("unit__path", "id"))
    members: dict[int, list[int]] = {}
    for uid, team_id in User.objects.filter(team__in=teams, is_active=True).values_list("id", "team_id"):
        members.setdefault(team_id, []).append(uid)
    heads = dict(User.objects.filter(role_assignments__role=Role.CENTER_HEAD).values_list("unit_id", "id"))
    cms = {}
    for uid, unit_id in User.objects.filter(role_assignments__role=Role.CLIENT_MANAGER).values_list("id", "unit_id"):
        cms.setdefault(unit_id, []).append(uid)

    # -- huddles (R13)
    huddles = []
    for t_index, team in enumerate(teams):
        lead = team.lead_id or heads.get(team.unit_id)
        if lead is None:
            continue
        for day in days:
            for kind, hour in ((HuddleKind.MORNING, 8), (HuddleKind.EVENING, 17)):
                if day == today and (kind == HuddleKind.EVENING or t_index == 0):
                    continue  # today's evening is still to come; the first team's morning is left to hold
                if rng.random() < 0.06:
                    continue  # a missed huddle: overdue on the head's board
                minutes = rng.choice((10, 11, 12, 13, 14, 15, 15, 16))
                started = _aware(day, hour, rng.randint(20, 40))
                huddles.append(Huddle(
                    team=team, center_id=team.unit_id, kind=kind, held_on=day, started_at=started,
                    closed_at=started + dt.timedelta(minutes=minutes), duration_minutes=minutes,
                    status=HuddleStatus.CLOSED, led_by_id=lead, created_by_id=lead,
                    figures={"sales_amount": {"label": "产品销售额", "value": rng.randint(0, 300) * 10000,
                                              "unit": "yuan"},
                             "contacts": {"label": "联系客户次数", "value": rng.randint(5, 40), "unit": ""}},
                    targets=rng.choice(TARGETS) if kind == HuddleKind.MORNING else "",
                    summary=rng.choice(SUMMARIES) if kind == HuddleKind.EVENING else ""))
    Huddle.objects.bulk_create(huddles, batch_size=2000)
    rows = []
    for h in Huddle.objects.values_list("id", "team_id", "center_id", "held_on"):
        hid, team_id, center_id, day = h
        for uid in members.get(team_id, []):
            roll = rng.random()
            status = Attendance.PRESENT if roll < 0.9 else (Attendance.EXCUSED if roll < 0.97 else Attendance.ABSENT)
            rows.append(HuddleAttendance(huddle_id=hid, person_id=uid, status=status))
        if heads.get(center_id) and rng.random() < 0.15:
            rows.append(HuddleAttendance(huddle_id=hid, person_id=heads[center_id], is_head=True))
    HuddleAttendance.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)

    # -- team minutes (R14)
    meetings, plan = [], []
    for team in teams:
        lead = team.lead_id or heads.get(team.unit_id)
        rota = sorted(u for u in members.get(team.pk, []) if u in set(cms.get(team.unit_id, [])))
        if lead is None or not rota:
            continue
        mondays = [d for d in days if d.weekday() == 0]
        for i, day in enumerate(mondays):
            meetings.append(Meeting(kind=MeetingKind.TEAM_WEEKLY, unit_id=team.unit_id, team=team, held_on=day,
                                    title=f"{team.name}周例会", chair_id=lead, recorder_id=rota[i % len(rota)],
                                    agenda="上周业绩回顾；本周目标；到期客户", decisions=rng.choice(DECISIONS),
                                    minutes="与会人员逐一汇报客户跟进情况。", created_by_id=lead))
            plan.append((team, rota, day))
        for month_start in sorted({d.replace(day=1) for d in days}):
            first = next((d for d in days if d >= month_start), None)
            if first is None or first.month != month_start.month:
                continue
            meetings.append(Meeting(kind=MeetingKind.TEAM_MONTHLY, unit_id=team.unit_id, team=team, held_on=first,
                                    title=f"{team.name}{month_start:%m}月例会", chair_id=lead,
                                    recorder_id=rota[month_start.month % len(rota)],
                                    agenda="月度业绩；问题汇总；下月计划", decisions=rng.choice(DECISIONS),
                                    minutes="负责人点评月度工作。", created_by_id=lead))
            plan.append((team, rota, first))
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    attendance, actions, reads = [], [], []
    for meeting, (team, rota, day) in zip(meetings, plan, strict=True):
        for uid in members.get(team.pk, []):
            attendance.append(MeetingAttendance(meeting=meeting, person_id=uid,
                                                status=Attendance.PRESENT if rng.random() < 0.92 else Attendance.EXCUSED))
        for _n in range(2):
            due = day + dt.timedelta(days=rng.randint(3, 14))
            done = due < today and rng.random() < 0.8
            actions.append(ActionItem(meeting=meeting, text=rng.choice(ACTIONS), owner_id=rng.choice(rota),
                                      due_date=due, status=ActionStatus.DONE if done else ActionStatus.OPEN,
                                      done_at=_aware(due, 16) if done else None, created_by_id=meeting.chair_id))
        head = heads.get(team.unit_id)
        if head and day < today and rng.random() < 0.85:
            reads.append(MeetingRead(meeting=meeting, reader_id=head))
    MeetingAttendance.objects.bulk_create(attendance, batch_size=5000, ignore_conflicts=True)
    ActionItem.objects.bulk_create(actions, batch_size=2000)
    MeetingRead.objects.bulk_create(reads, batch_size=2000, ignore_conflicts=True)

    # -- upper-level meetings (R15): every 14 days per sub-branch, one 4-week gap at the first; branch monthly
    upper, upper_att = [], []
    subs = list(OrgUnit.objects.filter(kind=UnitKind.SUBBRANCH).order_by("path"))
    service = dict(User.objects.filter(role_assignments__role=Role.SUBBRANCH_SERVICE).values_list("unit_id", "id"))
    for s_index, sub in enumerate(subs):
        center_heads = [heads[c] for c in OrgUnit.objects.filter(parent=sub, kind=UnitKind.CENTER)
                        .values_list("id", flat=True) if c in heads]
        chair = service.get(sub.pk) or (center_heads[0] if center_heads else None)
        if chair is None:
            continue
        for k, back in enumerate(range(DAYS - 4, -1, -14)):
            if s_index == 0 and k == 3:
                continue  # the gap
            day = today - dt.timedelta(days=back)
            m = Meeting(kind=MeetingKind.SUBBRANCH_BIWEEKLY, unit=sub, held_on=day, title=f"{sub.name}双周例会",
                        chair_id=chair, recorder_id=chair, agenda="各中心业绩；优质客户拓展；上报问题",
                        decisions="各中心加强核心客户维护", minutes="各中心负责人汇报两周工作。", created_by_id=chair)
            upper.append(m)
            upper_att += [(m, uid) for uid in {chair, *center_heads}]
    branch_service = dict(User.objects.filter(role_assignments__role=Role.BRANCH_SERVICE).values_list("unit_id", "id"))
    for unit_id, chair in branch_service.items():
        for month_start in sorted({d.replace(day=1) for d in days}):
            day = add_working_days(month_start, 2)
            if day > today:
                continue
            upper.append(Meeting(kind=MeetingKind.BRANCH_MONTHLY, unit_id=unit_id, held_on=day,
                                 title=f"{month_start:%Y-%m} 月度经营分析会", chair_id=chair, recorder_id=chair,
                                 agenda="上月业绩回顾；新销售计划", decisions="下月重点推动大额存单与基金定投",
                                 created_by_id=chair))
    Meeting.objects.bulk_create(upper, batch_size=500)
    MeetingAttendance.objects.bulk_create([MeetingAttendance(meeting=m, person_id=uid) for m, uid in upper_att],
                                          ignore_conflicts=True)

    n_problems = _seed_problems(ctx, heads, cms, service, branch_service)
    ctx.log(f"    huddles: +{len(huddles)}, meetings: +{len(meetings) + len(upper)}, action items: +{len(actions)}, "
            f"problems: +{n_problems}")


def _seed_problems(ctx, heads, cms, service, branch_service) -> int:
    """Per center, one problem at each stage of the chain, with its trail (steps dated in the past)."""
    rng, today = ctx.rng, ctx.today
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Problem)
    centers = list(OrgUnit.objects.filter(kind=UnitKind.CENTER).select_related("parent__parent").order_by("path"))
    helps = {}
    for hr in HelpRequest.objects.filter(problem__isnull=True).exclude(status=HelpStatus.RESOLVED).select_related(
            "log").order_by("-log__log_date", "id"):
        helps.setdefault(hr.center_id, []).append(hr)
    stages = ["raised", "collected", "escalated", "forwarded", "answered", "answered_overdue", "solved",
              "fed_back", "fed_back_late", "solved_fed_back"]
    problems = []
    for center in centers:
        head, raisers = heads.get(center.pk), cms.get(center.pk)
        if not head or not raisers:
            continue
        sub = center.parent
        branch = sub.parent if sub else None
        sub_user = service.get(sub.pk) if sub else None
        branch_user = branch_service.get(branch.pk) if branch else None
        for n, stage in enumerate(stages):
            if stage in ("escalated", "forwarded", "answered", "answered_overdue", "fed_back", "fed_back_late") \
                    and not sub_user:
                continue
            if stage == "forwarded" and not branch_user:
                continue
            back = {"raised": 1, "collected": 3, "escalated": 6, "forwarded": 12, "answered": 8,
                    "answered_overdue": 25, "solved": 4, "fed_back": 40, "fed_back_late": 55,
                    "solved_fed_back": 30}[stage]
            raised_on = today - dt.timedelta(days=back)
            hr = helps.get(center.pk, []).pop(0) if stage == "collected" and helps.get(center.pk) else None
            p = Problem(center=center, title=hr.text if hr else PROBLEMS[n % len(PROBLEMS)], raised_on=raised_on,
                        raised_by_id=hr.staff_id if hr else rng.choice(raisers), help_request=hr,
                        source=ProblemSource.DAILY_LOG if hr else rng.choice([ProblemSource.HUDDLE,
                                                                              ProblemSource.MEETING]),
                        holder_unit=center, created_by_id=head, feedback_owner_id=head)
            trail = [(EscalationStep.Kind.RAISE, p.raised_by_id, center, None, "", _aware(raised_on, 9))]
            if stage != "raised":
                p.status, p.collected_at = ProblemStatus.COLLECTED, _aware(raised_on, 18)
                trail.append((EscalationStep.Kind.COLLECT, head, center, None, "", p.collected_at))
            if stage in ("escalated", "forwarded", "answered", "answered_overdue", "fed_back", "fed_back_late"):
                up_day = raised_on + dt.timedelta(days=1)
                p.status, p.escalation_state = ProblemStatus.ESCALATED, EscalationState.ESCALATED
                p.holder_unit, p.escalated_at, p.escalated_by_id = sub, _aware(up_day, 10), head
                trail.append((EscalationStep.Kind.HAND_UP, head, center, sub, "请支行协调", p.escalated_at))
                if stage == "forwarded":
                    p.holder_unit, p.escalated_by_id = branch, sub_user
                    trail.append((EscalationStep.Kind.FORWARD, sub_user, sub, branch, "需分行统筹",
                                  _aware(up_day + dt.timedelta(days=2), 10)))
            if stage in ("answered", "answered_overdue", "fed_back", "fed_back_late"):
                answer_day = raised_on + dt.timedelta(days=3 if stage == "answered" else 6)
                answer_day = min(answer_day, today)
                p.status, p.escalation_state = ProblemStatus.ANSWERED, EscalationState.ANSWERED
                p.answer, p.answered_at, p.answered_by_id, p.answered_unit = (
                    "已协调相关部门，下周起解决", _aware(answer_day, 15), sub_user, sub)
                p.holder_unit = center
                p.feedback_due = add_working_days(answer_day, 3)
                trail.append((EscalationStep.Kind.ANSWER, sub_user, sub, center, p.answer, p.answered_at))
            if stage in ("solved", "solved_fed_back"):
                p.status, p.solution = ProblemStatus.SOLVED, "月例会讨论：由组长陪同拜访，问题已解决"
                p.solved_at = _aware(raised_on + dt.timedelta(days=1), 16)
                p.feedback_due = add_working_days(p.solved_at.date(), 3)
                trail.append((EscalationStep.Kind.SOLVE, head, center, None, p.solution, p.solved_at))
            if stage in ("fed_back", "fed_back_late", "solved_fed_back"):
                late = stage == "fed_back_late"
                told = add_working_days(p.feedback_due, 2) if late else p.feedback_due
                p.status, p.fed_back_at, p.feedback_note = ProblemStatus.FED_BACK, _aware(told, 9), "已在晨会告知"
                trail.append((EscalationStep.Kind.FEEDBACK, head, center, None, p.feedback_note, p.fed_back_at))
            problems.append((p, trail))
    Problem.objects.bulk_create([p for p, _t in problems], batch_size=1000)
    at_field = EscalationStep._meta.get_field("at")
    at_field.auto_now_add = False  # the demo's trail is dated in the past
    try:
        EscalationStep.objects.bulk_create([
            EscalationStep(content_type=ct, object_id=p.pk, kind=kind, actor_id=actor, from_unit=frm, to_unit=to,
                           note=note, at=at) for p, trail in problems for kind, actor, frm, to, note, at in trail],
            batch_size=2000)
    finally:
        at_field.auto_now_add = True
    for p, _t in problems:
        if p.help_request_id:
            HelpRequest.objects.filter(pk=p.help_request_id).update(status=HelpStatus.IN_PROGRESS)
    return len(problems)
