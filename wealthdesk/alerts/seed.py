"""Demo alerts: make sure the default rules exist, scan the last days of corebanking's demo data (R6) and
work a few alerts through so every status shows (new, following up, closed awaiting review, reviewed, reopened).
If the demo transactions trigger nothing, a few large outflows are added for premium customers first."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.staff.models import User

from . import services
from .choices import CloseReason
from .models import Alert, AlertRule
from .rules import ensure_default_rules

SCAN_DAYS = 7
REASONS = [CloseReason.MATURITY, CloseReason.OTHER_BANK, CloseReason.LARGE_PURCHASE, CloseReason.BUSINESS,
           CloseReason.DISSATISFIED]
MEASURES = ["已电话联系客户核实，资金用于到期产品赎回后的再配置，已推荐新一期理财。",
            "客户转至他行购买高收益产品，已上门拜访并介绍我行同类产品。",
            "客户购房支付首付，已推荐我行按揭贷款及后续定期储蓄。",
            "企业经营周转需要，已记录回流时间并约定跟进。",
            "客户对排队时间不满，已致歉并安排绿色通道，报告负责人改进。"]


def _demo_outflows(ctx: SeedContext) -> int:
    """A handful of large outflows for premium customers on the last working days (only if none trigger)."""
    from wealthdesk.corebanking.models import Transaction
    from wealthdesk.customers.models import Customer

    customers = list(Customer.objects.filter(tier__in=["private", "core", "premium"], client_manager__isnull=False)
                     .order_by("id").values_list("id", "tier")[:400:10])
    amounts = {"private": Decimal("1500000"), "core": Decimal("650000"), "premium": Decimal("260000")}
    rows = []
    for i, (customer_id, tier) in enumerate(customers):
        day = ctx.today - dt.timedelta(days=1 + i % SCAN_DAYS)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + i % 8, 15)))
        rows.append(Transaction(external_id=f"DEMO-ALERT-{customer_id}", customer_id=customer_id,
                                account_no=f"6222{customer_id:015d}", occurred_at=at, amount=amounts[tier],
                                direction="out", channel=["mobile", "counter", "online"][i % 3],
                                counterparty_kind="other_bank" if i % 4 == 0 else "own_bank"))
    Transaction.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def seed(ctx: SeedContext) -> None:
    ensure_default_rules(AlertRule)
    if Alert.objects.exists():
        ctx.log(f"    alerts already present: {Alert.objects.count()}")
        return
    days = [ctx.today - dt.timedelta(days=k) for k in range(SCAN_DAYS, 0, -1)]
    for day in days:
        services.alerts_scan(as_of=day)
    if not Alert.objects.exists():
        ctx.log(f"    demo large outflows: +{_demo_outflows(ctx)}")
        for day in days:
            services.alerts_scan(as_of=day)
    _work_some(ctx)
    ctx.log(f"    alerts: {Alert.objects.count()} ({dict(_status_counts())})")


def _status_counts():
    from django.db.models import Count

    return Alert.objects.values_list("status").annotate(n=Count("id")).order_by("status")


def _work_some(ctx: SeedContext) -> None:
    heads = {u.unit_id: u for u in User.objects.filter(role_assignments__role=Role.CENTER_HEAD)}
    alerts = list(Alert.objects.filter(assigned_to__isnull=False).select_related("assigned_to").order_by("id")[:60])
    for i, alert in enumerate(alerts):
        cm, head = alert.assigned_to, heads.get(alert.center_id)
        step = i % 6
        if step == 0:
            continue  # stays new (some of them overdue by now)
        services.alert_follow_up(actor=cm, alert=alert, note="已电话联系客户，了解资金去向。")
        if step == 1:
            continue  # following up
        reason = REASONS[i % len(REASONS)]
        services.alert_close(actor=cm, alert=alert, reason=reason, measures=MEASURES[i % len(MEASURES)])
        if head is None or step == 2:
            continue  # closed, awaiting the head's review
        if step == 5:
            services.alert_reopen(actor=head, alert=alert, reason="原因说明不充分，请再次联系客户核实。")
            continue
        services.alert_review(actor=head, alert=alert, comment="原因属实，措施得当。")

