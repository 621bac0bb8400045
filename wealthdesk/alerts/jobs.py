"""The day's large-movement scan (R6) as a background job: Celery beat runs it after the nightly files."""
import datetime as dt

from django.utils.translation import gettext_lazy as _

from wealthdesk.jobs.registry import register_job


def run_scan(job, progress) -> dict:
    """Idempotent: the scan opens at most one alert per customer, rule and day (a re-run opens nothing)."""
    from .services import alerts_scan

    progress(_("正在扫描"), 0, 1)
    counts = alerts_scan(as_of=dt.date.fromisoformat(job.params["day"]))
    progress(_("扫描完成"), 1, 1)
    return {"day": job.params["day"], **counts}


def register() -> None:
    register_job("alerts.scan", _("大额资金异动扫描"), run_scan)
