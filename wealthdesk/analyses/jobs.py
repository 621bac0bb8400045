"""The analyses as background jobs (issue 16): one job computes one analysis of one unit and half-year and keeps
it on its snapshot; the progress page links back to the analysis."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.jobs.registry import register_job


def run_compute(job, progress) -> dict:
    """Idempotent: computing the same analysis twice stores the same figures on the same snapshot row."""
    from wealthdesk.orgs.models import OrgUnit

    from . import selectors, services
    from .periods import parse_half

    p = job.params
    unit = OrgUnit.objects.get(pk=p["unit"])
    period = parse_half(p["period"])
    progress(_("正在准备期初、期末客户级别"), 0, 3)
    take_boundary_tiers(period)
    progress(_("正在计算分析"), 1, 3)
    result = selectors.analysis(job.created_by, p["kind"], unit, period)
    progress(_("正在保存结果"), 2, 3)
    snap = services.snapshot_store(snapshot_id=p["snapshot"], result=result, user=job.created_by, job_id=job.pk)
    progress(_("计算完成"), 3, 3)
    return {"snapshot": snap.pk, "kind": p["kind"], "unit": unit.pk, "period": p["period"]}


def take_boundary_tiers(period) -> None:
    """The tiers on the day before the half-year and on its last day (when past), taken once for all units."""
    from django.utils import timezone

    from .tiers import tier_day_take

    today = timezone.localdate()
    for day in (period.before_start, period.end):
        if day < today:
            tier_day_take(day)


def result_url(job) -> str:
    p = job.params
    return f"{reverse('analyses:detail', args=[p['kind']])}?unit={p['unit']}&period={p['period']}"


def register() -> None:
    from .services import JOB_KIND

    register_job(JOB_KIND, _("半年度分析计算"), run_compute, result_url=result_url, max_retries=1)
