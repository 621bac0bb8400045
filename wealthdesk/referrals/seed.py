"""Demo referrals: 90 days of referrals by the tellers and lobby managers of every center (R16, R17), some
converted, some invalid, some overdue, and a few open ones for ``cm_c1_1`` today. One bulk insert."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from wealthdesk.core.calendar import add_working_days, is_working_day
from wealthdesk.core.masking import mask_name
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .choices import AssignmentMethod, ConversionSource, ReferralStatus, Signal, Urgency
from .models import Referral

DAYS = 90
POSITIONS = (Role.CASH_TELLER, Role.NONCASH_TELLER, Role.LOBBY_MANAGER)
NEEDS = ["定期存款到期，想了解理财产品", "咨询基金定投", "大额资金转入，询问收益更高的产品", "关注保险保障",
         "子女教育金规划", "养老规划", "咨询国债和大额存单", ""]
INVALID_REASONS = ["客户无理财需求", "资金为临时周转", "客户已是他行私行客户", "联系不上客户"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞"]


def _at(day: dt.date, hour: int):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def seed(ctx: SeedContext) -> None:
    if Referral.objects.exists():
        ctx.log("    referrals already present")
        return
    rng, today = ctx.rng, ctx.today
    centers = list(OrgUnit.objects.centers().order_by("id"))
    staff = defaultdict(lambda: defaultdict(list))
    for uid, unit_id, role in User.objects.filter(unit__in=centers, is_active=True,
                                                  role_assignments__role__in=[*POSITIONS, Role.CLIENT_MANAGER]) \
            .values_list("id", "unit_id", "role_assignments__role"):
        staff[unit_id][role].append(uid)
    cm_c1_1 = User.objects.filter(username="cm_c1_1").values_list("id", flat=True).first()
    days = [today - dt.timedelta(days=i) for i in range(DAYS - 1, -1, -1)]
    work_days = [d for d in days if is_working_day(d)]
    due = {d: add_working_days(d, 2) for d in work_days}
    rows: list[Referral] = []
    for center in centers:
        cms = staff[center.pk][Role.CLIENT_MANAGER]
        referrers = [(uid, role) for role in POSITIONS for uid in staff[center.pk][role]]
        if not cms or not referrers:
            continue
        customers = list(Customer.objects.filter(center=center).order_by("id")
                         .values_list("id", "name", "client_manager_id", "tier", "aum")[:400])
        for day in work_days:
            for uid, role in referrers:
                for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
                    rows.append(_one(rng, today, day, due[day], center, uid, role, cms, customers))
        if cm_c1_1 and center.code == "C1":  # open work for the demo client manager today, and two overdue
            uid, role = referrers[0]
            for back, status in ((0, ReferralStatus.NEW), (0, ReferralStatus.NEW), (0, ReferralStatus.ACCEPTED),
                                 (7, ReferralStatus.NEW), (9, ReferralStatus.ACCEPTED)):
                day = today - dt.timedelta(days=back)
                r = _one(rng, today, day, add_working_days(day, 2), center, uid, role, cms, [], status=status)
                r.assigned_to_id, r.assignment_method = cm_c1_1, AssignmentMethod.PICKED
                rows.append(r)
    Referral.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"    referrals: +{len(rows)}")


def _one(rng, today, day, due_on, center, uid, role, cms, customers, status=None) -> Referral:
    known = customers and rng.random() < 0.8
    if known:
        cid, name, cm, tier, aum = rng.choice(customers)
        cm = cm or rng.choice(cms)
        label, prospect_name, prospect_mobile = mask_name(name), "", ""
        method = AssignmentMethod.RESPONSIBLE
    else:
        cid, tier, aum, cm = None, "", None, rng.choice(cms)
        prospect_name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
        prospect_mobile = f"13{rng.randint(5, 9)}{rng.randint(0, 99_999_999):08d}"
        label = prospect_name
        method = rng.choice([AssignmentMethod.ROUND_ROBIN, AssignmentMethod.PICKED])
    age = (today - day).days
    if status is None:
        roll = rng.random()
        if age <= 2:
            status = ReferralStatus.NEW if roll < 0.6 else ReferralStatus.ACCEPTED
        elif roll < 0.3:
            status = ReferralStatus.CONVERTED
        elif roll < 0.45:
            status = ReferralStatus.INVALID
        elif roll < 0.9:
            status = ReferralStatus.CONTACTED
        else:
            status = ReferralStatus.NEW if roll < 0.95 else ReferralStatus.ACCEPTED  # overdue ones
    r = Referral(
        referrer_id=uid, referrer_position=role, referrer_unit_id=center.pk, center_id=center.pk, customer_id=cid,
        customer_label=label, prospect_name=prospect_name, prospect_mobile=prospect_mobile,
        signal=rng.choice(Signal.values), need=rng.choice(NEEDS),
        urgency=Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL, needs_follow_up=True,
        assigned_to_id=cm, assignment_method=method, status=status, referred_on=day, due_on=due_on,
        tier_at_referral=tier, aum_at_referral=aum, created_by_id=uid,
    )
    if status != ReferralStatus.NEW:
        r.accepted_at = _at(day, 14)
    if status in (ReferralStatus.CONTACTED, ReferralStatus.CONVERTED):
        r.contacted_at = _at(min(day + dt.timedelta(days=1), today), 10)
        r.contact_note = "电话联系客户，介绍理财产品"
    if status == ReferralStatus.CONVERTED:
        r.converted_on = min(day + dt.timedelta(days=rng.randint(3, 30)), today)
        r.conversion_source = ConversionSource.AUM if cid and rng.random() < 0.5 else ConversionSource.MANUAL
        r.conversion_amount = Decimal(rng.randrange(50_000, 800_000, 1000))
        r.closed_at = _at(r.converted_on, 16)
    if status == ReferralStatus.INVALID:
        r.invalid_reason = rng.choice(INVALID_REASONS)
        r.closed_at = _at(min(day + dt.timedelta(days=1), today), 16)
    return r
