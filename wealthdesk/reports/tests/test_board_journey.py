"""Browser journey (issue 16): head office's 下级报送 board shows its branches added up, drills down to a
sub-branch's centers and back up by the trail; a unit outside the subtree shows the message."""
import pytest

from wealthdesk.core import submission_views
from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.testing.browser import login
from wealthdesk.core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_office_drills_down_the_board(page, world, monkeypatch):
    seed_calendar()
    monkeypatch.setattr(submission_views, "BOARD_DETAIL_ROWS", 1)
    login(page, "hq_service", PASSWORD)
    page.goto("/core/submissions/")
    page.wait_for_selector("[data-testid=board-grouped]")
    assert page.locator(f"[data-testid=board-table] >> text={world.c1.name}").count() == 0
    page.click(f"[data-testid=board-drill] >> text={world.branch1.name}")
    page.wait_for_selector(f"[data-testid=board-trail] >> text={world.branch1.name}")
    page.click(f"[data-testid=board-drill] >> text={world.sub1.name}")
    page.wait_for_selector(f"[data-testid=board-table] >> text={world.c1.name}")
    assert page.locator(f"[data-testid=board-table] >> text={world.c2.name}").count() == 0
    page.click(f"[data-testid=board-trail] a >> text={world.hq.name}")
    page.wait_for_selector("[data-testid=board-grouped]")

    page.click("text=退出")
    login(page, "branch1_service", PASSWORD)
    page.goto(f"/core/submissions/?unit={world.sub2.pk}")
    page.wait_for_selector("[data-testid=errors] >> text=机构：机构不存在或不在您的管辖范围内。")
    assert page.locator(f"[data-testid=board-table] >> text={world.c2.name}").count() == 0
