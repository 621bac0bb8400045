"""Real-browser fixtures: Playwright for Python driving Debian's Chromium (/usr/bin/chromium)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


def login(page, username: str, password: str) -> None:
    """Sign in through the real login form, then the second step: the user's current authenticator code (a
    confirmed device is created for the user when missing, issue 15)."""
    from django.contrib.auth import get_user_model

    from .twofactor import current_code, ensure_device

    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        ensure_device(user)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if user is not None and "/security/verify/" in page.url:
        page.fill("#id_code", current_code(user))
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def nav(page, key: str) -> None:
    """Follow a navigation entry by its key, opening its section's dropdown first when it sits in one."""
    link = page.locator(f"nav [data-nav='{key}']").first
    toggle = link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a[@data-bs-toggle]")
    if toggle.count():
        toggle.click()
    link.click()
    page.wait_for_load_state("networkidle")


def pick(scope, name: str, query: str, label: str | None = None) -> None:
    """Choose in a search picker (core.picker): type ``query`` in the picker of field ``name`` and click the
    result whose text contains ``label`` (default: the first result). ``scope`` is a page or a locator."""
    box = scope.locator(f"[data-picker]:has(input[name='{name}'])").first
    box.locator("[data-picker-input]").fill(query)
    option = box.locator("[data-picker-results] [data-id]")
    if label:
        option = option.filter(has_text=label)
    option.first.wait_for()
    option.first.dispatch_event("mousedown")


@pytest.fixture
def restore_language():
    """For tests that request pages in English: the locale middleware leaves the language active in the thread,
    so put Chinese back afterwards (other tests compare Chinese messages)."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
