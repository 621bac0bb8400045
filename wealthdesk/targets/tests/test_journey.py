"""Browser journey (R33, R34): head_c1 splits the month's contacts target among the client managers — parts that
do not add up show the message naming the indicator and the difference, nothing saved — then opens the month's
performance sheet, drills from one score into the contact records behind it, and closes the month."""
import pytest

from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.targets.models import PerformanceSheet, Target

from .helpers import last_month, plan_c1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_splits_the_target_opens_the_sheet_drills_down_and_closes_the_month(page, world):
    month = last_month()
    contacts = plan_c1(world, month, split=False)["contacts"]
    for day in (2, 3):
        make_contact(world.cust_a, world.cm_c1_1, month.replace(day=day + 5))

    login(page, "head_c1", PASSWORD)
    nav(page, "targets")
    page.goto(f"/targets/?level=unit&indicator=contacts&kind=month&period={month:%Y-%m}")
    page.click(f"[data-testid=target-row] a[href='/targets/{contacts.pk}/']")
    page.fill(f"#id_part_{world.cm_c1_1.pk}", "12")
    page.fill(f"#id_part_{world.cm_c1_2.pk}", "5")
    page.fill(f"#id_part_{world.lead_c1.pk}", "1")
    page.click("[data-testid=split-submit]")
    page.wait_for_selector("[data-testid=errors] >> text=联系客户次数")
    assert "-2.00" in page.inner_text("[data-testid=errors]")
    assert not Target.objects.filter(parent=contacts).exists()
    screenshot(page, "targets-split-error")
    page.fill(f"#id_part_{world.lead_c1.pk}", "3")
    page.click("[data-testid=split-submit]")
    page.wait_for_selector("[data-testid=parts-table]")
    assert Target.objects.get(parent=contacts, staff=world.cm_c1_1).amount == 12

    nav(page, "targets.sheets")
    page.fill("[data-testid=open-sheet] input[name=month]", f"{month:%Y-%m}")
    page.click("[data-testid=open-sheet] button")
    page.wait_for_selector("[data-testid=score-table]")
    page.click(f"[data-testid=score-row] a[href$='/staff/{world.cm_c1_1.pk}/']")
    page.click("[data-testid=drill-contacts]")
    page.wait_for_selector("[data-testid=records]")
    assert page.locator("[data-testid=record-row]").count() == 2
    assert page.inner_text("[data-testid=figure]") == "2"
    screenshot(page, "targets-drill-down")
    sheet = PerformanceSheet.objects.get(unit=world.c1, period_start=month)
    page.goto(f"/targets/sheets/{sheet.pk}/")
    page.click("[data-testid=close-month]")
    page.wait_for_selector("[data-testid=sheet-status] >> text=已月结")
    sheet.refresh_from_db()
    assert sheet.is_closed and sheet.frozen["staff"]
    assert page.locator("[data-testid=adjust-form]").count() == 0, "a closed month is frozen"
