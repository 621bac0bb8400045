"""R28 across the whole system: with the demo data loaded, no page in anyone's navigation and no API list
answers any user with a customer's clear mobile number or resident ID number (masking by default; clear
values only through the audited reveal)."""
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from wealthdesk.core import registry
from wealthdesk.core.api import router
from wealthdesk.core.seeding import SIZES
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import User

LOGINS = ["admin", "auditor", "hq_service", "branch1_service", "quality_b1", "subbranch1_service", "head_c1",
          "lead_c1", "cm_c1_1", "supervisor_c1", "lobby_c1", "teller_c1", "teller2_c1", "archivist_c1", "cm_c2_1",
          "head_c2", "advisor_1", "expert_1"]
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setitem(SIZES, "small", 800)
        with transaction.atomic():
            call_command("seed_demo", "--size", "small", "--today", "2026-11-27", stdout=open("/dev/null", "w"))
            secrets = set(Customer.objects.exclude(mobile="").values_list("mobile", flat=True))
            secrets |= set(Customer.objects.values_list("id_number", flat=True))
            yield secrets
            transaction.set_rollback(True)


def urls_to_visit() -> list[str]:
    urls = ["/", "/?overview=1"]
    for item in registry._NAV.values():
        try:
            urls.append(reverse(item.url_name))
        except NoReverseMatch:
            continue
    urls += [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]
    return sorted(set(urls))


def leaked(body: str, secrets: set[str]) -> set[str]:
    return {v for v in MOBILE.findall(body) + ID_NUMBER.findall(body) if v in secrets}


@pytest.mark.django_db
def test_no_page_or_api_list_shows_a_clear_mobile_or_id_number_to_anyone(client, demo):
    visited = 0
    for login in LOGINS:
        client.force_login(User.objects.get(username=login))
        for url in urls_to_visit():
            response = client.get(url, follow=True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", "") \
                    and "json" not in response.get("Content-Type", ""):
                continue
            visited += 1
            found = leaked(response.content.decode(errors="ignore"), demo)
            assert not found, f"{login} sees clear personal data on {url}: {sorted(found)[:3]}"
    assert visited > 200  # the crawl really covered the system
