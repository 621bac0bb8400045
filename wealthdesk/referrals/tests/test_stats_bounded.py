"""The statistics page renders a bounded number of referrers (issue 16): at head office the month had thousands;
the page shows the top ones, says how many there are, and the drill-down and the export carry the rest."""
import pytest

from wealthdesk.referrals import views

from .test_stats import fixture_rows  # noqa: F401  the hand-counted referrals of test_stats

pytestmark = pytest.mark.django_db


def test_the_page_shows_at_most_the_bound_and_says_how_many_there_are(world, fixture_rows, login_as,  # noqa: F811
                                                                     monkeypatch):
    client = login_as("hq_service")
    everyone = client.get("/referrals/stats/?period=month&date=2026-11-26").context["stats"]["by_referrer"]
    assert len(everyone) > 1
    monkeypatch.setattr(views, "REFERRER_ROWS", 1)
    response = client.get("/referrals/stats/?period=month&date=2026-11-26")
    body = response.content.decode()
    assert len(response.context["referrers"]) == 1
    assert body.count("<tr><td>1</td>") == 1  # one ranked row
    assert f"共 {len(everyone)} 名推介人，此处显示前 1 名" in body


def test_a_center_sees_all_its_referrers(world, fixture_rows, login_as):  # noqa: F811
    response = login_as("head_c1").get("/referrals/stats/?period=month&date=2026-11-26")
    assert len(response.context["referrers"]) == len(response.context["stats"]["by_referrer"])
    assert 'data-testid="referrers-hidden"' not in response.content.decode()
