"""Demo complaints: 90 days per center (R30–R32) — counter, phone, letter, online and regulator-referred cases,
owned by the center head with the 15-day deadline; most closed (a few late), some still open and overdue, some
extended to 30 days with a reason, some escalated to the branch's quality manager. Bulk-loaded; idempotent."""
import datetime as dt

from django.utils import timezone

from wealthdesk.core.bulk import copy_rows
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .choices import Category, Channel, LogKind, Outcome, Satisfaction, Status
from .deadlines import due_date
from .models import Complaint, ComplaintLog
from .services import quality_manager_for

DAYS = 90
PER_DAY = {"small": 0.5, "medium": 0.4, "large": 0.3}  # complaints per center per day, on average
CHANNEL_WEIGHTS = [(Channel.COUNTER, 40), (Channel.PHONE, 25), (Channel.ONLINE, 15), (Channel.LETTER, 5),
                   (Channel.REGULATOR, 8), (Channel.OTHER, 7)]
CONTENT = {
    Category.ATTITUDE: ["柜员办理业务时态度生硬，未作解释", "客户经理电话中语气不耐烦", "大堂经理未及时引导，客户不满"],
    Category.WAITING: ["排队等候超过一小时，叫号缓慢", "午间只开一个窗口，等候时间过长", "预约后到网点仍需长时间等候"],
    Category.SUITABILITY: ["购买理财产品时未充分揭示风险", "认为产品风险等级与自身风险承受能力不符", "销售人员承诺收益与实际不符"],
    Category.FEES: ["对基金赎回手续费有异议", "账户管理费未提前告知", "跨行转账手续费收取标准不清"],
    Category.SYSTEM: ["手机银行转账失败但资金被扣", "ATM吞卡后处理缓慢", "网银登录频繁出错无法操作"],
    Category.OTHER: ["网点停车不便", "宣传资料与实际活动不符", "对积分兑换规则有异议"],
}
RESOLUTIONS = {
    Outcome.RESOLVED: "已向客户道歉并完成整改，问题已解决",
    Outcome.PARTIAL: "已部分满足客户诉求，其余事项已作解释",
    Outcome.EXPLAINED: "经核查业务办理合规，已向客户解释说明",
    Outcome.WITHDRAWN: "客户经沟通后撤回投诉",
}
COLUMNS = ["complaint_id", "kind", "note", "created_by_id", "created_at", "updated_at"]


def _weighted(rng, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _at(day: dt.date, hour: int):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(ctx: SeedContext) -> None:
    if Complaint.objects.exists():
        ctx.log(f"    complaints already present: {Complaint.objects.count()}")
        return
    rng, today = ctx.rng, ctx.today
    # Nothing may be dated after the seed's "now": the real now, or the end of ``ctx.today`` if that lies before.
    limit = min(timezone.now(), timezone.make_aware(dt.datetime.combine(today, dt.time(23, 59))))
    centers = list(OrgUnit.objects.filter(kind=UnitKind.CENTER).order_by("id"))
    staff: dict[int, dict[str, list[int]]] = {}
    for uid, unit_id, role in User.objects.filter(unit__kind=UnitKind.CENTER).values_list(
            "id", "unit_id", "role_assignments__role"):
        staff.setdefault(unit_id, {}).setdefault(role, []).append(uid)
    rate = PER_DAY.get(ctx.size, 0.3)
    complaints, plans = [], []
    for center in centers:
        people = staff.get(center.pk, {})
        heads = people.get(Role.CENTER_HEAD)
        if not heads:
            continue
        receivers = (people.get(Role.LOBBY_MANAGER, []) * 3 + people.get(Role.CASH_TELLER, [])
                     + people.get(Role.NONCASH_TELLER, []) + people.get(Role.CLIENT_MANAGER, [])) or heads
        customers = list(Customer.objects.filter(center=center).order_by("id").values_list("id", flat=True)[:400])
        quality = quality_manager_for(center)
        for back in range(DAYS, -1, -1):
            day = today - dt.timedelta(days=back)
            n = sum(1 for _ in range(3) if rng.random() < rate / 3)
            for _i in range(n):
                complaints.append(_draw(ctx, center, day, heads[0], rng.choice(receivers), customers))
                plans.append(_plan(rng, day, today, quality, limit))
    for complaint, plan in zip(complaints, plans, strict=True):
        _apply(complaint, plan)
    Complaint.objects.bulk_create(complaints, batch_size=2000)
    copy_rows(ComplaintLog._meta.db_table, COLUMNS,
              (row for complaint, plan in zip(complaints, plans, strict=True) for row in _logs(complaint, plan)))
    late = sum(1 for c in complaints if c.status == Status.OPEN and c.due_on < today)
    ctx.log(f"    complaints: {len(complaints)} ({late} overdue, "
            f"{sum(1 for c in complaints if c.extended_at)} extended, "
            f"{sum(1 for c in complaints if c.escalated_to_id)} escalated)")


def _draw(ctx, center, day, head_id, receiver_id, customers) -> Complaint:
    rng = ctx.rng
    category = rng.choice(Category.values)
    customer_id, name, contact = None, "", ""
    roll = rng.random()
    if roll < 0.6 and customers:
        customer_id = rng.choice(customers)
    elif roll < 0.85:
        name, contact = ctx.faker.name(), ctx.faker.phone_number()
    due = due_date(day)
    return Complaint(center=center, channel=_weighted(rng, CHANNEL_WEIGHTS), category=category,
                     customer_id=customer_id, complainant_name=name, complainant_contact=contact,
                     content=rng.choice(CONTENT[category]), receiver_id=receiver_id, received_on=day, owner_id=head_id,
                     due_on=due, original_due_on=due, created_by_id=receiver_id)


def _plan(rng, day, today, quality, limit) -> dict:
    age = (today - day).days
    plan = {"extend": rng.random() < 0.1 and age > 10, "escalate": bool(quality) and rng.random() < 0.08,
            "quality": quality.pk if quality else None, "limit": limit}
    plan["escalate"] = plan["escalate"] and _at(day + dt.timedelta(days=2), 15) <= limit  # not escalated yet
    takes = rng.choice([2, 3, 5, 7, 9, 12, 14, 16, 20, 25]) if not plan["extend"] else rng.randint(16, 28)
    plan["close_on"] = day + dt.timedelta(days=takes) if (rng.random() < 0.9 and day + dt.timedelta(days=takes)
                                                          <= today) else None
    plan["outcome"] = rng.choice(Outcome.values)
    plan["satisfaction"] = rng.choice([Satisfaction.SATISFIED] * 3 + [Satisfaction.BASIC, Satisfaction.DISSATISFIED,
                                                                      Satisfaction.UNKNOWN])
    return plan


def _apply(c: Complaint, plan) -> None:
    if plan["extend"]:
        c.due_on = due_date(c.received_on, 30)
        c.extended_at = _at(c.received_on + dt.timedelta(days=7), 10)
        c.extension_reason = "涉及产品方及上级部门核查，案情复杂"
    if plan["escalate"]:
        c.escalated_to_id, c.escalated_at = plan["quality"], _at(c.received_on + dt.timedelta(days=2), 15)
    if plan["close_on"]:
        c.status, c.closed_on, c.closed_by_id = Status.CLOSED, plan["close_on"], c.owner_id
        c.outcome, c.satisfaction = plan["outcome"], plan["satisfaction"]
        c.resolution = RESOLUTIONS[plan["outcome"]]


def _logs(c: Complaint, plan):
    limit = plan["limit"]
    accepted = min(_at(c.received_on, 9), limit)
    yield (c.pk, LogKind.ACCEPTED, f"受理投诉，答复期限：{c.original_due_on:%Y-%m-%d}", c.receiver_id,
           accepted, accepted)
    contact = _at(c.received_on + dt.timedelta(days=1), 11)
    if contact <= limit:  # today's complaints have not been followed up yet
        yield (c.pk, LogKind.CONTACT, "已联系客户了解详细情况", c.owner_id, contact, contact)
    if c.escalated_at:
        yield (c.pk, LogKind.ESCALATE, "上报品质管理经理：涉及多部门协调", c.owner_id, c.escalated_at, c.escalated_at)
    if c.extended_at:
        yield (c.pk, LogKind.EXTEND, f"答复期限延长至 {c.due_on:%Y-%m-%d}，原因：{c.extension_reason}", c.owner_id,
               c.extended_at, c.extended_at)
    if c.closed_on:
        closed = max(min(_at(c.closed_on, 16), limit), accepted)
        yield (c.pk, LogKind.CLOSE, c.resolution, c.owner_id, closed, closed)
