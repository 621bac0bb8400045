"""DESIGN rule 13 for the daily log: twenty concurrent saves from the same version keep exactly one."""
import pytest
from django.utils import timezone

from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User
from wealthdesk.worklogs import services
from wealthdesk.worklogs.models import DailyLog


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_saves_from_one_version_keep_one(world):
    log = services.daily_log_create(actor=world.cm_c1_1, log_date=timezone.localdate())
    read = log.version
    turn = iter(range(100))

    def save(p):
        log, cm = p
        return services.daily_log_save(actor=cm, log=log, version=read, difficulties=f"窗口{next(turn)}的内容")

    result = race(save, prepare=lambda: (DailyLog.objects.get(pk=log.pk), User.objects.get(username="cm_c1_1")))
    result.assert_one_winner(Conflict)
    fresh = DailyLog.objects.get(pk=log.pk)
    assert fresh.version == read + 1 and fresh.difficulties == result.winners[0].difficulties
