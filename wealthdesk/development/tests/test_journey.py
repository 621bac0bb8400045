"""Browser journey (R37, R38, R40): head_c1 sets a career goal with cm_c1_1 and records the quarterly review, after
two bad inputs that show their message (a date in the future; another center's staff member); cm_c1_1 confirms the
goal; branch1_service plans a training for the centers below, records attendance and the assessments (a score
out of range shows its message)."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.development.choices import Attendance, GoalStatus, ReviewStatus
from wealthdesk.development.models import CareerGoal, CareerReview, TrainingPlan
from wealthdesk.development.services import quarter_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.click("text=退出")
    page.wait_for_load_state("networkidle")


def test_head_sets_goal_and_reviews_quarter_branch_trains_centers(page, world):
    today = timezone.localdate()
    login(page, "head_c1", PASSWORD)
    nav(page, "development.goals")
    page.click("[data-testid=new-goal]")
    form = page.locator("[data-testid=goal-form]")
    form.locator("select[name=staff]").select_option(str(world.cm_c1_1.pk))
    form.locator("textarea[name=goal]").fill("成为资深客户经理，管理核心客户 150 户")
    form.locator("textarea[name=alignment]").fill("契合本行财富管理战略")
    form.locator("textarea[name=measures]").fill("每季度新增核心客户 5 户")
    page.click("[data-testid=save-goal]")
    expect(page.locator("[data-testid=goal-status]")).to_have_text("待员工确认")
    goal = CareerGoal.objects.get()
    quarter = quarter_of(today)

    page.click(f"[data-testid=record-review-{quarter}]")
    form = page.locator("[data-testid=review-form]")
    form.locator("input[name=held_on]").fill((today + dt.timedelta(days=3)).isoformat())
    form.locator("textarea[name=progress]").fill("新增核心客户 4 户，进度符合预期")
    page.click("[data-testid=save-review]")
    expect(page.locator("[data-error-for=held_on]")).to_contain_text("回顾日期不能晚于今天")

    form = page.locator("[data-testid=review-form]")
    page.evaluate("""([id, label]) => {
        const s = document.querySelector('[data-testid=review-form] select[name=staff]');
        s.add(new Option(label, id)); s.value = String(id); }""", [world.cm_c2_1.pk, "cm_c2_1"])
    form.locator("input[name=held_on]").fill(today.isoformat())
    page.click("[data-testid=save-review]")
    expect(page.locator("[data-error-for=staff]")).to_contain_text("不属于您的理财中心")
    assert not CareerReview.objects.filter(status=ReviewStatus.HELD).exists()

    form = page.locator("[data-testid=review-form]")
    form.locator("select[name=staff]").select_option(str(world.cm_c1_1.pk))
    form.locator("input[name=held_on]").fill(today.isoformat())
    form.locator("textarea[name=progress]").fill("新增核心客户 4 户，进度符合预期")
    page.click("[data-testid=save-review]")
    expect(page.locator(f"[data-testid=review-status-{quarter}]")).to_contain_text("已回顾")
    screenshot(page, "development-goal")
    assert CareerReview.objects.get(goal=goal, quarter=quarter).held_on == today
    _logout(page)

    login(page, "cm_c1_1", PASSWORD)
    page.goto(f"/development/goals/{goal.pk}/")
    page.click("[data-testid=confirm-goal]")
    expect(page.locator("[data-testid=goal-status]")).to_have_text("已商定")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.AGREED
    _logout(page)

    login(page, "branch1_service", PASSWORD)
    nav(page, "development.trainings")
    page.click("[data-testid=new-training]")
    form = page.locator("[data-testid=training-form]")
    form.locator("input[name=topic]").fill("资产配置与需求分析")
    form.locator("input[name=held_on]").fill(today.isoformat())
    form.locator("input[name=trainer]").fill("分行财富管理部 王老师")
    form.locator("select[name=audience_units]").select_option([str(world.c1.pk)])
    form.locator("input[name=audience_positions][value=client_manager]").check()
    form.locator("textarea[name=gap]").fill("AUM 增长落后目标")
    form.locator("input[name=indicator_code]").fill("aum_growth")
    page.click("[data-testid=save-training]")
    expect(page.locator("[data-testid=training-status]")).to_have_text("计划中")
    training = TrainingPlan.objects.get()
    assert training.enrolments.count() == 2

    page.locator("[data-person=cm_c1_1] input[name=present]").check()
    page.click("[data-testid=save-attendance]")
    expect(page.locator(".alert-success")).to_contain_text("出席 1 人，缺席 1 人")
    expect(page.locator("[data-testid=attendance-cm_c1_2]")).to_have_text("缺席")

    assess = page.locator("[data-testid=assess-cm_c1_1]")
    assess.locator("input[name=score]").fill("150")
    assess.locator("button").click()
    expect(page.locator(".alert-danger, .alert-error")).to_contain_text("考核成绩必须是 0 到 100 之间的数字")
    assess = page.locator("[data-testid=assess-cm_c1_1]")
    assess.locator("input[name=score]").fill("88")
    assess.locator("input[name=comment]").fill("掌握良好")
    assess.locator("button").click()
    expect(page.locator("[data-testid=score-cm_c1_1]")).to_have_text("88.0")
    screenshot(page, "development-training")
    e = training.enrolments.get(person=world.cm_c1_1)
    assert e.attendance == Attendance.PRESENT and e.score == 88

    nav(page, "development.rollup")
    expect(page.locator("[data-testid=rollup-table] tfoot")).to_contain_text("88.0")
