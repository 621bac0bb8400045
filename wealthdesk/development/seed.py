"""Demo data of career goals and training: this year's goals for most center staff (set in January, agreed by the
head, most confirmed), quarterly reviews held for the quarters gone by with some missed (overdue), a few staff in
each center still without goals; trainings by each tier-1 branch for its centers and by head office for the
branches, with attendance and assessments, and one upcoming training each. Bulk inserts only."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .choices import Attendance, GoalStatus, ReviewStatus, TrainingStatus
from .models import STAFF_POSITIONS, CareerGoal, CareerReview, Enrolment, TrainingPlan
from .services import quarter_end, review_due_on

GOALS = [("成为资深客户经理，管理核心优质客户 150 户", "契合本行“以客户为中心、做大财富管理”战略",
          "每月完成 AFP 课程一章；每季度新增核心客户 5 户；参加分行产品培训"),
         ("取得 CFP 资格，提升资产配置能力", "支持本行资产配置与私人银行业务发展", "报名 CFP 考试，每周学习 5 小时，负责人每季度陪访"),
         ("晋升客户经理组长，带教新人 2 名", "落实本行人才梯队建设要求", "主持晨会每周两次，带教计划每月检查"),
         ("提升保险与基金销售能力，中收翻番", "贯彻本行中间业务收入增长目标", "参加保险资格培训，每月复盘销售案例")]
PROGRESS = ["目标进度符合预期，新增核心客户 4 户", "课程学习落后，下季度加快", "带教新人效果良好，继续保持",
            "销售结构优化，中收同比增长 35%"]
TOPICS = [("资产配置与客户需求分析", "AUM 增长落后目标，需求分析卡使用不足", "aum_growth"),
          ("投诉处理与服务礼仪", "投诉数上升，服务质量待提升", "complaints"),
          ("基金与保险产品知识", "基金、保险销售低于目标", "fund_sales"),
          ("客户联系与维护技巧", "联系覆盖率未达制度要求", "contact_coverage")]
COMMENTS = ["掌握良好，案例分析到位", "理解基本要点，需加强实操", "表现突出，可作为内训师", "参与积极，考核合格"]


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed(ctx: SeedContext) -> None:
    if CareerGoal.objects.exists() or TrainingPlan.objects.exists():
        ctx.log("    development already present")
        return
    _seed_goals(ctx)
    _seed_trainings(ctx)


def _seed_goals(ctx: SeedContext) -> None:
    rng, today = ctx.rng, ctx.today
    year = today.year
    heads = dict(User.objects.filter(role_assignments__role=Role.CENTER_HEAD, unit__kind=UnitKind.CENTER)
                 .values_list("unit_id", "id"))
    staff = list(User.objects.filter(unit_id__in=heads, is_active=True, role_assignments__role__in=STAFF_POSITIONS)
                 .exclude(pk__in=heads.values()).distinct().order_by("unit_id", "username").values_list("id", "unit_id",
                                                                                                          "username"))
    set_on = dt.date(year, 1, 15) if today >= dt.date(year, 1, 15) else today
    goals = []
    for index, (uid, unit_id, username) in enumerate(staff):
        if username != "cm_c1_1" and rng.random() < 0.1:
            continue  # a few staff still without goals: shown to the head
        text = GOALS[index % len(GOALS)]
        agreed = rng.random() < 0.85
        goals.append(CareerGoal(staff_id=uid, center_id=unit_id, year=year, goal=text[0], alignment=text[1],
                                measures=text[2], head_id=heads[unit_id], head_agreed_at=_aware(set_on),
                                staff_agreed_at=_aware(set_on + dt.timedelta(days=2)) if agreed else None,
                                status=GoalStatus.AGREED if agreed else GoalStatus.AWAITING_STAFF,
                                created_by_id=heads[unit_id]))
    CareerGoal.objects.bulk_create(goals, batch_size=2000)
    reviews = []
    for goal in CareerGoal.objects.filter(year=year).values("id", "head_id"):
        for q in range(1, 5):
            due = review_due_on(year, q)
            ended = quarter_end(year, q) < today
            held = ended and rng.random() < 0.8
            held_on = min(quarter_end(year, q) + dt.timedelta(days=rng.randint(0, 8)), today) if held else None
            reviews.append(CareerReview(
                goal_id=goal["id"], quarter=q, due_on=due, status=ReviewStatus.HELD if held else ReviewStatus.PENDING,
                held_on=held_on, progress=rng.choice(PROGRESS) if held else "",
                next_steps="下季度继续跟进" if held else "", reviewed_by_id=goal["head_id"] if held else None,
                created_by_id=goal["head_id"]))
    CareerReview.objects.bulk_create(reviews, batch_size=5000)
    ctx.log(f"    {len(goals)} career goals, {len(reviews)} quarterly reviews")


def _seed_trainings(ctx: SeedContext) -> None:
    rng, today = ctx.rng, ctx.today
    hq = OrgUnit.objects.filter(kind=UnitKind.HEAD_OFFICE).first()
    branches = list(OrgUnit.objects.filter(kind=UnitKind.BRANCH1).order_by("path")[:4])
    trainer_of = {}
    for uid, unit_id, _role in (User.objects.filter(role_assignments__role__in=[Role.BRANCH_SERVICE, Role.HQ_SERVICE])
                               .values_list("id", "unit_id", "role_assignments__role")):
        trainer_of.setdefault(unit_id, uid)
    plans = []  # (TrainingPlan, audience units, positions, held)
    for _b_index, branch in enumerate(branches):
        centers = list(OrgUnit.objects.filter(path__startswith=branch.path, kind=UnitKind.CENTER).order_by("path")[:6])
        if not centers:
            continue
        for t_index, (topic, gap, code) in enumerate(TOPICS[:3]):
            held_on = today - dt.timedelta(days=20 + 45 * t_index) if t_index < 2 else today + dt.timedelta(days=10)
            plans.append((TrainingPlan(organizer=branch, topic=topic, held_on=held_on, trainer=f"{branch.name}培训讲师",
                                       gap=gap, indicator_code=code, created_by_id=trainer_of.get(branch.pk),
                                       audience_positions=[Role.CLIENT_MANAGER, Role.TEAM_LEAD]),
                          centers, [Role.CLIENT_MANAGER, Role.TEAM_LEAD], held_on <= today))
    if hq is not None and branches:
        topic, gap, code = TOPICS[3]
        plans.append((TrainingPlan(organizer=hq, topic=f"分行客户服务督导：{topic}", held_on=today - dt.timedelta(days=30),
                                   trainer="总行个金部", gap=gap, indicator_code=code, created_by_id=trainer_of.get(hq.pk),
                                   audience_positions=[Role.BRANCH_SERVICE, Role.QUALITY_MANAGER]),
                      branches, [Role.BRANCH_SERVICE, Role.QUALITY_MANAGER], True))
    if not plans:
        return
    for plan, _units, _positions, held in plans:
        plan.status = TrainingStatus.HELD if held else TrainingStatus.PLANNED
    TrainingPlan.objects.bulk_create([p for p, *_ in plans])
    through = TrainingPlan.audience_units.through
    through.objects.bulk_create([through(trainingplan_id=p.pk, orgunit_id=u.pk) for p, units, *_ in plans
                                 for u in units])
    enrolments = []
    for plan, units, positions, held in plans:
        people = set()
        for unit in units:
            people.update(User.objects.filter(unit__path__startswith=unit.path, is_active=True,
                                              role_assignments__role__in=positions).values_list("id", "unit_id"))
        for uid, unit_id in sorted(people):
            present = held and rng.random() < 0.9
            assessed = present and rng.random() < 0.85
            enrolments.append(Enrolment(
                training=plan, person_id=uid, unit_id=unit_id, created_by_id=plan.created_by_id,
                attendance=(Attendance.PRESENT if present else Attendance.ABSENT) if held else Attendance.ENROLLED,
                attendance_by_id=plan.created_by_id if held else None,
                score=Decimal(rng.randint(60, 98)) if assessed else None,
                comment=rng.choice(COMMENTS) if assessed else "",
                assessed_by_id=plan.created_by_id if assessed else None,
                assessed_at=_aware(plan.held_on, 16) if assessed else None))
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    ctx.log(f"    {len(plans)} trainings, {len(enrolments)} participants")
