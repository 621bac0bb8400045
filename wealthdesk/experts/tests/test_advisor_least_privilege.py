"""R4 least privilege: an external advisor sees only the consultations assigned to them and only the masked
summary. Every URL of the urlconf and every API list is tried as advisor_1: nothing beyond their consultations
answers, and no answer they can get holds a customer's name, ID number, mobile or exact AUM. Their access ends on
the engagement's end date and at once when revoked, on the next request, for pages and API tokens alike."""
import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wealthdesk.core.api import router
from wealthdesk.core.models import AuditLog
from wealthdesk.experts import services

from .factories import answered, ask, pool

pytestmark = pytest.mark.django_db

# What an advisor may open: their desk, their consultations (and files), their own notifications and account.
ALLOWED_PREFIXES = ("/experts/mine/", "/experts/consultations/{mine}/", "/core/notifications/", "/staff/agreement/",
                    "/staff/password/", "/security/password/", "/security/recovery-codes/", "/accounts/", "/i18n/", "/api/v1/notifications/", "/api/v1/auth/",
                    "/api/v1/schema/", "/api/v1/docs/", "/api/v1/consultations/", "/api/v1/experts/")
SKIP = ("/static/", "/media/", "/admin/", "/accounts/logout/", "/__debug__/")
# Not data: the JavaScript message catalogue and the API's index of endpoint names.
NOT_DATA = {"/jsi18n/", "/api/v1/"}


def _walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def _concrete(route: str, ids: list[int]) -> list[str]:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    if "(?P<format>" in route or "<drf_format_suffix" in route:
        return []
    if re.search(r"\(\?P<|\[", route):  # a regex route (DRF's router): fill its groups with an id
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "{id}", route)
    urls = []
    for value in ids:
        url = re.sub(r"<int:\w+>", str(value), route)
        url = re.sub(r"<(?:slug|str):\w+>", "x", url)
        url = re.sub(r"<(?:path):\w+>", "x", url)
        url = url.replace("{id}", str(value))
        urls.append("/" + url.lstrip("/"))
    return sorted(set(urls))


def _setup(world):
    mine = answered(world, named="advisor_1")
    other = ask(world, level="branch")  # the branch queue: not the advisor's
    services.consultation_take(actor=world.expert_1, consultation=other)
    return mine, other


def test_every_url_of_the_urlconf_refuses_the_advisor_except_their_consultations(client, world):
    mine, other = _setup(world)
    client.force_login(world.advisor_1)
    ids = sorted({1, mine.pk, other.pk, world.cust_a.pk})
    allowed = tuple(p.replace("{mine}", str(mine.pk)) for p in ALLOWED_PREFIXES)
    opened = []
    for route in _walk(get_resolver().url_patterns):
        for url in _concrete(route, ids):
            if url.startswith(SKIP) or url == "/" or url in NOT_DATA:
                continue
            response = client.get(url)
            if response.status_code == 200 and not url.startswith(allowed):
                opened.append(url)
    assert not opened, opened


def test_every_api_list_gives_the_advisor_nothing_but_their_own(world):
    mine, other = _setup(world)
    api = APIClient()
    api.force_authenticate(world.advisor_1)
    for prefix, _viewset, _basename in router.registry:
        response = api.get(f"/api/v1/{prefix}/")
        if response.status_code != 200:
            assert response.status_code in (403, 404, 405), (prefix, response.status_code)
            continue
        ids = {row["id"] for row in response.json().get("results", [])}
        if prefix == "consultations":
            assert ids == {mine.pk}
        elif prefix == "experts":
            assert ids == {world.advisor_1.pool_member.pk}
        elif prefix == "staff":
            assert ids == {world.advisor_1.pk}  # themselves only, no staff list
        elif prefix == "org-units":
            assert ids == {world.hq.pk}  # their own unit, not the tree
        elif prefix == "notifications":
            continue
        else:
            assert not ids, (prefix, ids)
    assert api.get(f"/api/v1/consultations/{other.pk}/").status_code == 404


def test_the_advisor_gets_no_customer_identity_anywhere(client, world):
    mine, _other = _setup(world)
    secrets = [world.cust_a.name, world.cust_a.id_number, world.cust_a.mobile, world.cust_a.cif_no, "1500000",
               "1,500,000", "150.00万"]
    client.force_login(world.advisor_1)
    bodies = [client.get(u).content.decode() for u in ("/", "/experts/mine/", f"/experts/consultations/{mine.pk}/")]
    api = APIClient()
    api.force_authenticate(world.advisor_1)
    bodies += [api.get(u).content.decode() for u in ("/api/v1/consultations/", f"/api/v1/consultations/{mine.pk}/",
                                                     "/api/v1/experts/", "/api/v1/notifications/")]
    for body in bodies:
        for secret in secrets:
            assert secret not in body, secret
    detail = api.get(f"/api/v1/consultations/{mine.pk}/").json()
    assert detail["customer"] is None and detail["customer_name"] is None and detail["summary"]["tier"] == "core"


def test_every_view_by_the_advisor_is_audited(client, world):
    mine, _other = _setup(world)
    client.force_login(world.advisor_1)
    client.get(f"/experts/consultations/{mine.pk}/")
    client.get("/experts/mine/")
    api = APIClient()
    api.force_authenticate(world.advisor_1)
    api.get(f"/api/v1/consultations/{mine.pk}/")
    api.get("/api/v1/consultations/")
    rows = AuditLog.objects.filter(actor=world.advisor_1)
    assert rows.filter(action="view", object_id=str(mine.pk)).count() == 2
    assert rows.filter(action="list").count() == 2


def test_revocation_takes_effect_on_the_next_request_for_pages_and_tokens(client, world):
    mine, _other = _setup(world)
    client.force_login(world.advisor_1)
    token = Token.objects.create(user=world.advisor_1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/experts/mine/").status_code == 200
    assert api.get("/api/v1/consultations/").status_code == 200
    services.member_revoke(actor=world.hq_service, member=world.advisor_1.pool_member, reason="合作终止")
    page = client.get("/experts/mine/")
    assert page.status_code == 403 and "已被撤销" in page.content.decode()
    assert client.get("/experts/mine/").status_code == 302  # the session was ended
    answer = api.get(f"/api/v1/consultations/{mine.pk}/")
    assert answer.status_code == 401 and "已被撤销" in answer.json()["detail"]
    assert AuditLog.objects.filter(actor=world.advisor_1, action="denied", detail__result="access_ended").count() == 2


def test_access_ends_after_the_engagement_end_date(client, world):
    members = pool(world)
    member = members["advisor_1"]
    services.member_update(actor=world.hq_service, member=member,
                           engagement_ends_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(world.advisor_1)
    page = client.get("/experts/mine/")
    assert page.status_code == 403 and "聘用已于" in page.content.decode()
    api = APIClient()
    token = Token.objects.create(user=world.advisor_1)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/consultations/").status_code == 401


def test_other_staff_are_not_checked_by_the_pool(client, world):
    pool(world)
    client.force_login(world.cm_c1_1)
    assert client.get("/experts/consultations/").status_code == 200
