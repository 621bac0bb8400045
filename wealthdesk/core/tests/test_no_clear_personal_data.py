"""R28 across the whole system: with the demo data loaded, every page, detail page, API answer and export that a
demo persona can reach answers no clear mobile number or resident ID number (masking by default; clear values
only through the audited reveal).

The crawl starts from each persona's navigation, the home page and the API lists, and follows every link it
finds (``href``, ``hx-get``, ``action`` of GET forms; ``url``/``id`` of API results), so pages added later are
crawled without editing this file. It is bounded: at most ``PER_PATTERN`` URLs per URL pattern (digits
folded, query keys kept only for downloads), and downloads are opened like a user would (xlsx → every cell of
every sheet, csv → text).
"""
import os
import re
from collections import deque
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse

from wealthdesk.core import registry
from wealthdesk.core.api import router
from wealthdesk.core.seeding import SIZES
from wealthdesk.core.testing.exports import download, xlsx_text
from wealthdesk.staff.models import User

LOGINS = ["admin", "auditor", "hq_service", "branch1_service", "quality_b1", "subbranch1_service", "head_c1",
          "lead_c1", "cm_c1_1", "supervisor_c1", "lobby_c1", "teller_c1", "teller2_c1", "archivist_c1", "cm_c2_1",
          "head_c2", "advisor_1", "expert_1", "security_officer"]
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")
PER_PATTERN = 3  # distinct URLs per pattern and persona
MAX_PER_PERSONA = 150
# Not pages of the application (Django's admin is the operators' tool with its own gates), or not GET-safe.
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout/", "/i18n/", "/jsi18n/", "/api/v1/schema/",
                 "/api/v1/docs/", "/api/v1/auth/")
DOWNLOAD_HINTS = ("format", "export")
LINK = re.compile(r"""(?:href|hx-get|data-url)\s*=\s*["']([^"'#]+)["']""")
GET_FORM = re.compile(r"""<form\b(?![^>]*method\s*=\s*["']?post)[^>]*action\s*=\s*["']([^"'#]+)["']""", re.I)
XLSX = "spreadsheetml"
PERSONAL_FIELD = re.compile(r"mobile|phone|contact|id_number|tel")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setitem(SIZES, "small", 800)
        with transaction.atomic():
            call_command("seed_demo", "--size", "small", "--today", "2026-11-27", stdout=open("/dev/null", "w"))
            yield personal_values()
            transaction.set_rollback(True)


def personal_values() -> set[str]:
    """Every mobile or ID number stored in any text field that holds one (customers, complaints, opinions,
    referral prospects…), found by field name so that new models are covered too."""
    secrets: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields()
                  if isinstance(f, models.CharField) and PERSONAL_FIELD.search(f.name)]
        for name in fields:
            for value in model._base_manager.exclude(**{name: ""}).values_list(name, flat=True).iterator():
                compact = re.sub(r"[\s-]", "", value or "")
                secrets.update(MOBILE.findall(compact) + ID_NUMBER.findall(compact.upper()))
    return secrets


def start_urls() -> list[str]:
    urls = ["/", "/?overview=1"]
    for item in registry._NAV.values():
        try:
            urls.append(reverse(item.url_name))
        except NoReverseMatch:
            continue
    urls += [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]
    return sorted(set(urls))


def normalise(url: str, base: str) -> str | None:
    """A same-site path to crawl (query kept only for downloads), or None."""
    url = unescape(url).strip()
    if url.startswith(("http://testserver", "https://testserver")):
        url = url.split("testserver", 1)[1]
    if not url or url.startswith(("mailto:", "tel:", "javascript:", "http:", "https:", "//", "{")):
        return None
    if url.startswith("?"):
        url = urlsplit(base).path + url
    if not url.startswith("/"):
        return None
    parts = urlsplit(url)
    if parts.path.startswith(SKIP_PREFIXES) or "{" in parts.path or "%7B" in parts.path:
        return None
    query = parse_qsl(parts.query)
    if any(k in DOWNLOAD_HINTS for k, _v in query) or "export" in parts.path:
        return parts.path + ("?" + urlencode(query) if query else "")
    return parts.path


def pattern(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query)})
    return re.sub(r"/\d+(?=/|$)", "/<n>", parts.path) + ("?" + "&".join(keys) if keys else "")


def links_in(response, url: str) -> list[str]:
    ctype = response.get("Content-Type", "")
    if "json" in ctype:
        data = response.json()
        results = data.get("results", data) if isinstance(data, dict) else data
        found = []
        if isinstance(results, list):
            for row in results[:PER_PATTERN]:
                if isinstance(row, dict):
                    if isinstance(row.get("url"), str):
                        found.append(row["url"])
                    elif "id" in row and urlsplit(url).path.startswith("/api/v1/") and url.endswith("/"):
                        found.append(f"{urlsplit(url).path}{row['id']}/")
        return found
    if "html" not in ctype:
        return []
    body = response.content.decode(errors="ignore")
    found = LINK.findall(body) + GET_FORM.findall(body)
    return found[::2] + found[1::2][::-1]  # spread the sample over the list: first, last, second, …


def text_of(response) -> str | None:
    """What the user receives, as text: HTML/JSON bodies, every cell of an xlsx, a csv."""
    ctype = response.get("Content-Type", "")
    if XLSX in ctype:
        return xlsx_text(download(response))
    if "csv" in ctype:
        return download(response).decode("utf-8-sig", errors="ignore")
    if "html" in ctype or "json" in ctype or "text/plain" in ctype:
        return download(response).decode(errors="ignore")
    return None


def leaked(body: str, secrets: set[str]) -> set[str]:
    compact = re.sub(r"(?<=\d)[\s-](?=\d)", "", body)
    return {v for v in MOBILE.findall(compact) + ID_NUMBER.findall(compact) if v in secrets}


def crawl(client, secrets: set[str]) -> tuple[dict[str, int], list[str]]:
    seen_patterns: dict[str, int] = {}
    seen: set[str] = set()
    kinds = {"page": 0, "detail": 0, "api": 0, "download": 0}
    failures: list[str] = []
    queue = deque(start_urls())
    while queue and len(seen) < MAX_PER_PERSONA:
        url = queue.popleft()
        key = pattern(url)
        if url in seen or seen_patterns.get(key, 0) >= PER_PATTERN:
            continue
        seen.add(url)
        seen_patterns[key] = seen_patterns.get(key, 0) + 1
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        body = text_of(response)
        if body is None:
            continue
        ctype = response.get("Content-Type", "")
        kind = "download" if (XLSX in ctype or "csv" in ctype) else "api" if "json" in ctype else \
            "detail" if "/<n>" in key else "page"
        kinds[kind] += 1
        found = leaked(body, secrets)
        if found:
            failures.append(f"{url}: {sorted(found)[:3]}")
        final = response.request.get("PATH_INFO", url) if hasattr(response, "request") else url
        for link in links_in(response, final):
            nxt = normalise(link, final)
            if nxt and nxt not in seen:
                queue.append(nxt)
    return kinds, failures


@pytest.mark.django_db
def test_no_page_detail_api_answer_or_export_shows_a_clear_mobile_or_id_number_to_anyone(client, demo):
    assert len(demo) > 500  # the demo really holds personal data to leak
    totals = {"page": 0, "detail": 0, "api": 0, "download": 0}
    failures = []
    logins = os.environ.get("WD_CRAWL_LOGINS", "").split(",") if os.environ.get("WD_CRAWL_LOGINS") else LOGINS
    for login in logins:
        client.force_login(User.objects.get(username=login))
        kinds, failed = crawl(client, demo)
        failures += [f"{login} sees clear personal data on {f}" for f in failed]
        for k, v in kinds.items():
            totals[k] += v
    assert not failures, "\n".join(failures[:20])
    if logins is not LOGINS:
        return
    # the crawl really covered the system: lists, detail pages, API details and downloads
    assert totals["page"] > 200 and totals["detail"] > 100 and totals["api"] > 100 and totals["download"] > 20, totals
