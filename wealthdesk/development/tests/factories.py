"""Test data of career goals and trainings built through the services (the personas of core.testing.world)."""
import datetime as dt

from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.development import services
from wealthdesk.development.models import CareerGoal, TrainingPlan


def goal(world, staff="cm_c1_1", head="head_c1") -> CareerGoal:
    existing = CareerGoal.objects.filter(staff=world.users[staff], year=timezone.localdate().year).first()
    return existing or services.career_goal_set(
        actor=world.users[head], staff=world.users[staff], year=timezone.localdate().year,
        goal="成为资深客户经理", alignment="契合财富管理战略", measures="每季度新增核心客户 5 户")


def training(world, *, organizer="branch1_service", units=("c1",), days_ago=1,
             positions=(Role.CLIENT_MANAGER,)) -> TrainingPlan:
    return services.training_plan(
        actor=world.users[organizer], topic="资产配置培训", held_on=timezone.localdate() - dt.timedelta(days=days_ago),
        trainer="分行讲师", audience_units=[world.units[u] for u in units], audience_positions=list(positions),
        gap="AUM 增长落后目标", indicator_code="aum_growth")


def held_training(world, **kwargs) -> TrainingPlan:
    """A training held yesterday with every participant present."""
    t = training(world, **kwargs)
    services.training_attendance(actor=world.users[kwargs.get("organizer", "branch1_service")], training=t,
                                 present_ids=t.enrolments.values_list("pk", flat=True))
    return t
