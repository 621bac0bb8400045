"""The head's "who is behind this month" panel (R33) and a client manager's own month on the workbench (R33, R34)."""
import pytest
from django.utils import timezone

from wealthdesk.core.calendar import working_days_between
from wealthdesk.targets import selectors
from wealthdesk.targets.models import Target

from .helpers import plan_c1

pytestmark = pytest.mark.django_db


def test_the_head_sees_who_is_behind_and_the_client_manager_their_own_month(world, login_as):
    month = timezone.localdate().replace(day=1)
    plan_c1(world, month)
    mine = Target.objects.get(staff=world.cm_c1_1, period_start=month, indicator__code="contacts")
    head = login_as("head_c1").get("/worklogs/team/").content.decode()
    behind = [t for t, _progress in selectors.behind(world.head_c1)]
    if working_days_between(month, timezone.localdate()):  # nothing done yet: everyone with a target is behind
        assert mine in behind and 'data-testid="behind-panel"' in head
        assert f"/targets/{behind[0].pk}/" in head
    else:
        assert "本月各项目标均按进度完成" in head
    workbench = login_as("cm_c1_1").get("/worklogs/workbench/").content.decode()
    assert "本月实时得分" in workbench and f"/targets/{mine.pk}/" in workbench


def test_the_workbench_score_of_the_month_so_far_is_the_months_score(world):
    """The workbench's score reads the month up to today, the window of its progress lines (each metric computed
    once for both, issue 16): the same figures as the whole month's, since nothing is dated after today."""
    import datetime as dt

    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.targets import scoring

    today = timezone.localdate()
    month = today.replace(day=1)
    plan_c1(world, month)
    ContactRecord.objects.create(customer=world.cust_a, staff=world.cm_c1_1, kind="phone", purpose="回访",
                                 contacted_at=timezone.now() - dt.timedelta(minutes=5))
    whole = scoring.score_staff([world.cm_c1_1], month)[0].as_dict()
    so_far = scoring.score_staff([world.cm_c1_1], month, until=today)[0].as_dict()
    assert so_far == whole and any(line["actual"] for line in whole["lines"])


def test_the_workbench_panel_scores_the_targets_it_lists_without_loading_them_again(world, rf):
    """``score_staff(targets=…)`` (the panel's own month targets, issue 16) gives the score the query gives."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wealthdesk.targets import panels, scoring

    today = timezone.localdate()
    month = today.replace(day=1)
    plan_c1(world, month)
    plan_c1(world, (month - timezone.timedelta(days=1)).replace(day=1))  # another month: not scored
    listed = list(Target.objects.visible_to(world.cm_c1_1).filter(staff=world.cm_c1_1)
                  .select_related("indicator", "unit"))
    assert {t.period_start for t in listed} == {month, (month - timezone.timedelta(days=1)).replace(day=1)}
    queried = scoring.score_staff([world.cm_c1_1], month, until=today)[0].as_dict()
    given = scoring.score_staff([world.cm_c1_1], month, until=today, targets=listed)[0].as_dict()
    assert given == queried and given["lines"]
    request = rf.get("/worklogs/workbench/")
    request.user = world.cm_c1_1
    with CaptureQueriesContext(connection) as q:
        ctx = panels.mine_panel(request)
    assert ctx["score"].as_dict() == queried
    assert len([x for x in q.captured_queries if 'FROM "targets_target"' in x["sql"]]) == 1  # the panel's list
