"""Demo campaigns (R25): 6–9 per center in the demo year, in every state — evaluated and ended ones with their call
lists, contacts, holdout and computed feedback; a running one with calls under way (cm_c1_1 has calls to make); an
approved, a submitted, a returned and a draft plan. Every other center falls short of the yearly quota (fewer
approved small campaigns, or no second large one). Bulk-loaded; the results come from the same selector as the
feedback page."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wealthdesk.contacts.choices import ContactKind
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.bulk import copy_objects
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors
from .choices import CallStatus, CampaignStatus, Grade, Scale
from .models import Campaign, CampaignMember, Segment
from .services import draw_holdout, record_member_outcomes

THEMES = [
    ("到期理财续作专场", "电话邀约本月理财到期客户，推介稳健型理财续作。", ["wmp"]),
    ("大额存单配置推介", "面向存款较多客户推介大额存单与定期存款组合。", ["deposit_time"]),
    ("基金定投入门沙龙", "周末理财沙龙讲解基金定投，现场预约开户。", ["fund"]),
    ("养老保险规划讲座", "邀请中年客户参加养老规划讲座，推介年金保险。", ["insurance"]),
    ("贵金属节日营销", "节前推介投资金条与纪念币。", ["metal"]),
    ("休眠客户唤醒计划", "联系长期未联系的普通优质客户，了解需求。", ["wmp", "fund"]),
    ("私行客户资产检视", "为私人银行客户做年度资产检视并配置建议。", ["bond", "wmp"]),
    ("新客户首投礼遇", "新晋优质客户首次购买理财产品礼遇活动。", ["wmp"]),
    ("国债发行预约", "储蓄国债发行前电话预约。", ["bond"]),
]
SEGMENTS = [
    {"name": "本月理财到期客户", "product_kind": "wmp", "product_held": "held"},
    {"name": "50万以上优质客户", "tiers": ["premium", "core"], "aum_min": Decimal("500000")},
    {"name": "稳健型中年客户", "risk_levels": ["C2", "C3"], "age_min": 35, "age_max": 60},
    {"name": "未持有基金的优质客户", "tiers": ["premium", "core", "private"], "product_kind": "fund",
     "product_held": "not_held"},
    {"name": "核心优质客户", "tiers": ["core"]},
    {"name": "全部优质客户", "tiers": ["premium", "core", "private"]},
]
LESSONS = ["到期前一周电话效果最好", "沙龙到场率偏低，下次提前两周邀约", "客户关注收益率，需准备对比材料",
           "对照组也有自然成交，提升需看差值"]
STATES = [CampaignStatus.EVALUATED, CampaignStatus.EVALUATED, CampaignStatus.ENDED, CampaignStatus.EVALUATED,
          CampaignStatus.RUNNING, CampaignStatus.APPROVED, CampaignStatus.SUBMITTED, CampaignStatus.RETURNED,
          CampaignStatus.DRAFT]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(ctx: SeedContext) -> None:
    # Idempotent per center: a center that has campaigns keeps them, so an interrupted seed resumes.
    present = set(Campaign.objects.values_list("center_id", flat=True).distinct())
    if present:
        ctx.log(f"    campaigns already present in {len(present)} centers")
    heads = {u.unit_id: u for u in User.objects.with_role(Role.CENTER_HEAD).select_related("unit")}
    made = members = contacts = 0
    for index, center in enumerate(OrgUnit.objects.centers().order_by("path")):
        head = heads.get(center.pk)
        if head is None or center.pk in present:
            continue
        with transaction.atomic():
            m, n, c = _seed_center(ctx, center, head, index)
        made, members, contacts = made + m, members + n, contacts + c
    ctx.log(f"    campaigns: +{made}, call-list rows: +{members}, campaign contacts: +{contacts}")


def _plan_for(index: int, k: int) -> tuple[str, str]:
    """State and scale of the k-th campaign of the index-th center: even centers meet the quota (6 small, 2 large
    approved or later), odd centers are short (4 small, 1 large)."""
    state = STATES[k % len(STATES)]
    scale = Scale.LARGE if k in (2, 5) else Scale.SMALL
    return state, scale


def _seed_center(ctx: SeedContext, center, head, index: int) -> tuple[int, int, int]:
    rng, today = ctx.rng, ctx.today
    year_start = dt.date(today.year, 1, 1)
    count = 9 if index % 2 == 0 else 7
    plans = [_plan_for(index, k) for k in range(count)]
    if index % 2 == 0:  # top up to the quota: 6 small and 2 large approved or later
        plans += [(CampaignStatus.EVALUATED, Scale.SMALL)] * 3
    made = n_members = n_contacts = 0
    for k, (state, scale) in enumerate(plans):
        theme, content, kinds = THEMES[(k + index) % len(THEMES)]
        seg_data = SEGMENTS[-1] if state == CampaignStatus.RUNNING else SEGMENTS[(k + index) % len(SEGMENTS)]
        segment = Segment(center=center, created_by=head, **seg_data)
        if not selectors.segment_filter(segment, Customer.objects.all(), today=today).exists():
            segment = Segment(center=center, created_by=head, name="全部客户")
        segment.save()
        done = state in (CampaignStatus.EVALUATED, CampaignStatus.ENDED)
        if done:
            starts = year_start + dt.timedelta(days=20 + k * 25 + rng.randint(0, 10))
            starts = min(starts, today - dt.timedelta(days=60))
        elif state == CampaignStatus.RUNNING:
            starts = today - dt.timedelta(days=7)
        else:
            starts = today + dt.timedelta(days=5 + k)
        if starts.year != today.year and state not in (CampaignStatus.SUBMITTED, CampaignStatus.RETURNED,
                                                      CampaignStatus.DRAFT, CampaignStatus.APPROVED):
            starts = year_start
        ends = starts + dt.timedelta(days=20 if scale == Scale.SMALL else 35)
        campaign = Campaign.objects.create(
            center=center, scale=scale, theme=theme if scale == Scale.SMALL else f"{theme}（大型）", content=content,
            product_kinds=kinds, segment=segment, goal_reached=rng.randint(15, 40), goal_conversions=rng.randint(3, 10),
            goal_aum=Decimal(rng.randint(10, 80) * 100000), budget=Decimal(rng.randint(2, 20) * 1000 if scale == Scale.SMALL
                                                                          else rng.randint(30, 80) * 1000),
            starts_on=starts, ends_on=ends,
            event_on=starts + dt.timedelta(days=5) if scale == Scale.LARGE or "沙龙" in theme else None,
            status=state, created_by=head,
            submitted_at=_at(starts - dt.timedelta(days=10)) if state != CampaignStatus.DRAFT else None,
            decided_at=_at(starts - dt.timedelta(days=7)) if state not in (CampaignStatus.DRAFT,
                                                                           CampaignStatus.SUBMITTED) else None,
            decided_by=head if state not in (CampaignStatus.DRAFT, CampaignStatus.SUBMITTED) else None,
            return_reason="目标客户群过宽，请聚焦到期客户" if state == CampaignStatus.RETURNED else "")
        made += 1
        if state in (CampaignStatus.RUNNING, CampaignStatus.ENDED, CampaignStatus.EVALUATED):
            m, c = _run(ctx, campaign, head, ends if done else None)
            n_members, n_contacts = n_members + m, n_contacts + c
    return made, n_members, n_contacts


def _run(ctx: SeedContext, campaign: Campaign, head, ended_on: dt.date | None) -> tuple[int, int]:
    """The call list with its holdout, calls made (contact records with the campaign as source), invitations and,
    for an ended campaign, the feedback computed by the selector."""
    rng, now = ctx.rng, timezone.now()
    customers = list(selectors.segment_filter(campaign.segment, Customer.objects.all(), today=ctx.today)
                     .values_list("pk", "client_manager_id", "aum")[:300])
    share = Decimal("0.100")
    seed = f"campaign-{campaign.pk}-{campaign.segment_id}"
    held = draw_holdout(seed, [c[0] for c in customers], share)
    rows, records = [], []
    call_days = max(1, min((campaign.ends_on - campaign.starts_on).days, (ctx.today - campaign.starts_on).days))
    for cid, cm, aum in customers:
        member = CampaignMember(campaign=campaign, customer_id=cid, client_manager_id=cm, aum_at_start=aum or 0,
                                is_holdout=cid in held, created_by=head)
        called = cm and cid not in held and rng.random() < (0.8 if ended_on else 0.4)
        if called:
            member.call_status = rng.choice([CallStatus.CONTACTED, CallStatus.INTERESTED, CallStatus.INTERESTED,
                                             CallStatus.DECLINED, CallStatus.UNREACHABLE])
            member.contacted_at = _at(campaign.starts_on + dt.timedelta(days=rng.randint(0, call_days - 1)),
                                      rng.randint(9, 17))
            if member.call_status != CallStatus.UNREACHABLE:
                records.append((member, ContactRecord(
                    customer_id=cid, staff_id=cm, kind=rng.choice([ContactKind.PHONE, ContactKind.MEETING]),
                    contacted_at=member.contacted_at, purpose=f"营销活动：{campaign.theme}"[:200],
                    content="介绍活动产品", response="客户有意向" if member.call_status == CallStatus.INTERESTED
                    else "客户已了解", source=f"campaign:{campaign.pk}", created_by_id=cm)))
            if campaign.event_on and member.call_status == CallStatus.INTERESTED:
                member.invited = True
                member.attended = bool(ended_on) and rng.random() < 0.6
        rows.append(member)
    copy_objects([r for _m, r in records])  # COPY: the ORM's bulk insert was most of the large seed's time
    for member, record in records:
        member.contact = record
    copy_objects(rows)
    campaign.holdout_share, campaign.holdout_seed = share, seed
    campaign.started_at = _at(campaign.starts_on, 9)
    fields = ["holdout_share", "holdout_seed", "started_at"]
    if ended_on:
        campaign.ended_at = _at(ended_on, 18)
        campaign.spent = (campaign.budget * Decimal(rng.randint(70, 115)) / 100).quantize(Decimal("0.01"))
        campaign.staffing_note = f"{rng.randint(2, 5)} 名客户经理，负责人督导"
        campaign.lessons = rng.choice(LESSONS)
        results = selectors.compute_results(campaign, today=ctx.today)
        results.pop("converted_ids"), results.pop("gains")
        record_member_outcomes(campaign, today=ctx.today)
        campaign.results, campaign.feedback_at, campaign.feedback_by = results, _at(ended_on + dt.timedelta(days=3)), head
        fields += ["ended_at", "spent", "staffing_note", "lessons", "results", "feedback_at", "feedback_by"]
        if campaign.status == CampaignStatus.EVALUATED:
            campaign.grade = rng.choice([Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.FAIR])
            campaign.evaluation = "目标基本达成，对照组对比显示有提升" if campaign.grade != Grade.FAIR else "联系面偏窄，需改进"
            campaign.evaluated_at, campaign.evaluated_by = _at(ended_on + dt.timedelta(days=5)), head
            fields += ["grade", "evaluation", "evaluated_at", "evaluated_by"]
    Campaign.objects.filter(pk=campaign.pk).update(**{f: getattr(campaign, f) for f in fields}, updated_at=now)
    return len(rows), len(records)
