"""The 下级报送 board at the upper levels (issue 16): above ``BOARD_DETAIL_ROWS`` rows it adds up the rows below
each unit one level down, with a link to drill into it; a unit outside the user's subtree is refused (400)."""
import pytest

from wealthdesk.core import submission_views
from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.submission import board_by_child, due_board, submission_submit

from .helpers import center_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def holidays():
    seed_calendar()


def test_the_rows_below_each_child_add_up_to_the_detail(world):
    submission_submit(actor=world.head_c1, report=center_report(world))
    rows = due_board(world.hq_service)
    grouped = board_by_child(rows, world.hq, list(world.hq.children.all()))
    assert {g.unit for g in grouped} <= {world.branch1, world.branch2}
    for field in ("expected", "arrived", "late"):
        assert sum(getattr(g, field) for g in grouped) == sum(getattr(r, field) for r in rows)
    assert sum(g.missing for g in grouped) == sum(len(r.missing) for r in rows)
    b1 = [g for g in grouped if g.unit == world.branch1]
    assert b1 and sum(g.arrived for g in b1) >= 1


def test_head_office_sees_its_branches_and_drills_down(login_as, world, monkeypatch):
    monkeypatch.setattr(submission_views, "BOARD_DETAIL_ROWS", 1)
    client = login_as("hq_service")
    html = client.get("/core/submissions/").content.decode()
    assert 'data-testid="board-grouped"' in html and 'data-testid="board-drill"' in html
    assert f"?unit={world.branch1.pk}" in html and world.c1.name not in html, "head office sees the branches, not the centers"
    html = client.get(f"/core/submissions/?unit={world.sub1.pk}").content.decode()
    assert world.c1.name in html and world.c2.name not in html
    assert 'data-testid="board-trail"' in html and world.branch1.name in html


def test_a_unit_outside_the_subtree_is_refused_with_a_message(login_as, world):
    response = login_as("branch1_service").get(f"/core/submissions/?unit={world.sub2.pk}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "机构：机构不存在或不在您的管辖范围内。" in html
    assert world.c2.name not in html, "the board stays on the user's own unit"
    assert login_as("branch1_service").get("/core/submissions/?unit=NOPE").status_code == 400
    assert login_as("branch1_service").get(f"/core/submissions/?unit={world.hq.pk}").status_code == 400
