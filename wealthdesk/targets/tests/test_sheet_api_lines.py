"""Issue 16: the performance-sheets API builds its staff lines as plain dicts (one ``reverse`` per request) — and
gives exactly what ``StaffLineSerializer`` with one ``reverse`` per figure gave, for live and frozen sheets."""
import pytest
from django.urls import reverse

from wealthdesk.targets import selectors, services
from wealthdesk.targets.api import StaffLineSerializer
from wealthdesk.targets.choices import DEDUCTIONS

from .helpers import data

pytestmark = pytest.mark.django_db


def serializer_lines(user, sheet, host="http://testserver"):
    out = []
    for line in selectors.sheet_scores(user, sheet):
        line = dict(line)
        line["lines"] = [dict(item, records_url=host + reverse("targets:records", args=[sheet.pk, line["user_id"],
                                                                                         item["code"]]))
                         for item in line["lines"]]
        line["deductions"] = [dict(d, records_url=host + reverse("targets:records", args=[sheet.pk, line["user_id"],
                                                                                           d["key"]]))
                              for d in line["deductions"] if d["key"] in DEDUCTIONS]
        out.append(StaffLineSerializer(line).data)
    return out


@pytest.mark.parametrize("closed", [False, True])
def test_the_lines_are_what_the_serializer_gave(world, api_as, closed):
    sheet = data(world)["sheet"]
    services.sheet_adjust(actor=world.head_c1, sheet=sheet, staff_id=world.cm_c1_1.pk, points="2.5", reason="表现好")
    sheet.refresh_from_db()
    if closed:
        sheet = services.sheet_close(actor=world.head_c1, sheet=sheet)
    for persona in ("head_c1", "branch1_service", "cm_c1_1"):
        user = world.users[persona]
        expected = serializer_lines(user, sheet)
        assert expected and any(line["lines"] for line in expected)
        one = api_as(persona).get(f"/api/v1/performance-sheets/{sheet.pk}/").json()["staff"]
        listed = next(r for r in api_as(persona).get("/api/v1/performance-sheets/").json()["results"]
                      if r["id"] == sheet.pk)["staff"]
        assert one == expected and listed == expected
        assert [list(line) for line in one] == [list(line) for line in expected]  # same keys, same order


def test_one_reverse_per_request_not_one_per_figure(world, api_as, monkeypatch):
    from wealthdesk.targets import api

    data(world)
    calls = []
    real = api.reverse

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "reverse", counting)
    body = api_as("branch1_service").get("/api/v1/performance-sheets/").json()
    figures = sum(len(line["lines"]) + len(line["deductions"]) for r in body["results"] for line in r["staff"])
    assert figures > 10 and len(calls) == 1
