"""Browser journey (R12, R13): lead_c1 holds the morning huddle with attendance; cm_c1_1 raises a problem in the
daily log; head_c1 collects it and escalates it to the sub-branch; subbranch1_service answers; head_c1 feeds it
back in time. And one bad input (a 90-minute huddle) showing its message."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.meetings.choices import ProblemStatus
from wealthdesk.meetings.models import Huddle, Problem
from wealthdesk.staff.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.click("text=退出")
    page.wait_for_load_state("networkidle")


def test_huddle_log_problem_escalated_answered_and_fed_back(page, world):
    team = Team.objects.get(name="朝阳一组")
    login(page, "lead_c1", PASSWORD)
    assert page.url.endswith("/worklogs/team/")
    page.click(f"[data-testid=open-morning-{team.pk}]")
    expect(page.locator("[data-testid=huddle-status]")).to_have_text("进行中")
    assert page.locator("[data-testid=huddle-figures] [data-figure=open_alerts]").count() == 1
    page.locator("[data-person=cm_c1_2] input[value=excused]").check()
    page.click("[data-testid=save-attendance]")
    expect(page.locator(".alert-success")).to_contain_text("出席情况已保存")
    page.fill("[data-testid=close-form] input[name=duration_minutes]", "12")
    page.fill("[data-testid=close-form] textarea[name=targets]", "今日目标：大额存单 200 万")
    page.click("[data-testid=close-huddle]")
    expect(page.locator("[data-testid=huddle-status]")).to_have_text("已结束")
    screenshot(page, "meetings-huddle")
    huddle = Huddle.objects.get()
    assert huddle.duration_minutes == 12 and huddle.attendance.get(person=world.cm_c1_2).status == "excused"
    _logout(page)

    login(page, "cm_c1_1", PASSWORD)
    page.click("[data-testid=open-today-log]")
    page.locator("[data-testid=log-form] textarea[name=help_needed]").fill("需要分行协调大额存单额度")
    page.click("[data-testid=submit-log]")
    assert page.inner_text("[data-testid=log-status]") == "已提交"
    _logout(page)

    login(page, "head_c1", PASSWORD)
    nav(page, "meetings.problems")
    page.locator("[data-testid=to-collect] button", has_text="收集").first.click()
    expect(page.locator("[data-testid=problem-status]")).to_have_text("负责人已收集")
    page.select_option("[data-testid=escalate-form] select[name=to_unit]", str(world.sub1.pk))
    page.fill("[data-testid=escalate-form] textarea[name=note]", "请支行协调")
    page.click("[data-testid=do-escalate]")
    expect(page.locator("[data-testid=problem-status]")).to_have_text("已上报上级")
    expect(page.locator("[data-testid=holder]")).to_have_text("朝阳支行")
    problem = Problem.objects.get()
    _logout(page)

    login(page, "subbranch1_service", PASSWORD)
    nav(page, "meetings.inbox")
    page.click(f"[data-testid=open-problem-{problem.pk}]")
    page.fill("[data-testid=answer-form] textarea[name=text]", "已与分行协调，下周起增加额度")
    page.click("[data-testid=do-answer]")
    expect(page.locator("[data-testid=problem-status]")).to_have_text("上级已答复，待反馈")
    _logout(page)

    login(page, "head_c1", PASSWORD)
    expect(page.locator("[data-testid=panel-awaiting]")).to_contain_text("需要分行协调大额存单额度")
    page.locator("[data-testid=panel-awaiting] a").first.click()
    page.fill("[data-testid=feedback-form] textarea[name=text]", "已在晨会告知 cm_c1_1")
    page.click("[data-testid=do-feedback]")
    expect(page.locator("[data-testid=problem-status]")).to_have_text("已反馈提出人")
    expect(page.locator("[data-testid=fed-back]")).to_contain_text("按时")
    screenshot(page, "meetings-problem-trail")
    assert [r.get_attribute("data-step") for r in page.locator("[data-testid=trail] tr").all()] == [
        "raise", "collect", "hand_up", "answer", "feedback"]
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.FED_BACK and problem.fed_back_in_time


def test_ninety_minute_huddle_shows_its_message(page, world):
    login(page, "lead_c1", PASSWORD)
    page.goto("/meetings/huddles/new/")
    earlier = timezone.localtime() - dt.timedelta(hours=2)
    form = page.locator("[data-testid=huddle-form]")
    form.locator("select[name=team]").select_option(label="朝阳一组")
    form.locator("input[name=held_on]").fill(earlier.date().isoformat())
    form.locator("input[name=start_time]").fill(earlier.strftime("%H:%M"))
    form.locator("input[name=duration_minutes]").fill("90")
    page.click("[data-testid=save-huddle]")
    expect(page.locator("[data-error-for=duration_minutes]")).to_contain_text("时长应在 1–30 分钟之间")
    assert not Huddle.objects.exists()
