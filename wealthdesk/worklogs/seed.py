"""Demo worklogs: 90 days of daily logs (mostly submitted, most reviewed, about half commented), debriefs for
most working days, and help-needed items in every state. Figures come from the seeded contacts. cm_c1_1's log
for today stays unsubmitted and without a debrief, so the workbench reminder and the head's view show it."""
import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.calendar import working_days_between
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.staff.models import User

from .choices import DebriefMode, HelpStatus, LogStatus
from .models import DailyLog, Debrief, HelpRequest

DAYS = 90
PRODUCTS = ["稳健理财", "货币基金", "债券基金", "混合基金", "大额存单", "年金保险", "贵金属"]
DIFFICULTIES = ["客户对净值波动有顾虑，赎回意愿强", "竞争行高收益产品分流客户", "大额资金转出挽留困难",
                "客户资料不全，无法办理风险评估", "系统查询客户持仓速度慢", "产品额度不足"]
HELP = ["需要基金公司专家陪访", "需要分行协调产品额度", "需要个金部提供竞品分析", "需要负责人一起拜访重点客户"]
COMMENTS = ["已阅，注意跟进到期客户", "很好，继续保持", "请加强新客户拓展", "困难已记录，周会讨论", "销售节奏不错"]


def seed(ctx: SeedContext) -> None:
    if DailyLog.objects.exists():
        ctx.log("    worklogs already present")
        return
    rng, today, now = ctx.rng, ctx.today, timezone.now()
    start = today - dt.timedelta(days=DAYS)
    managers = list(User.objects.filter(role_assignments__role=Role.CLIENT_MANAGER, unit__isnull=False)
                    .select_related("team").order_by("id"))
    heads = dict(User.objects.filter(role_assignments__role=Role.CENTER_HEAD).values_list("unit_id", "id"))
    contacts = {(r["staff_id"], r["day"]): r["n"] for r in ContactRecord.objects.filter(
        contacted_at__date__gte=start).annotate(day=TruncDate("contacted_at")).values("staff_id", "day")
        .annotate(n=Count("id"))}
    days = working_days_between(start, today)
    logs, debriefs, pending_help = [], [], []
    for m in managers:
        lead = m.team.lead_id if m.team_id and m.team and m.team.lead_id else None
        reviewer = heads.get(m.unit_id) or lead
        for day in days:
            is_today = day == today
            if is_today and m.username == "cm_c1_1":
                continue
            if rng.random() < (0.5 if is_today else 0.04):
                continue  # a missing log
            n_contacts = contacts.get((m.pk, day), 0)
            sold = rng.random() < 0.35
            amount = Decimal(rng.randint(5, 200) * 10000) if sold else Decimal("0")
            status = LogStatus.SUBMITTED
            reviewed_by = reviewed_at = None
            comment = ""
            if (today - day).days > 2 and reviewer and rng.random() < 0.88:
                status, reviewed_by = LogStatus.REVIEWED, reviewer
                reviewed_at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9, 30)))
                comment = rng.choice(COMMENTS) if rng.random() < 0.6 else ""
            difficulty = rng.choice(DIFFICULTIES) if rng.random() < 0.15 else ""
            help_needed = rng.choice(HELP) if difficulty and rng.random() < 0.6 else ""
            submitted = timezone.make_aware(dt.datetime.combine(day, dt.time(17, rng.randint(0, 59))))
            logs.append(DailyLog(
                staff_id=m.pk, center_id=m.unit_id, log_date=day, status=status, version=rng.choice((1, 2, 3)),
                figures={"contacts": {"label": "联系客户次数", "value": n_contacts, "unit": ""}},
                customers_contacted=n_contacts, new_customers=rng.choice((0, 0, 0, 1, 2)),
                products_sold=f"{rng.choice(PRODUCTS)} {amount / 10000:.0f} 万元" if sold else "",
                sales_amount=amount, referrals_followed=rng.choice((0, 0, 1, 2)),
                marketing_leads="客户朋友有理财需求，约下周面谈" if rng.random() < 0.2 else "",
                relationship_maintenance=f"电话/会面维护客户 {n_contacts} 户",
                target_progress=f"本月销售目标完成 {rng.randint(30, 110)}%", difficulties=difficulty,
                help_needed=help_needed, submitted_at=submitted, reviewed_by_id=reviewed_by,
                reviewed_at=reviewed_at, review_comment=comment, created_by_id=m.pk))
            if help_needed:
                pending_help.append((m.pk, day, help_needed))
            if not is_today and rng.random() < 0.9 and (lead or reviewer):
                debriefs.append(Debrief(staff_id=m.pk, supervisor_id=lead or reviewer, center_id=m.unit_id,
                                        debrief_date=day, created_by_id=lead or reviewer,
                                        mode=DebriefMode.FACE if rng.random() < 0.8 else DebriefMode.PHONE))
    DailyLog.objects.bulk_create(logs, batch_size=2000)
    Debrief.objects.bulk_create(debriefs, batch_size=2000)
    log_ids = dict(((s, d), i) for i, s, d in DailyLog.objects.values_list("id", "staff_id", "log_date"))
    units = {m.pk: m.unit_id for m in managers}
    items = []
    for staff_id, day, text in pending_help:
        age = (today - day).days
        status = (HelpStatus.RESOLVED if age > 20 and rng.random() < 0.8 else
                  rng.choice([HelpStatus.OPEN, HelpStatus.IN_PROGRESS, HelpStatus.ESCALATED]))
        items.append(HelpRequest(log_id=log_ids[(staff_id, day)], staff_id=staff_id, center_id=units[staff_id],
                                 text=text, status=status, created_by_id=staff_id,
                                 resolution="已协调解决，反馈客户经理" if status == HelpStatus.RESOLVED else "",
                                 resolved_at=now if status == HelpStatus.RESOLVED else None))
    HelpRequest.objects.bulk_create(items, batch_size=2000)
    ctx.log(f"    daily logs: +{len(logs)}, debriefs: +{len(debriefs)}, help items: +{len(items)}")
