"""Demo expert pool and consultations (R4): advisors and experts at head office, the first branch and the first
sub-branch (one advisor's engagement ended, one revoked), weekly availability, and consultations of the first
center's client managers in every state — queued at a level and named, taken (one overdue), asked back, answered
with a proposed meeting, closed and rated — so that advisor_1 and expert_1 have real work on their home pages."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from wealthdesk.core.calendar import previous_working_day
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import DEMO_PASSWORD, SeedContext
from wealthdesk.customers.choices import PREMIUM_TIERS
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import AgreementAcceptance, StaffRole, User

from . import services
from .choices import ExpertKind, Level, Urgency, Usage
from .models import AvailabilitySlot, PoolMember

EXTRA = [  # username, display name, unit code, role
    ("expert_hq", "总行理财专家", "HO", Role.FINANCIAL_EXPERT),
    ("expert_s1", "支行理财专家", "S1", Role.FINANCIAL_EXPERT),
    ("advisor_2", "保险公司顾问", "B1", Role.FINANCIAL_ADVISOR),
    ("advisor_3", "证券公司顾问", "HO", Role.FINANCIAL_ADVISOR),
]
QUESTIONS = [
    ("funds", "客户持有较多偏股基金，近期回撤较大，想了解是否应调整为固收+配置。"),
    ("insurance", "客户希望为子女配置教育金，年缴预算约 10 万元，请推荐合适的保险方案。"),
    ("tax", "客户有境外收入，想了解个人所得税综合所得汇算的申报要求。"),
    ("estate", "客户年事已高，考虑家族信托与保险金信托，请给出传承方案思路。"),
    ("fx", "客户有美元存款到期，询问未来半年汇率走势及结汇时点建议。"),
    ("funds", "客户风险偏好为平衡型，想做基金定投，请给出定投组合建议。"),
    ("wmp", "客户的理财产品即将到期，希望了解同风险等级的替代产品。"),
]


def _user(username, label, unit, role, password) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, full_name=label, unit=unit, password=password)
        StaffRole.objects.get_or_create(user=user, role=role)
    return user


def _accept_all(users) -> None:
    from wealthdesk.staff.models import Agreement

    current = Agreement.current()
    if current is not None:
        AgreementAcceptance.objects.bulk_create(
            [AgreementAcceptance(user=u, agreement=current) for u in users], ignore_conflicts=True)


def _next_slot_start(weekday: int, hour: int) -> dt.datetime:
    now = timezone.localtime()
    day = now.date() + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(ctx: SeedContext) -> None:
    if PoolMember.objects.exists():
        ctx.log("    expert pool already present")
        return
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["HO", "B1", "S1"])}
    if len(units) < 3:
        ctx.log("    experts: org tree incomplete, skipped")
        return
    password = make_password(DEMO_PASSWORD)
    keeper_hq = User.objects.filter(username="hq_service").first()
    keeper_b1 = User.objects.filter(username="branch1_service").first()
    advisor_1 = User.objects.filter(username="advisor_1").first()
    expert_1 = User.objects.filter(username="expert_1").first()
    if not all([keeper_hq, keeper_b1, advisor_1, expert_1]):
        ctx.log("    experts: demo staff missing, skipped")
        return
    extra = {name: _user(name, label, units[code], role, password) for name, label, code, role in EXTRA}
    _accept_all([advisor_1, expert_1, *extra.values()])
    today = ctx.today
    plan = [
        (keeper_hq, advisor_1, ExpertKind.ADVISOR, "HO", ["funds", "allocation", "wmp"], "华夏基金管理有限公司",
         today + dt.timedelta(days=180)),
        (keeper_hq, extra["expert_hq"], ExpertKind.EXPERT, "HO", ["tax", "estate", "allocation"], "", None),
        (keeper_hq, extra["advisor_3"], ExpertKind.ADVISOR, "HO", ["funds", "metals"], "中信证券股份有限公司",
         today + dt.timedelta(days=90)),
        (keeper_b1, expert_1, ExpertKind.EXPERT, "B1", ["insurance", "funds", "credit", "estate"], "", None),
        (keeper_b1, extra["advisor_2"], ExpertKind.ADVISOR, "B1", ["insurance"], "中国人寿保险股份有限公司",
         today - dt.timedelta(days=30)),
        (keeper_b1, extra["expert_s1"], ExpertKind.EXPERT, "S1", ["wmp", "fx", "funds"], "", None),
    ]
    members = {}
    for keeper, user, kind, code, specialties, company, ends in plan:
        members[user.username] = services.member_add(
            actor=keeper, user=user, kind=kind, unit=units[code], specialties=specialties, company=company,
            engaged_from=today - dt.timedelta(days=365) if kind == ExpertKind.ADVISOR else None,
            engagement_ends_on=ends)
    slots = []
    for member in members.values():
        for weekday in range(5):
            slots.append(AvailabilitySlot(member=member, weekday=weekday, start_time=dt.time(9, 0),
                                          end_time=dt.time(12, 0)))
            if weekday in (1, 3):
                slots.append(AvailabilitySlot(member=member, weekday=weekday, start_time=dt.time(14, 0),
                                              end_time=dt.time(17, 30)))
    AvailabilitySlot.objects.bulk_create(slots)
    services.member_revoke(actor=keeper_hq, member=members["advisor_3"], reason="合作协议提前终止")
    _consultations(ctx, members, today)


def _consultations(ctx, members, today) -> None:
    center = OrgUnit.objects.filter(code="C1").first() or OrgUnit.objects.filter(kind="center").order_by("id").first()
    if center is None:
        return
    asker = User.objects.filter(unit=center, role_assignments__role=Role.CLIENT_MANAGER).order_by("username").first()
    if asker is None:
        return
    customers = list(Customer.objects.filter(client_manager=asker, tier__in=PREMIUM_TIERS).order_by("id")[:8])
    if len(customers) < 7:
        customers += list(Customer.objects.filter(client_manager=asker).exclude(
            pk__in=[c.pk for c in customers]).order_by("id")[:7 - len(customers)])
    if len(customers) < 7:
        return
    advisor, expert = members["advisor_1"], members["expert_1"]

    def back(n: int) -> dt.date:
        day = today
        for _ in range(n):
            day = previous_working_day(day)
        return day

    def ask(i, q, *, level=None, named=None, urgency=Urgency.NORMAL, days_ago=0):
        specialty, question = QUESTIONS[q]
        return services.consultation_ask(actor=asker, customer=customers[i], question=question, specialty=specialty,
                                         urgency=urgency, level=level, requested_expert=named,
                                         today=back(days_ago) if days_ago else today)

    # queued at the branch (expert_1's queue) and named to advisor_1
    ask(0, 1, level=Level.BRANCH, urgency=Urgency.URGENT)
    ask(1, 5, named=advisor)
    # taken by advisor_1, past its due date (overdue on head office's desk)
    taken = ask(2, 0, named=advisor, days_ago=8)
    services.consultation_take(actor=advisor.user, consultation=taken)
    # asked back by expert_1
    asked_back = ask(3, 2 if "tax" in expert.specialties else 1, level=Level.BRANCH, days_ago=1)
    services.consultation_take(actor=expert.user, consultation=asked_back)
    services.consultation_ask_back(actor=expert.user, consultation=asked_back,
                                   text="请补充客户的家庭成员情况和预算区间。")
    # answered by expert_1 with a proposed meeting
    answered = ask(4, 3, level=Level.BRANCH, days_ago=3)
    services.consultation_take(actor=expert.user, consultation=answered)
    services.consultation_answer(actor=expert.user, consultation=answered,
                                 text="建议先做家庭资产梳理，再比较家族信托（门槛较高）与保险金信托（门槛较低）。")
    start = _next_slot_start(1, 14)
    services.booking_propose(actor=expert.user, consultation=answered, starts_at=start,
                             ends_at=start + dt.timedelta(hours=1), place="理财中心贵宾室")
    # closed and rated (advisor_1)
    closed = ask(5, 6, named=advisor, days_ago=6)
    services.consultation_take(actor=advisor.user, consultation=closed)
    services.consultation_answer(actor=advisor.user, consultation=closed,
                                 text="可考虑同风险等级的一年期固收类理财，注意与到期日衔接，避免资金空档。")
    services.consultation_close(actor=asker, consultation=closed, usage=Usage.ADOPTED,
                                usage_note="已向客户推荐并成功续作。", rating=5, rating_comment="答复及时、专业")
    # queued at the sub-branch, overdue (the sub-branch coordinator's panel)
    ask(6, 4, level=Level.SUBBRANCH, urgency=Urgency.CRITICAL, days_ago=4)
    ctx.log("    experts: 6 pool members, 7 consultations")
