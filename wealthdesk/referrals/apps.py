from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "wealthdesk.referrals"
    label = "referrals"
    verbose_name = _("优质客户推介")

    def ready(self) -> None:
        from . import compliance, jobs, nav  # noqa: F401

        compliance.register()
        jobs.register()
