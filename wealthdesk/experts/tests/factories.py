"""Test helpers: the pool of the personas world (advisor_1 at head office, expert_1 at the first branch) with
weekday availability, and consultations of cm_c1_1 on cust_a (core premium, own book)."""
import datetime as dt

from django.utils import timezone

from wealthdesk.experts import services
from wealthdesk.experts.choices import ExpertKind, Level
from wealthdesk.experts.models import AvailabilitySlot, PoolMember


def pool(world):
    existing = {m.user.username: m for m in PoolMember.objects.select_related("user")}
    if "advisor_1" not in existing:
        existing["advisor_1"] = services.member_add(
            actor=world.hq_service, user=world.advisor_1, kind=ExpertKind.ADVISOR, unit=world.hq,
            specialties=["funds", "insurance"], company="华夏基金管理有限公司",
            engagement_ends_on=timezone.localdate() + dt.timedelta(days=90))
        existing["expert_1"] = services.member_add(
            actor=world.branch1_service, user=world.expert_1, kind=ExpertKind.EXPERT, unit=world.branch1,
            specialties=["funds", "tax", "estate"])
        for member in existing.values():
            AvailabilitySlot.objects.bulk_create([AvailabilitySlot(member=member, weekday=d, start_time=dt.time(9),
                                                                   end_time=dt.time(17)) for d in range(7)])
    return existing


def ask(world, *, named=None, level=Level.BRANCH, specialty="funds", question="客户想调整基金配置", customer=None):
    members = pool(world)
    return services.consultation_ask(actor=world.cm_c1_1, customer=customer or world.cust_a, question=question,
                                     specialty=specialty, level=None if named else level,
                                     requested_expert=members[named] if named else None)


def answered(world, named="advisor_1"):
    c = ask(world, named=named)
    user = world.users[named]
    services.consultation_take(actor=user, consultation=c)
    services.consultation_answer(actor=user, consultation=c, text="建议分批调整为均衡配置")
    c.refresh_from_db()
    return c
