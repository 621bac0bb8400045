"""DESIGN rule 13 for referrals: accept, contact, convert and invalid lock the row (20 real threads on PostgreSQL,
exactly one winner); a stale version answers 409 in the API and a message on the page."""
import itertools

import pytest
from django.core.exceptions import ValidationError

from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.referrals import services
from wealthdesk.referrals.choices import ReferralStatus
from wealthdesk.referrals.models import Referral
from wealthdesk.staff.models import User

from .helpers import refer


def _fresh(pk):
    return lambda: (Referral.objects.get(pk=pk), User.objects.get(username="cm_c1_1"))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accepts_accept_once(world):
    r = refer(world, mobile=world.cust_a.mobile)
    result = race(lambda p: services.referral_accept(actor=p[1], referral=p[0]), prepare=_fresh(r.pk))
    result.assert_one_winner(ValidationError)
    assert all("已接收" in " ".join(e.messages) for e in result.errors)
    assert Referral.objects.get(pk=r.pk).version == r.version + 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_convert_and_invalid_leave_one_outcome(world):
    r = refer(world, prospect=("赵一", "13700000001"))
    turn = itertools.count()

    def act(p):
        referral, cm = p
        if next(turn) % 2:
            return services.referral_convert(actor=cm, referral=referral, amount="120000")
        return services.referral_mark_invalid(actor=cm, referral=referral, reason="客户无意向")

    result = race(act, prepare=_fresh(r.pk))
    result.assert_one_winner(ValidationError)
    assert all("已办结" in " ".join(e.messages) for e in result.errors)
    assert Referral.objects.get(pk=r.pk).status in (ReferralStatus.CONVERTED, ReferralStatus.INVALID)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_contacts_with_the_version_read_keep_one(world):
    r = refer(world, prospect=("赵一", "13700000001"))
    result = race(lambda p: services.referral_record_contact(actor=p[1], referral=p[0], kind="phone",
                                                             content="电话介绍理财产品", version=p[0].version),
                  prepare=_fresh(r.pk))
    result.assert_one_winner(Conflict)


@pytest.mark.django_db
def test_a_stale_copy_cannot_reopen_a_closed_referral(world):
    r = refer(world, prospect=("赵一", "13700000001"))
    stale = Referral.objects.get(pk=r.pk)
    services.referral_mark_invalid(actor=world.cm_c1_1, referral=r, reason="客户无意向")
    with pytest.raises(ValidationError):
        services.referral_convert(actor=world.cm_c1_1, referral=stale, amount="120000")
    assert Referral.objects.get(pk=r.pk).status == ReferralStatus.INVALID


@pytest.mark.django_db
def test_api_and_page_refuse_a_stale_version(world, api_as, client):
    r = refer(world, prospect=("赵一", "13700000001"))
    api = api_as("cm_c1_1")
    read = api.get(f"/api/v1/referrals/{r.pk}/").json()["version"]
    assert api.post(f"/api/v1/referrals/{r.pk}/accept/", {"version": read}, format="json").status_code == 200
    stale = api.post(f"/api/v1/referrals/{r.pk}/invalid/", {"reason": "客户无意向", "version": read}, format="json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["version"][0]
    client.force_login(world.cm_c1_1)
    page = client.post(f"/referrals/{r.pk}/invalid/", {"reason": "客户无意向", "version": read})
    assert page.status_code == 409 and "已被他人修改" in page.content.decode()
    assert Referral.objects.get(pk=r.pk).status == ReferralStatus.ACCEPTED
