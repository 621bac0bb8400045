"""Demo data of the reports: every state of the chain (draft, submitted, received, returned for rework, shared),
for the client managers' monthly and semiannual reports and the centers' reports; shared semiannual analyses that
every center can read. Written through the services (the audit trail is real). Idempotent."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.core.audit import audit_context
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.core.submission import (
    get_kind,
    previous_period_start,
    receiver_for,
    submission_receive,
    submission_return,
    submission_share,
    submission_submit,
)
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import services
from .choices import ReportKindChoice as K
from .kinds import SPECS
from .models import Report

TOPICS = [("到期存款客户的稳健理财转化", "core", "稳健理财"), ("私行客户的家族信托需求", "private", "家族信托"),
          ("代发工资客户的基金定投", "premium", "基金定投"), ("养老客群的保险配置", "core", "年金保险")]
MAX_CENTERS = 6


def _first(unit_id, role):
    return User.objects.filter(unit_id=unit_id, is_active=True, role_assignments__role=role).order_by("id").first()


def _receiver_user(kind, center):
    unit = center if SPECS[kind].receiver == "own_unit" else receiver_for(get_kind(kind), center)
    if unit is None:
        return None
    roles = {UnitKind.CENTER: Role.CENTER_HEAD, UnitKind.SUBBRANCH: Role.SUBBRANCH_SERVICE,
             UnitKind.BRANCH1: Role.BRANCH_SERVICE, UnitKind.HEAD_OFFICE: Role.HQ_SERVICE}
    return _first(unit.pk, roles.get(unit.kind, Role.HQ_SERVICE))


def _fill(report, actor, text):
    first = SPECS[report.kind].sections[0][0]
    body = {key: (text if key == first else f"{label}：按计划推进。") for key, label in SPECS[report.kind].sections}
    return services.report_update(actor=actor, report=report, version=report.version, body=body)


def _advance(report, submitter, receiver, state, rng):
    """Take a filled draft to ``state``: draft, submitted, received, returned, shared."""
    if state == "draft" or receiver is None:
        return
    submission_submit(actor=submitter, report=report)
    if state == "submitted":
        return
    if state == "returned":
        submission_return(actor=receiver, report=report, comment=rng.choice(["请补充数据分析", "请补充下步措施"]))
        return
    submission_receive(actor=receiver, report=report, comment=rng.choice(["", "已阅，内容翔实", "收到"]))
    if state == "shared" and report.report_kind.shareable:
        submission_share(actor=receiver, report=report)


def seed(ctx: SeedContext) -> None:
    if Report.objects.exists():
        ctx.log(f"    reports already present: {Report.objects.count()}")
        return
    rng, today = ctx.rng, ctx.today
    centers = list(OrgUnit.objects.filter(kind=UnitKind.CENTER, is_active=True).order_by("id")[:MAX_CENTERS])
    states = ["draft", "submitted", "received", "returned"]
    with audit_context(source="command:seed_demo"):
        for index, center in enumerate(centers):
            head = _first(center.pk, Role.CENTER_HEAD)
            lobby = _first(center.pk, Role.LOBBY_MANAGER)
            cms = list(User.objects.filter(unit=center, is_active=True, role_assignments__role=Role.CLIENT_MANAGER)
                       .order_by("id")[:4])
            if head is None:
                continue
            month = previous_period_start("month", today)
            for n, cm in enumerate(cms):  # R18: this month's reports in every state, last month's received
                try:
                    older = services.report_create(actor=cm, kind=K.MONTHLY, period=previous_period_start(
                        "month", month))
                    _advance(_fill(older, cm, "上月客户资产稳中有升，重点跟进到期客户。"), cm, head, "received", rng)
                    r = services.report_create(actor=cm, kind=K.MONTHLY, period=month)
                    _advance(_fill(r, cm, "本月新增优质客户，市场利率下行，客户偏好稳健产品。"), cm, head,
                             states[(n + index) % len(states)], rng)
                except (ValidationError, PermissionDenied) as exc:
                    ctx.log(f"    skipped a monthly report: {exc}")
            half = previous_period_start("half", today)
            for n, cm in enumerate(cms[:3]):  # R19: shared (readable across centers), approved draft, proposed
                title, tier, product = TOPICS[(index + n) % len(TOPICS)]
                try:
                    r = services.report_create(actor=cm, kind=K.SEMIANNUAL, period=half, title=title, tier=tier,
                                               product=product)
                    if n == 2:
                        continue
                    r = services.topic_decide(actor=head, report=r, approve=True, note="选题贴近客户，可以。",
                                              material="参考本中心上半年到期客户清单与产品收益对比。")
                    r = _fill(r, cm, f"{title}：客户张先生（手机尾号1234）把到期存款转投{product}，"
                                     "同类客户转化率约三成。建议提前一个月联系到期客户。")
                    if n == 0:
                        _advance(r, head, _receiver_user(K.SEMIANNUAL, center), "shared", rng)
                except (ValidationError, PermissionDenied) as exc:
                    ctx.log(f"    skipped a semiannual report: {exc}")
            for n, kind in enumerate((K.OPERATING, K.COMPLAINTS_MONTHLY, K.NEEDS_QUARTERLY, K.OPERATING_QUARTERLY)):
                writer = lobby if kind == K.COMPLAINTS_MONTHLY and lobby else head
                try:
                    r = services.report_create(actor=writer, kind=kind, period=previous_period_start(
                        SPECS[kind].period, today))
                    r = _fill(r, head, "本期运营平稳，客户投诉集中在排队等候，已增开弹性窗口。")
                    _advance(r, head, _receiver_user(kind, center), states[(n + index + 1) % len(states)], rng)
                except (ValidationError, PermissionDenied) as exc:
                    ctx.log(f"    skipped a center report: {exc}")
    ctx.log(f"    reports: {Report.objects.count()}")
