"""Demo customer voice (R20–R24): 90 days of needs cards per client manager with questions (on the spot and
routed, most told in time, some late, some still open and overdue), a head-office and a branch survey with
responses, opinion-book entries per center, and last month's submitted summaries. Bulk-loaded; idempotent."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors
from .choices import (
    AnswerRoute,
    NeedCategory,
    OpinionKind,
    OpinionStatus,
    QuestionStatus,
    ReportStatus,
    SurveyQuestionKind,
    SurveyStatus,
)
from .models import (
    NeedItem,
    NeedsCard,
    NeedsQuestion,
    NeedsSummary,
    Opinion,
    Survey,
    SurveyQuestion,
    SurveyReport,
    SurveyResponse,
)
from .services.needs import question_due_on

DAYS = 90
CARDS_PER_CM = {"small": 14, "medium": 10, "large": 6}
NEEDS = {
    NeedCategory.INVESTMENT: ["希望配置稳健型理财产品", "关注基金定投", "想了解私募与信托产品", "到期资金再投资"],
    NeedCategory.DEPOSIT: ["大额存单额度", "定期存款利率比较", "外币存款"],
    NeedCategory.LOAN: ["房贷提前还款", "经营贷额度", "消费贷利率"],
    NeedCategory.INSURANCE: ["子女教育金保险", "养老年金保险", "重疾险保障缺口"],
    NeedCategory.PAYMENTS: ["信用卡提额", "境外消费免手续费", "代发工资"],
    NeedCategory.CHANNEL: ["手机银行操作指导", "希望周末办理业务", "预约上门服务"],
    NeedCategory.OTHER: ["家族财富传承咨询", "出国留学金融服务"],
}
QUESTIONS = [
    ("基金赎回几天到账？", "一般T+3个工作日到账"), ("理财产品收益如何计算？", "按实际存续天数和业绩比较基准计算"),
    ("大额存单能否提前支取？", "可以，提前支取部分按活期计息"), ("外币理财能否提前赎回？", "按产品说明书，开放日可赎回"),
    ("养老金保险能否趸交？", "可以选择趸交或期交"), ("房贷提前还款有无违约金？", "满一年后提前还款免违约金"),
    ("信用卡额度如何提升？", "按用卡情况定期评估，可申请临时额度"), ("私人银行服务门槛是多少？", "月日均资产600万元以上"),
]
ROUTES = [(AnswerRoute.ON_SPOT, 50), (AnswerRoute.SUPERVISOR, 20), (AnswerRoute.TEAM_LEAD, 12),
          (AnswerRoute.CENTER_HEAD, 10), (AnswerRoute.BRANCH, 6), (AnswerRoute.HEAD_OFFICE, 2)]
OPINIONS = [
    (OpinionKind.OPINION, "希望周末也能办理理财业务"), (OpinionKind.NEED, "想了解适合退休人员的稳健理财"),
    (OpinionKind.PRAISE, "客户经理讲解很耐心，服务很好"), (OpinionKind.COMPLAINT, "排队时间太长，希望多开窗口"),
    (OpinionKind.OPINION, "贵宾室饮水机经常没水"), (OpinionKind.NEED, "希望举办基金投资讲座"),
    (OpinionKind.OPINION, "手机银行理财页面不好找"), (OpinionKind.PRAISE, "大堂经理主动引导，办理很快"),
]
SURVEY_QUESTIONS = [
    (SurveyQuestionKind.SINGLE, "您最看重投资的哪一点？", ["收益", "安全", "流动性"]),
    (SurveyQuestionKind.MULTIPLE, "您目前持有哪些产品？", ["存款", "理财", "基金", "保险", "贵金属"]),
    (SurveyQuestionKind.SCALE, "您对本中心服务的满意度", []),
    (SurveyQuestionKind.TEXT, "您还希望我们提供哪些服务？", []),
]
BRANCH_QUESTIONS = [
    (SurveyQuestionKind.SINGLE, "您计划何时开始养老储备？", ["已开始", "一年内", "三年内", "暂无计划"]),
    (SurveyQuestionKind.SCALE, "您对养老理财产品的兴趣", []),
]
TEXTS = ["希望多办投资讲座", "希望提供上门服务", "希望增加贵宾窗口", "定期推送市场分析", ""]


def _weighted(rng, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _people() -> dict[int, dict[str, list[int]]]:
    people: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for uid, unit_id, role in User.objects.filter(unit__kind=UnitKind.CENTER, is_active=True).order_by("id") \
            .values_list("id", "unit_id", "role_assignments__role"):
        people[unit_id][role].append(uid)
    return people


def seed(ctx: SeedContext) -> None:
    if NeedsCard.objects.exists():
        ctx.log(f"    needs cards already present: {NeedsCard.objects.count()}")
        return
    centers = list(OrgUnit.objects.filter(kind=UnitKind.CENTER, is_active=True).order_by("id"))
    people = _people()
    customers: dict[int, list[int]] = defaultdict(list)
    for cid, cm_id in Customer.objects.exclude(tier=Tier.ORDINARY).filter(client_manager__isnull=False) \
            .order_by("id").values_list("id", "client_manager_id"):
        if len(customers[cm_id]) < 60:
            customers[cm_id].append(cid)
    _seed_cards(ctx, centers, people, customers)
    surveys = _seed_surveys(ctx, centers, people, customers)
    _seed_opinions(ctx, centers, people)
    _seed_reports(ctx, centers, people, surveys)


def _targets(center: OrgUnit) -> dict[str, int]:
    ancestors = list(center.ancestors())
    branch = [u for u in ancestors if u.kind in (UnitKind.BRANCH1, UnitKind.BRANCH2)]
    hq = [u for u in ancestors if u.kind == UnitKind.HEAD_OFFICE]
    return {AnswerRoute.BRANCH: branch[-1].pk if branch else center.pk, AnswerRoute.HEAD_OFFICE: hq[0].pk if hq
            else center.pk}


def _seed_cards(ctx, centers, people, customers) -> None:
    rng, today = ctx.rng, ctx.today
    per_cm = CARDS_PER_CM.get(ctx.size, 6)
    cards, plans = [], []
    for center in centers:
        staff = people.get(center.pk, {})
        targets = _targets(center)
        for cm_id in staff.get(Role.CLIENT_MANAGER, []):
            for _i in range(per_cm if customers.get(cm_id) else 0):
                day = today - dt.timedelta(days=rng.randint(0, DAYS))
                cats = rng.sample(list(NEEDS), k=rng.choice([1, 1, 2, 2, 3]))
                cards.append(NeedsCard(customer_id=rng.choice(customers[cm_id]), center=center, client_manager_id=cm_id,
                                       card_date=day, notes="", created_by_id=cm_id))
                plans.append((cats, staff, targets, day, cm_id))
    NeedsCard.objects.bulk_create(cards, batch_size=2000)
    items, questions = [], []
    for card, (cats, staff, targets, day, cm_id) in zip(cards, plans, strict=True):
        items += [NeedItem(card=card, category=c, detail=rng.choice(NEEDS[c])) for c in cats]
        for _q in range(rng.choice([0, 1, 1, 2])):
            q = _question(rng, today, card, staff, targets, day, cm_id)
            if q is not None:
                questions.append(q)
    remarks = [c for c in cards if c.remarks]
    NeedItem.objects.bulk_create(items, batch_size=5000)
    NeedsQuestion.objects.bulk_create(questions, batch_size=5000)
    NeedsCard.objects.bulk_update(remarks, ["remarks"], batch_size=2000)
    ctx.log(f"    needs cards: {len(cards)}, questions: {len(questions)}")


def _question(rng, today, card, staff, targets, day, cm_id) -> NeedsQuestion | None:
    text, answer = rng.choice(QUESTIONS)
    route = _weighted(rng, ROUTES)
    q = NeedsQuestion(card=card, center_id=card.center_id, asked_on=day, text=text, route=route, created_by_id=cm_id)
    if route == AnswerRoute.ON_SPOT:
        q.target_unit_id, q.due_on, q.status = card.center_id, day, QuestionStatus.TOLD
        q.answer, q.answered_by_id, q.answered_on, q.told_on, q.told_by_id = answer, cm_id, day, day, cm_id
        card.remarks = (card.remarks + "\n" if card.remarks else "") + f"{day:%Y-%m-%d} 客户问：{text}；当场答复：{answer}"
        return q
    role = {AnswerRoute.SUPERVISOR: Role.BUSINESS_SUPERVISOR, AnswerRoute.TEAM_LEAD: Role.TEAM_LEAD,
            AnswerRoute.CENTER_HEAD: Role.CENTER_HEAD}.get(route)
    answerers = staff.get(role, []) if role else []
    if role and not answerers:
        return None
    q.target_unit_id = targets.get(route, card.center_id)
    q.assignee_id = answerers[0] if route in (AnswerRoute.SUPERVISOR, AnswerRoute.TEAM_LEAD) else None
    q.due_on = question_due_on(day)
    roll = rng.random()
    age = (today - day).days
    if age < 3 or roll < 0.08:  # still open (old ones are overdue)
        return q
    answered = min(today, day + dt.timedelta(days=rng.randint(1, 12 if roll < 0.2 else 8)))
    q.answer, q.answered_on, q.status = answer, answered, QuestionStatus.ANSWERED
    q.answered_by_id = answerers[0] if answerers else cm_id
    if roll < 0.14:  # answered, the customer not told yet
        return q
    q.told_on = min(today, answered + dt.timedelta(days=rng.choice([0, 0, 1, 2, 5])))
    q.told_by_id, q.status = cm_id, QuestionStatus.TOLD
    return q


def _make_survey(title, unit, creator, questions, starts_on) -> Survey:
    survey = Survey.objects.create(title=title, owner_unit=unit, status=SurveyStatus.OPEN, starts_on=starts_on,
                                   created_by_id=creator, description="")
    SurveyQuestion.objects.bulk_create([SurveyQuestion(survey=survey, position=i, kind=k, text=t, options=o)
                                        for i, (k, t, o) in enumerate(questions, start=1)])
    return survey


def _answer(rng, question: SurveyQuestion):
    if question.kind == SurveyQuestionKind.SINGLE:
        return rng.choice(question.options)
    if question.kind == SurveyQuestionKind.MULTIPLE:
        return [o for o in question.options if rng.random() < 0.45] or [question.options[0]]
    if question.kind == SurveyQuestionKind.SCALE:
        return rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 6, 12, 9])[0]
    return rng.choice(TEXTS) or None


def _seed_surveys(ctx, centers, people, customers) -> list[Survey]:
    rng, today = ctx.rng, ctx.today
    hq = OrgUnit.objects.filter(kind=UnitKind.HEAD_OFFICE).first()
    b1 = OrgUnit.objects.filter(code="B1").first()
    hq_user = User.objects.filter(role_assignments__role=Role.HQ_SERVICE).values_list("id", flat=True).first()
    b_user = User.objects.filter(role_assignments__role=Role.BRANCH_SERVICE).values_list("id", flat=True).first()
    surveys = []
    if hq is not None:
        surveys.append(_make_survey("客户投资偏好调研", hq, hq_user, SURVEY_QUESTIONS, today - dt.timedelta(days=DAYS)))
    if b1 is not None:
        surveys.append(_make_survey("养老理财需求调研", b1, b_user, BRANCH_QUESTIONS, today - dt.timedelta(days=45)))
    rows = []
    for survey in surveys:
        questions = list(survey.questions.all())
        span = (today - survey.starts_on).days
        for center in centers:
            if not center.path.startswith(survey.owner_unit.path):
                continue
            for cm_id in people.get(center.pk, {}).get(Role.CLIENT_MANAGER, []):
                for cid in rng.sample(customers.get(cm_id, []), k=min(6, len(customers.get(cm_id, [])))):
                    answers = {str(q.pk): a for q in questions if (a := _answer(rng, q)) is not None}
                    rows.append(SurveyResponse(survey=survey, customer_id=cid, center=center, client_manager_id=cm_id,
                                               responded_on=survey.starts_on + dt.timedelta(days=rng.randint(0, span)),
                                               answers=answers, created_by_id=cm_id))
    SurveyResponse.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"    surveys: {len(surveys)}, responses: {len(rows)}")
    return surveys


def _seed_opinions(ctx, centers, people) -> None:
    rng, today = ctx.rng, ctx.today
    outlets = defaultdict(list)
    for outlet in OrgUnit.objects.filter(kind=UnitKind.OUTLET, is_active=True):
        outlets[outlet.parent_id].append(outlet)
    rows = []
    for center in centers:
        staff = people.get(center.pk, {})
        cms = staff.get(Role.CLIENT_MANAGER, [])
        units = [center] + outlets.get(center.parent_id, [])
        for _i in range(14):
            kind, content = rng.choice(OPINIONS)
            day = today - dt.timedelta(days=rng.randint(0, DAYS))
            op = Opinion(unit=rng.choice(units), center=center, kind=kind, content=content,
                         rating=rng.choice([None, 3, 4, 5, 5]), name=rng.choice(["", "", "王先生", "李女士"]),
                         contact=rng.choice(["", "", f"139{rng.randint(10_000_000, 99_999_999)}"]),
                         product_line=rng.choice(["", "investment", "deposit", "payments", "channel", "insurance"]),
                         position=rng.choice(["", "cash_counter", "noncash_counter", "lobby", "client_manager",
                                              "self_service"]))
            age = (today - day).days
            if age > 10 and cms:
                op.status, op.assignee_id = OpinionStatus.CLOSED, rng.choice(cms)
                op.handling_note = "已联系客户并反馈处理结果"
                op.handled_at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=3), dt.time(15)))
            elif age > 4 and cms:
                op.status, op.assignee_id = OpinionStatus.ASSIGNED, rng.choice(cms)
            rows.append(op)
    Opinion.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"    opinions: {len(rows)}")


def _seed_reports(ctx, centers, people, surveys) -> None:
    last_month = (ctx.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    submitted = timezone.make_aware(dt.datetime.combine(ctx.today.replace(day=1), dt.time(10)))
    needs, reports = [], []
    for center in centers:
        heads = people.get(center.pk, {}).get(Role.CENTER_HEAD, [])
        head = heads[0] if heads else None
        needs.append(NeedsSummary(
            center=center, month=last_month, figures=selectors.needs_figures(center.pk, last_month),
            commentary="投资理财类需求占比最高，客户关注稳健收益与流动性。", marketing_advice="针对到期客户开展稳健理财专场沙龙。",
            product_advice="增加中短期限稳健型理财产品额度。", status=ReportStatus.SUBMITTED, submitted_at=submitted,
            submitted_by_id=head, created_by_id=head))
        if surveys:
            reports.append(SurveyReport(center=center, month=last_month,
                                        figures=selectors.survey_figures(center.pk, last_month),
                                        analysis="客户普遍重视安全性，对服务满意度较高。", status=ReportStatus.SUBMITTED,
                                        submitted_at=submitted, submitted_by_id=head, created_by_id=head))
    for report in [*needs, *reports]:  # on core's submission chain: receiver, due date, frozen copy
        report.prepare_chain()
        report.snapshot, report.submission_count, report.version = report.submission_content(), 1, 2
    NeedsSummary.objects.bulk_create(needs)
    SurveyReport.objects.bulk_create(reports)
