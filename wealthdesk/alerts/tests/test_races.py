"""DESIGN rule 13 for alerts: follow up, close, review and reopen lock the row (20 real threads on PostgreSQL,
exactly one winner, one note) and a stale version answers 409 in the API and a message in the dialog."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.alerts import services
from wealthdesk.alerts.choices import AlertStatus, NoteKind, ReviewState
from wealthdesk.alerts.models import Alert, AlertNote
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User

from .helpers import make_alert


def _fresh(pk, username):
    return lambda: (Alert.objects.get(pk=pk), User.objects.get(username=username))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_closures_close_once_with_one_note(world):
    alert = make_alert(world.cust_a)
    result = race(lambda p: services.alert_close(actor=p[1], alert=p[0], reason="business", measures="经营周转，已核实"),
                  prepare=_fresh(alert.pk, "cm_c1_1"))
    result.assert_one_winner(ValidationError)
    assert all("预警已关闭" in " ".join(e.messages) for e in result.errors)
    assert AlertNote.objects.filter(alert=alert, kind=NoteKind.CLOSE).count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reviews_review_once(world):
    alert = make_alert(world.cust_a)
    services.alert_close(actor=world.cm_c1_1, alert=alert, reason="business", measures="经营周转，已核实")
    result = race(lambda p: services.alert_review(actor=p[1], alert=p[0], comment="同意"),
                  prepare=_fresh(alert.pk, "head_c1"))
    result.assert_one_winner(ValidationError)
    assert AlertNote.objects.filter(alert=alert, kind=NoteKind.REVIEW).count() == 1
    assert Alert.objects.get(pk=alert.pk).review_state == ReviewState.APPROVED


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reopenings_reopen_once(world):
    alert = make_alert(world.cust_a)
    services.alert_close(actor=world.cm_c1_1, alert=alert, reason="business", measures="经营周转，已核实")
    result = race(lambda p: services.alert_reopen(actor=p[1], alert=p[0], reason="措施不充分"),
                  prepare=_fresh(alert.pk, "head_c1"))
    result.assert_one_winner(ValidationError)
    fresh = Alert.objects.get(pk=alert.pk)
    assert fresh.reopen_count == 1 and fresh.status == AlertStatus.FOLLOWING
    assert AlertNote.objects.filter(alert=alert, kind=NoteKind.REOPEN).count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_follow_ups_with_the_version_read_keep_one_and_refuse_the_rest_as_stale(world):
    alert = make_alert(world.cust_a)
    result = race(lambda p: services.alert_follow_up(actor=p[1], alert=p[0], note="已电话联系客户", version=p[0].version),
                  prepare=_fresh(alert.pk, "cm_c1_1"))
    result.assert_one_winner(Conflict)
    assert AlertNote.objects.filter(alert=alert, kind=NoteKind.FOLLOW_UP).count() == 1


@pytest.mark.django_db
def test_a_stale_copy_cannot_close_an_alert_a_second_time(world):
    alert = make_alert(world.cust_a)
    stale = Alert.objects.get(pk=alert.pk)
    services.alert_close(actor=world.cm_c1_1, alert=alert, reason="business", measures="经营周转，已核实")
    with pytest.raises(ValidationError):
        services.alert_close(actor=world.head_c1, alert=stale, reason="other_bank", measures="覆盖前一次的关闭")
    assert Alert.objects.get(pk=alert.pk).close_reason == "business"
    assert AlertNote.objects.filter(alert=alert, kind=NoteKind.CLOSE).count() == 1


@pytest.mark.django_db
def test_api_answers_409_to_a_stale_close(world, api_as):
    alert = make_alert(world.cust_a)
    api = api_as("cm_c1_1")
    read = api.get(f"/api/v1/alerts/{alert.pk}/").json()["version"]
    assert api.post(f"/api/v1/alerts/{alert.pk}/follow-up/", {"note": "已联系", "version": read},
                    format="json").status_code == 200
    response = api.post(f"/api/v1/alerts/{alert.pk}/close/",
                        {"reason": "business", "measures": "经营周转", "version": read}, format="json")
    assert response.status_code == 409 and "已被他人修改" in response.json()["version"][0]
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.FOLLOWING


@pytest.mark.django_db
def test_close_dialog_shows_the_stale_version_message(world, login_as):
    alert = make_alert(world.cust_a)
    read = alert.version
    services.alert_follow_up(actor=world.head_c1, alert=alert, note="负责人先跟进了")
    client = login_as("cm_c1_1")
    response = client.post(f"/alerts/{alert.pk}/close/", {"reason": "business", "measures": "经营周转", "version": read},
                           HTTP_HX_REQUEST="true")
    assert "已被他人修改" in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.FOLLOWING
