"""A large campaign's start as a background job (issue 16): with a worker, a center of many customers has its
call list built by the worker and the head follows it on the job's progress page (/jobs/<id>/)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.jobs.registry import register_job

JOB_KIND = "campaigns.start"


def run_start(job, progress) -> dict:
    """Idempotent: a second delivery finds the campaign running (its call list made) and does nothing."""
    from . import services
    from .choices import CampaignStatus
    from .models import Campaign, CampaignMember

    campaign = Campaign.objects.get(pk=job.params["campaign"])
    if campaign.status != CampaignStatus.RUNNING:
        campaign = services.campaign_start(actor=job.created_by, campaign=campaign, version=job.params.get("version"),
                                           progress=progress)
    members = CampaignMember.objects.filter(campaign=campaign)
    return {"campaign": campaign.pk, "members": members.count(), "holdout": members.filter(is_holdout=True).count()}


def result_url(job) -> str:
    return reverse("campaigns:detail", args=[job.params["campaign"]])


def register() -> None:
    register_job(JOB_KIND, _("营销活动客户名单生成"), run_start, result_url=result_url, max_retries=1)
