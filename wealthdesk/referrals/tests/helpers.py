"""Shared helpers for the referral tests."""
import datetime as dt
import re

from wealthdesk.referrals import services
from wealthdesk.referrals.choices import Signal

ID_RE = re.compile(r"(?<![\d*])\d{17}[\dX](?![\d*])")
MOBILE_RE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)")
TODAY = dt.date(2026, 11, 27)  # a Friday


def refer(world, referrer="teller_c1", *, mobile=None, id_number=None, prospect=None, **kwargs):
    """A referral through the service, as the counter form sends it."""
    data = {"signal": Signal.LARGE_DEPOSIT}
    if mobile:
        data.update(lookup_kind="mobile", lookup_value=mobile)
    if id_number:
        data.update(lookup_kind="id_number", lookup_value=id_number)
    if prospect:
        data.update(prospect_name=prospect[0], prospect_mobile=prospect[1])
    data.update(kwargs)
    return services.referral_create(actor=world.users[referrer], **data)


def assert_no_clear_personal_data(text: str, world) -> None:
    """No unmasked ID number or mobile of any customer in a response (R28)."""
    assert not ID_RE.search(text), ID_RE.search(text).group(0)
    assert not MOBILE_RE.search(text), MOBILE_RE.search(text).group(0)
    for c in world.customers.values():
        assert c.id_number not in text and c.mobile not in text
