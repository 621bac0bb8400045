"""Demo data of the up-and-down linkage (R5, R40): cases handed up and back across three levels (answered and
closed, answered waiting for the center, held at the branch — some overdue — taken at the sub-branch, open at the
center), head-office private-banking relationship managers with joint teams and plans for private-banking
customers, and two published bulletin issues with recipients. Uses the services (a few dozen rows)."""
from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.contrib.auth.hashers import make_password

from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import DEMO_PASSWORD, SeedContext
from wealthdesk.core.submission import PeriodKind, period_start_of, submission_receive, submission_submit
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import Agreement, AgreementAcceptance, StaffRole, User

from . import bulletins, joint, market, services
from .choices import PlanItemKind, ServiceLevel, SubjectKind
from .models import BulletinIssue, BulletinReceipt, Case, JointTeam, MarketInfoReport

HQ_MANAGERS = ["pb_hq_1", "pb_hq_2"]  # head-office private-banking relationship managers (client managers at HQ)
CENTERS_WITH_CASES = 4
QUESTIONS = ["客户大额资金拟转出，需上级协调优惠利率", "客户投诉涉及跨行转账，需分行协调清算部门",
             "客户要求定制家族信托方案，本中心无此产品", "问题涉及系统功能，需总行个金部协调科技部门",
             "客户外汇购汇额度超出本级权限", "客户希望参加总行私人银行活动"]
ANSWERS = ["已协调，可按优惠利率执行，请理财中心联系客户。", "已与清算部门确认，款项三个工作日内退回。",
           "总行可提供家族信托方案，已安排专家联系。", "科技部门已排期修复，下月上线。"]


def _staff(role, unit):
    return User.objects.filter(unit=unit, role_assignments__role=role, is_active=True).order_by("id").first()


def _ancestor(unit, kinds):
    parts = [p for p in unit.path.split("/") if p]
    paths = ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]
    return OrgUnit.objects.filter(path__in=paths, kind__in=kinds).order_by("-depth").first()


def _hq_managers(ctx, hq):
    agreement = Agreement.objects.order_by("-effective_from").first()
    out = []
    for username in HQ_MANAGERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(username=username, full_name=f"{ctx.faker.last_name()}{ctx.faker.first_name()}",
                                       password=make_password(DEMO_PASSWORD), unit=hq,
                                       employee_no=f"PB{len(out) + 1:05d}")
            StaffRole.objects.create(user=user, role=Role.CLIENT_MANAGER)
            if agreement:
                AgreementAcceptance.objects.get_or_create(user=user, agreement=agreement)
        out.append(user)
    return out


def seed(ctx: SeedContext) -> None:
    """Each part is skipped when its data exists (idempotent)."""
    hq = OrgUnit.objects.filter(kind=UnitKind.HEAD_OFFICE).order_by("id").first()
    if hq is None:
        return
    hq_service = _staff(Role.HQ_SERVICE, hq)
    managers = _hq_managers(ctx, hq)
    n_cases = 0 if Case.objects.exists() else _seed_cases(ctx, hq_service)
    n_teams = 0 if JointTeam.objects.exists() else _seed_joint(ctx, hq_service, managers)
    n_issues = 0 if BulletinIssue.objects.exists() else _seed_bulletins(ctx, hq_service, hq)
    n_reports = 0 if MarketInfoReport.objects.exists() else _seed_market(ctx, hq_service)
    ctx.log(f"    cases: {n_cases}, joint teams: {n_teams}, bulletin issues: {n_issues}, market reports: {n_reports}")


def _subjects(center):
    Complaint = apps.get_model("complaints", "Complaint")
    Problem = apps.get_model("meetings", "Problem")
    out = []
    cust = Customer.objects.filter(center=center).exclude(tier=Tier.ORDINARY).order_by("-aum_avg", "id").first()
    if cust:
        out.append((SubjectKind.CUSTOMER, cust.pk))
    comp = Complaint.objects.filter(center=center).order_by("-id").first()
    if comp:
        out.append((SubjectKind.COMPLAINT, comp.pk))
    prob = Problem.objects.filter(center=center).order_by("-id").first()
    if prob:
        out.append((SubjectKind.PROBLEM, prob.pk))
    return out


def _seed_cases(ctx: SeedContext, hq_service) -> int:
    centers = list(OrgUnit.objects.filter(kind=UnitKind.CENTER, is_active=True).order_by("path")[:CENTERS_WITH_CASES])
    made = 0
    for no, center in enumerate(centers):
        head = _staff(Role.CENTER_HEAD, center)
        sub = _ancestor(center, [UnitKind.SUBBRANCH])
        branch = _ancestor(center, [UnitKind.BRANCH1, UnitKind.BRANCH2])
        sub_staff, branch_staff = _staff(Role.SUBBRANCH_SERVICE, sub), _staff(Role.BRANCH_SERVICE, branch)
        subjects = _subjects(center)
        if head is None or not subjects or None in (sub, branch, sub_staff, branch_staff, hq_service):
            continue

        def open_(i, to_unit=None, level=ServiceLevel.STANDARD, head=head, subjects=subjects, no=no):
            kind, sid = subjects[i % len(subjects)]
            return services.case_open(actor=head, subject_kind=kind, subject_id=sid,
                                      title=QUESTIONS[(no + i) % len(QUESTIONS)][:20],
                                      question=QUESTIONS[(no + i) % len(QUESTIONS)], service_level=level,
                                      to_unit=to_unit)
        # three levels up, answered by head office, closed by the center
        c = open_(0, sub)
        services.case_take(actor=sub_staff, case=c)
        services.case_hand_up(actor=sub_staff, case=c, to_unit=branch, note="超出支行权限，转报分行")
        services.case_take(actor=branch_staff, case=c)
        services.case_hand_up(actor=branch_staff, case=c, to_unit=hq_service.unit, note="需总行协调")
        services.case_take(actor=hq_service, case=c)
        services.case_answer(actor=hq_service, case=c, answer=ANSWERS[no % len(ANSWERS)])
        services.case_close(actor=head, case=c, note="已告知客户经理，客户满意")
        # answered by the branch, waiting for the center to close
        c = open_(1, branch)
        services.case_take(actor=branch_staff, case=c)
        services.case_answer(actor=branch_staff, case=c, answer=ANSWERS[(no + 1) % len(ANSWERS)])
        # held at the branch, overdue (the level above sees it)
        c = open_(2, branch, ServiceLevel.URGENT)
        Case.objects.filter(pk=c.pk).update(due_on=ctx.today - dt.timedelta(days=3))
        # taken at the sub-branch, in time
        c = open_(3, sub)
        services.case_take(actor=sub_staff, case=c)
        # open at the center
        open_(4)
        made += 5
    return made


def _seed_joint(ctx: SeedContext, hq_service, managers) -> int:
    if hq_service is None or not managers:
        return 0
    private = list(Customer.objects.filter(tier=Tier.PRIVATE, client_manager__isnull=False)
                   .order_by("center__path", "-aum_avg", "id")[:12])
    made = 0
    for i, customer in enumerate(private):
        team = JointTeam.objects.filter(customer=customer).first() or joint.joint_team_create(
            actor=hq_service, customer=customer, hq_manager=managers[i % len(managers)],
            started_on=ctx.today - dt.timedelta(days=180), note="总行私人银行与理财中心联合服务，季度检视")
        cm = customer.client_manager
        done = joint.plan_item_add(actor=cm, team=team, kind=PlanItemKind.REVIEW, title="季度资产配置检视",
                                   planned_on=ctx.today - dt.timedelta(days=30))
        joint.plan_item_record(actor=team.hq_manager, item=done, held_on=min(ctx.today - dt.timedelta(days=28),
                                                                           dt.date.today()),
                               outcome="调整固收比例至 60%，客户认可")
        joint.plan_item_add(actor=team.hq_manager, team=team, kind=PlanItemKind.MEETING, title="面谈家族信托方案",
                            planned_on=ctx.today + dt.timedelta(days=10))
        made += 1
    return made


def _seed_bulletins(ctx: SeedContext, hq_service, hq) -> int:
    if hq_service is None:
        return 0
    issues = [
        ("2026-第3期", "秋季资产配置展望", [("宏观经济与市场展望", "四季度宏观经济稳中有进……"),
                                           ("贵金属投资小知识", "黄金在资产配置中的作用……")]),
        ("2026-第4期", "岁末理财与税务筹划", [("年终奖理财建议", "合理安排流动性与收益……"),
                                             ("个人所得税专项附加扣除", "年度汇算前的准备……")]),
    ]
    made = 0
    for issue_no, title, articles in issues:
        issue = bulletins.issue_create(actor=hq_service, issue_no=issue_no, title=title, articles=articles)
        bulletins.issue_publish(actor=hq_service, issue=issue, tiers=[Tier.PRIVATE, Tier.CORE], units=[hq])
        made += 1
        # each center's client managers marked some of their customers (every other issue reaches fewer)
        cms = User.objects.filter(role_assignments__role=Role.CLIENT_MANAGER, unit__kind=UnitKind.CENTER,
                                  is_active=True).order_by("id")[:20]
        rows = []
        for cm in cms:
            ids = list(Customer.objects.filter(client_manager=cm, tier__in=[Tier.PRIVATE, Tier.CORE])
                       .order_by("id").values_list("pk", "center_id")[: 6 if made == 1 else 3])
            rows += [BulletinReceipt(issue=issue, customer_id=cid, center_id=center_id, marked_by=cm, created_by=cm)
                     for cid, center_id in ids]
        BulletinReceipt.objects.bulk_create(rows, ignore_conflicts=True)
    return made




def _seed_market(ctx: SeedContext, hq_service) -> int:
    """Each tier-1 branch with a customer-service section: last quarter's report submitted and received by head
    office, this quarter's a draft."""
    made = 0
    for branch in OrgUnit.objects.filter(kind=UnitKind.BRANCH1, is_active=True).order_by("path"):
        writer = _staff(Role.BRANCH_SERVICE, branch)
        if writer is None:
            continue
        this_quarter = period_start_of(PeriodKind.QUARTER, ctx.today)
        last = market.report_create(actor=writer, day=this_quarter - dt.timedelta(days=1))
        last = market.report_update(actor=writer, report=last, version=last.version,
                                    market="区域理财需求旺盛，大额存单到期集中", customers="核心客户关系稳定，流失 2 户",
                                    competitors="同业推出高收益结构性存款", suggestions="建议总行增加大额存单额度")
        submission_submit(actor=writer, report=last)
        if hq_service is not None:
            submission_receive(actor=hq_service, report=last, comment="已阅，纳入总行季度分析")
        market.report_create(actor=writer, day=ctx.today)
        made += 2
    return made
