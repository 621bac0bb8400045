"""Who may open the worklog pages and API (R9–R11; DESIGN rules 1 and 9)."""
from django.utils import timezone

from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.worklogs.choices import LogStatus
from wealthdesk.worklogs.models import DailyLog

LOG_OUTSIDERS = ("teller_c1", "lobby_c1", "advisor_1", "admin", "archivist_c1")


def _log(world, status=LogStatus.SUBMITTED):
    log, _ = DailyLog.objects.get_or_create(staff=world.cm_c1_1, log_date=timezone.localdate(), defaults={
        "center": world.c1, "status": status, "submitted_at": timezone.now()})
    return log


class TestWorkbenchPage(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c2_1")
    forbidden = ("head_c1", "lead_c1", "teller_c1", "hq_service", "admin")

    def url(self, world):
        return "/worklogs/workbench/"


class TestHeadPage(AccessMatrix):
    allowed = ("head_c1", "lead_c1", "head_c2")
    forbidden = ("cm_c1_1", "teller_c1", "hq_service", "admin")

    def url(self, world):
        return "/worklogs/team/"


class TestLogListPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1", "hq_service", "auditor")
    forbidden = LOG_OUTSIDERS

    def url(self, world):
        return "/worklogs/logs/"


class TestLogDetailPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1", "subbranch1_service")
    forbidden = LOG_OUTSIDERS
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/worklogs/logs/{_log(world).pk}/"


class TestLogReview(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("head_c1", "lead_c1")
    forbidden = ("cm_c1_1", "cm_c1_2", "hq_service", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/worklogs/logs/{_log(world).pk}/review/"

    def payload(self, world):
        return {"comment": "已阅", "review": "1"}


class TestTodayLog(AccessMatrix):
    ok_status = (302,)
    allowed = ("cm_c1_1",)
    forbidden = ("head_c1", "teller_c1", "hq_service")

    def url(self, world):
        return "/worklogs/logs/today/"


class TestLogExport(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = LOG_OUTSIDERS

    def url(self, world):
        return "/worklogs/logs/export/"


class TestDebriefListPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1")
    forbidden = LOG_OUTSIDERS

    def url(self, world):
        return "/worklogs/debriefs/"


class TestDebriefCreate(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "teller_c1", "hq_service")

    def url(self, world):
        return "/worklogs/debriefs/new/"

    def payload(self, world):
        return {"staff": world.cm_c1_1.pk, "debrief_date": timezone.localdate().isoformat(), "mode": "face"}


class TestMissingPage(AccessMatrix):
    allowed = ("head_c1", "lead_c1")
    forbidden = ("cm_c1_1", "teller_c1", "hq_service")

    def url(self, world):
        return "/worklogs/missing/"


class TestSummaryPage(AccessMatrix):
    allowed = ("head_c1", "lead_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "admin")

    def url(self, world):
        return "/worklogs/summary/?period=month"


class TestHelpListPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1")
    forbidden = LOG_OUTSIDERS

    def url(self, world):
        return "/worklogs/help/"


class TestDailyLogApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "lead_c1", "hq_service", "auditor")
    forbidden = LOG_OUTSIDERS

    def url(self, world):
        return "/api/v1/daily-logs/"


class TestDailyLogApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "lead_c1")
    forbidden = LOG_OUTSIDERS
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/daily-logs/{_log(world).pk}/"


class TestDailyLogApiReview(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1", "lead_c1")
    forbidden = ("cm_c1_1", "hq_service", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/daily-logs/{_log(world).pk}/review/"

    def payload(self, world):
        return {"comment": "很好"}


class TestDebriefApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = LOG_OUTSIDERS

    def url(self, world):
        return "/api/v1/debriefs/"


class TestDebriefApiCreate(AccessMatrix):
    api = True
    method = "post"
    ok_status = (201,)
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "hq_service", "teller_c1")

    def url(self, world):
        return "/api/v1/debriefs/"

    def payload(self, world):
        return {"staff": world.cm_c1_1.pk, "debrief_date": timezone.localdate().isoformat(), "mode": "phone"}
