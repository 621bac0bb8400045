"""Core-banking loads as background jobs (R8, issue 16): the upload page hands the file to a worker when one is
configured, and the user follows the load on its progress page; without a worker it runs in the request."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.jobs.registry import register_job

from . import services


def run_load(job, progress) -> dict:
    """Idempotent: ``import_run`` recognises a file it has already loaded (by its content hash) and loads nothing."""
    p = job.params
    progress(_("正在导入数据"), 0, 2)
    batch, created = services.import_run(
        actor=job.created_by, kind=p["kind"], data=bytes(job.payload or b""), file_name=p["file_name"],
        as_of=dt.date.fromisoformat(p["as_of"]) if p.get("as_of") else None,
        skip_bad_rows=bool(p.get("skip_bad_rows")), source=p.get("source", "web"))
    progress(_("导入完成"), 2, 2)
    return {"batch": batch.pk, "created": created, "status": batch.status, "rows_loaded": batch.rows_loaded,
            "followup_status": batch.followup_status}


def load_url(job) -> str:
    return reverse("corebanking:detail", args=[job.result["batch"]]) if job.result.get("batch") else ""


def register() -> None:
    register_job("corebanking.load", _("核心系统数据导入"), run_load, result_url=load_url)
