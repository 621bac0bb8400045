"""Rule numbers (R16, R28…) and internal keys belong in code, tests and docs, not in what staff read: with the demo
data loaded, no page in the navigation of several personas shows one in its visible text, in either language.
(Product risk grades R1–R5 are the bank's own vocabulary for products and stay.)"""
import html
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from wealthdesk.core.seeding import SIZES
from wealthdesk.core.tests.test_no_clear_personal_data import start_urls as urls_to_visit
from wealthdesk.staff.models import User

LOGINS = ["hq_service", "branch1_service", "quality_b1", "auditor", "head_c1", "lead_c1", "cm_c1_1", "lobby_c1",
          "teller_c1", "archivist_c1"]
RULE = re.compile(r"\bR\d{1,2}\b")
RISK_GRADE = re.compile(r"\bR[1-5]\s*(?:低|中|高|–|-|~)|R1–R5|\bR[1-5]\b(?=\s*(?:low|medium|high|Low|Medium|High))")
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def visible_text(body: str) -> str:
    return html.unescape(TAG.sub(" ", HIDDEN.sub(" ", body)))


def rule_numbers(text: str) -> list[str]:
    return [m.group(0) for m in RULE.finditer(RISK_GRADE.sub(" ", text))]


def test_visible_text_extraction_finds_rule_numbers_but_not_attributes_or_risk_grades():
    assert rule_numbers(visible_text('<p data-x="R16">客户信息严格保密（R28）</p>')) == ["R28"]
    assert rule_numbers(visible_text("<td>R2 中低风险</td><td>R12345</td>")) == []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setitem(SIZES, "small", 300)
        with transaction.atomic():
            call_command("seed_demo", "--size", "small", "--today", "2026-11-27", stdout=open("/dev/null", "w"))
            yield
            transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_no_nav_page_shows_a_rule_number(client, demo, lang, restore_language):
    visited, found = 0, []
    client.cookies["django_language"] = lang
    for login in LOGINS:
        client.force_login(User.objects.get(username=login))
        for url in urls_to_visit():
            if url.startswith("/api/"):
                continue
            response = client.get(url, follow=True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            visited += 1
            numbers = rule_numbers(visible_text(response.content.decode(errors="ignore")))
            if numbers:
                found.append(f"{login} {url}: {sorted(set(numbers))}")
    assert visited > 60
    assert found == []
