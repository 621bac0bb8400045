"""English is the second language: every entry of the catalogue is translated and none is left fuzzy."""
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[3] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_english_catalogue_has_no_empty_or_fuzzy_entry():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    empty = [e for e in entries if re.search(r'^msgstr ""\Z', e.strip(), re.M) and 'msgstr ""\n"' not in e]
    assert not fuzzy, fuzzy[:3]
    assert not empty, empty[:3]
    assert (PO.with_suffix(".mo")).exists()


def test_a_domain_page_speaks_english_when_asked(login_as, world):
    body = login_as("head_c1").get("/alerts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign out" in body and "退出" not in body
