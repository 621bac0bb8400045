"""Referral conversions (R17) as a daily background job after the balance load."""
import datetime as dt

from django.utils.translation import gettext_lazy as _

from wealthdesk.jobs.registry import register_job


def run_conversions(job, progress) -> dict:
    """Idempotent: a referral already marked converted is not counted again."""
    from .services import referrals_update_conversions

    result = referrals_update_conversions(as_of=dt.date.fromisoformat(job.params["day"]))
    return {"day": job.params["day"], **{k: int(v) for k, v in result.items()}}


def register() -> None:
    register_job("referrals.update_conversions", _("推介转化计算"), run_conversions)
