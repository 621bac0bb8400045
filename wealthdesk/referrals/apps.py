from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "wealthdesk.referrals"
    label = "referrals"
