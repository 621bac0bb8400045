"""Issue 15, races (PostgreSQL): 20 officers' threads closing one alert at once — one wins, the rest are refused."""
import pytest
from django.utils import timezone

from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.security.alerts import alert_close
from wealthdesk.security.choices import AlertKind
from wealthdesk.security.models import SecurityAlert

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_threads_close_one_alert_once(world, officers):
    alert = SecurityAlert.objects.create(kind=AlertKind.REVEAL_CAP, username="cm_c1_1", unit=world.c1,
                                         day=timezone.localdate(), count=3, threshold=20)
    officer = officers["officer_hq"]
    result = race(lambda a: alert_close(actor=officer, alert=a, note="已核实"),
                  prepare=lambda: SecurityAlert.objects.get(pk=alert.pk))
    result.assert_one_winner(Conflict)
    assert AuditLog.objects.filter(detail__what="security_alert_close").count() == 1
