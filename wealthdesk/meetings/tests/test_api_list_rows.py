"""Issue 16: the huddle list's rows carry the attendance as two figures (``present_count``, ``head_joined``); the
attendance sheet itself — one row per person — is on the detail. The figures equal what the detail's sheet says,
for every huddle and persona, and the list runs the same queries for 1× and 10× the centers
(``test_query_counts.py``)."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.meetings import services
from wealthdesk.meetings.choices import Attendance, HuddleKind
from wealthdesk.meetings.models import Huddle

from .factories import team1

pytestmark = pytest.mark.django_db

LIST_ROW = {"id", "team", "center", "kind", "kind_display", "held_on", "started_at", "closed_at", "duration_minutes",
            "status", "led_by", "figures", "targets", "summary", "present_count", "head_joined"}


def _huddles(world):
    team = team1(world)
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    made = []
    for days in range(1, 5):
        for kind, hour in ((HuddleKind.MORNING, 9), (HuddleKind.EVENING, 17)):
            h = services.huddle_record(actor=world.lead_c1, team=team, kind=kind, duration_minutes=12,
                                       started_at=now.replace(hour=hour) - dt.timedelta(days=days))
            made.append(h)
    # some absent, some excused, the head sitting in on a few
    for i, h in enumerate(made):
        people = list(h.attendance.values_list("person_id", flat=True))
        statuses = {pid: (Attendance.ABSENT if (i + j) % 3 == 0 else Attendance.PRESENT) for j, pid in enumerate(people)}
        services.huddle_set_attendance(actor=world.lead_c1, huddle=h, statuses=statuses)
        if i % 3 == 0:
            services.huddle_join(actor=world.head_c1, huddle=h)
    return made


@pytest.mark.parametrize("persona", ["head_c1", "lead_c1", "cm_c1_1", "branch1_service", "hq_service"])
def test_list_rows_count_what_the_detail_lists(world, api_as, persona):
    _huddles(world)
    client = api_as(persona)
    rows = client.get("/api/v1/huddles/").json()["results"]
    assert rows and all(set(r) == LIST_ROW for r in rows)
    for row in rows:
        detail = client.get(f"/api/v1/huddles/{row['id']}/").json()
        assert row["present_count"] == sum(1 for a in detail["attendance"] if a["status"] == Attendance.PRESENT)
        assert row["head_joined"] == Huddle.objects.get(pk=row["id"]).attendance.filter(is_head=True).exists()
        assert {k: v for k, v in detail.items() if k != "attendance"} == \
            {k: v for k, v in row.items() if k not in ("present_count", "head_joined")}
    assert any(r["head_joined"] for r in rows) and not all(r["head_joined"] for r in rows)


def test_detail_keeps_the_attendance_sheet(world, api_as):
    h = _huddles(world)[0]
    detail = api_as("head_c1").get(f"/api/v1/huddles/{h.pk}/").json()
    names = {a["person"]: a["name"] for a in detail["attendance"]}
    assert names[world.head_c1.pk] == str(world.head_c1)
    assert len(names) == h.attendance.count()


def test_schema_documents_the_slim_list_row(world, api_as):
    import yaml

    schema = yaml.safe_load(api_as("head_c1").get("/api/v1/schema/").content)
    row = schema["components"]["schemas"]["HuddleList"]["properties"]
    assert "attendance" not in row and {"present_count", "head_joined"} <= set(row)
    assert "attendance" in schema["components"]["schemas"]["Huddle"]["properties"]
