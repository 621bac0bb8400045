"""Demo contacts and appointments: 90 days of contact records for every premium customer, so coverage is high
but not perfect (a few customers overdue), planned appointments for the next two weeks and completed ones linked
to their contacts. cm_c1_1 keeps a handful of overdue VIP customers for the demo. Bulk-loaded."""
import datetime as dt

from django.utils import timezone

from wealthdesk.core.bulk import copy_rows
from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import User

from .choices import AppointmentStatus, ContactKind
from .models import DEFAULT_INTERVALS, Appointment, ContactPolicy, ContactRecord

DAYS = 90
PURPOSES = ["理财产品到期提醒", "季度资产检视", "新发基金推介", "生日问候", "风险评估更新", "保险配置建议",
            "回访投诉处理结果", "邀请参加理财沙龙", "贵金属行情交流", "大额资金流向了解"]
RESPONSES = ["客户表示满意", "客户有意向，需再考虑", "客户暂不需要", "客户同意面谈", "客户关注收益率", "客户咨询赎回流程"]
PLACES = ["理财中心贵宾室", "客户办公室", "客户家中", "茶室", ""]
COLUMNS = ["created_at", "updated_at", "created_by_id", "customer_id", "staff_id", "kind", "contacted_at", "place",
           "purpose", "content", "response", "next_step", "next_contact_on", "source"]
KIND_WEIGHTS = [ContactKind.PHONE] * 5 + [ContactKind.MEETING] * 3 + [ContactKind.OTHER] * 2 + [ContactKind.MAIL]


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(ctx: SeedContext) -> None:
    for tier, months in DEFAULT_INTERVALS.items():
        ContactPolicy.objects.get_or_create(tier=tier, defaults={"interval_months": months})
    if ContactRecord.objects.exists():
        ctx.log("    contacts already present")
        return
    rng, today, now = ctx.rng, ctx.today, timezone.now()
    demo_cm = User.objects.filter(username="cm_c1_1").values_list("id", flat=True).first()
    customers = list(Customer.objects.premium().filter(client_manager__isnull=False)
                     .values_list("id", "client_manager_id", "tier").order_by("id"))
    demo_overdue = {cid for cid, cm, tier in customers if cm == demo_cm and tier in (Tier.PRIVATE, Tier.CORE)}
    demo_overdue = set(sorted(demo_overdue)[:5])

    def rows():
        for cid, cm, _tier in customers:
            if cid in demo_overdue:
                offset = rng.randint(70, 88)  # last contact in the month before last: overdue
            elif rng.random() < 0.06:
                offset = rng.randint(62, 90)
            else:
                offset = rng.randint(1, 40)
            first = True
            while offset <= DAYS:
                day = today - dt.timedelta(days=offset)
                kind = rng.choice(KIND_WEIGHTS)
                purpose = rng.choice(PURPOSES)
                next_on = day + dt.timedelta(days=30) if first else None
                yield (now, now, cm, cid, cm, kind, _at(day, rng.randint(9, 17), rng.choice((0, 15, 30, 45))),
                       rng.choice(PLACES) if kind == ContactKind.MEETING else "", purpose, f"{purpose}，沟通客户需求",
                       rng.choice(RESPONSES), rng.choice(["按约回访", "寄送产品资料", "安排面谈", ""]), next_on, "")
                first = False
                offset += rng.randint(18, 40)

    n = copy_rows(ContactRecord._meta.db_table, COLUMNS, rows())
    appts = _seed_appointments(ctx, customers)
    ctx.log(f"    contacts: +{n}, appointments: +{appts}")


def _seed_appointments(ctx: SeedContext, customers) -> int:
    """Planned visits/calls for the coming two weeks; recent meetings appear as done appointments."""
    rng, today, now = ctx.rng, ctx.today, timezone.now()
    by_cm: dict[int, list[int]] = {}
    for cid, cm, _tier in customers:
        by_cm.setdefault(cm, []).append(cid)
    new = []
    for cm, ids in by_cm.items():
        for i in range(8):
            day = today + dt.timedelta(days=0 if i < 2 else rng.randint(1, 13))
            new.append(Appointment(customer_id=rng.choice(ids), staff_id=cm, created_by_id=cm,
                                   kind=rng.choice([ContactKind.MEETING, ContactKind.PHONE]),
                                   planned_at=_at(day, 14 + i % 4, 0) if i < 2 else _at(day, rng.randint(9, 17), 30),
                                   place=rng.choice(PLACES), purpose=rng.choice(PURPOSES),
                                   status=AppointmentStatus.PLANNED))
    recent = ContactRecord.objects.filter(kind=ContactKind.MEETING, contacted_at__gte=_at(today - dt.timedelta(days=14),
                                                                                          0, 0))
    for contact_id, cid, cm, at, purpose in recent.values_list("id", "customer_id", "staff_id", "contacted_at",
                                                               "purpose").iterator():
        new.append(Appointment(customer_id=cid, staff_id=cm, created_by_id=cm, kind=ContactKind.MEETING,
                               planned_at=at, purpose=purpose, status=AppointmentStatus.DONE, contact_id=contact_id))
    Appointment.objects.bulk_create(new, batch_size=2000)
    del now
    return len(new)
