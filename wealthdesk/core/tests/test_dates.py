"""One date parser for query parameters, forms and the API (issue 9): extreme dates answer 400 naming the
parameter, never 500 (OverflowError); dates outside 1900–2100 are refused in forms, the API and services."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wealthdesk.core.dates import QueryParamError, parse_date_param, validate_sane_date
from wealthdesk.worklogs import services as worklog_services
from wealthdesk.worklogs.models import DailyLog

pytestmark = pytest.mark.django_db


def test_parser_accepts_the_range_and_names_the_parameter_otherwise():
    assert parse_date_param("2026-11-27", name="date") == dt.date(2026, 11, 27)
    assert parse_date_param("", name="date", default=dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert parse_date_param("2026-11", name="date", allow_month=True) == dt.date(2026, 11, 1)
    for bad in ("9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "2026-13-01", "abc", "2026-1-1"):
        with pytest.raises(QueryParamError) as exc:
            parse_date_param(bad, name="week")
        assert exc.value.name == "week" and exc.value.message


def test_validator_refuses_year_29():
    with pytest.raises(ValidationError):
        validate_sane_date(dt.date(29, 5, 1))
    validate_sane_date(dt.date(1900, 1, 1))
    validate_sane_date(dt.date(2100, 12, 31))


@pytest.mark.parametrize(("persona", "url", "param"), [
    ("head_c1", "/worklogs/summary/?date=9999-12-31", "date"),
    ("head_c1", "/worklogs/summary/?date=0001-01-01", "date"),
    ("head_c1", "/worklogs/missing/?end=0001-01-02", "end"),
    ("head_c1", "/worklogs/missing/?start=9999-12-31", "start"),
    ("cm_c1_1", "/contacts/appointments/?week=9999-12-31", "week"),
    ("cm_c1_1", "/contacts/appointments/?week=0001-01-01", "week"),
    ("head_c1", "/referrals/stats/?date=0001-01-01", "date"),
    ("head_c1", "/referrals/stats/?date=9999-12-31", "date"),
    ("head_c1", "/complaints/stats/daily/?date=9999-12-31", "date"),
])
def test_extreme_dates_in_query_parameters_answer_400_naming_the_parameter(world, client, persona, url, param):
    client.force_login(world.users[persona])
    response = client.get(url)
    assert response.status_code in (400, 200), response.status_code
    body = response.content.decode()
    if response.status_code == 200:  # the complaint statistics page shows the reason above its table
        assert "1900-01-01" in body
    else:
        assert param in body and "1900-01-01" in body


def test_api_date_parameter_out_of_range_is_400_naming_it(world, api_as):
    response = api_as("head_c1").get("/api/v1/referral-stats/?date=0001-01-01")
    assert response.status_code == 400 and "date" in response.json()


def test_a_daily_log_dated_in_year_29_is_refused_everywhere(world, api_as):
    with pytest.raises(ValidationError) as exc:
        worklog_services.daily_log_create(actor=world.cm_c1_1, log_date=dt.date(29, 3, 4))
    assert "log_date" in exc.value.message_dict
    response = api_as("cm_c1_1").post("/api/v1/daily-logs/", {"log_date": "0029-03-04"}, format="json")
    assert response.status_code == 400 and "log_date" in response.json()
    assert not DailyLog.objects.filter(log_date__year__lt=1900).exists()


def test_form_date_field_refuses_year_1282(world, client):
    client.force_login(world.users["lobby_c1"])
    response = client.post("/complaints/new/", {"channel": "counter", "category": "waiting", "content": "排队太久",
                                                "received_on": "1282-01-01"})
    assert response.status_code in (200, 400)
    assert "1900-01-01" in response.content.decode()


def test_api_writes_iso_8601_with_four_digit_years():
    """The schema declares date / date-time: "2026-12-01 17:00:00" and "197-11-13" did not match it."""
    from wealthdesk.core.dates import SaneDateSerializerField, SaneDateTimeSerializerField

    assert SaneDateSerializerField().to_representation(dt.date(197, 11, 13)) == "0197-11-13"
    moment = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert SaneDateTimeSerializerField().to_representation(moment) == "2026-12-01T17:00:00+08:00"


def test_api_refuses_a_datetime_outside_the_range():
    from rest_framework.exceptions import ValidationError as DRFValidationError

    from wealthdesk.core.dates import SaneDateTimeSerializerField

    with pytest.raises(DRFValidationError):
        SaneDateTimeSerializerField().to_internal_value("0001-01-01T00:00:00+08:00")
