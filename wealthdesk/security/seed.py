"""Demo: every demo account is pre-enrolled with the shown demo secret (``WD_DEMO_TOTP_KEY``, development and demo
settings only; production sets it to None), so a newcomer signs in with one authenticator entry or with
``manage.py demo_totp``. A few accounts stay unenrolled to show the first-login enrolment (``ENROL_ON_FIRST``)."""
from django.contrib.auth import get_user_model

from wealthdesk.core.seeding import SeedContext

from .twofactor import demo_enrol

ENROL_ON_FIRST = {"cm_c1_5"}


def seed(ctx: SeedContext) -> None:
    users = list(get_user_model().objects.exclude(username__in=ENROL_ON_FIRST).only("id"))
    made = demo_enrol(users)
    ctx.log(f"security: {made} demo accounts pre-enrolled with the demo authenticator secret")
