"""A PDF renders Chinese with the vendored font on a machine without any font package (issue 12): the render runs
in a subprocess whose fontconfig sees an empty font directory, and the Chinese text is read back with pypdf."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from wealthdesk.core.pdf import PDF_FONT

ROOT = Path(__file__).resolve().parents[3]
TEXT = "理财中心运营状况报告"
RENDER = f"""
import django, sys
django.setup()
from wealthdesk.core.pdf import pdf_bytes
sys.stdout.buffer.write(pdf_bytes(html="<h1>{TEXT}</h1><p>客户资产</p>", title="t", watermark="水印", export_id="x"))
"""


def test_the_font_is_vendored_with_its_licence():
    found = Path(finders.find(PDF_FONT))
    assert found.stat().st_size > 1_000_000
    assert (found.parent / "wqy-microhei.COPYRIGHT").read_text().count("Apache-2.0") >= 1
    assert (found.parent / "wqy-microhei.LICENSE-Apache-2.0").exists()


def test_pdf_renders_chinese_without_system_fonts(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    empty = tmp_path / "fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{empty}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>')
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "FONTCONFIG_PATH": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "wealthdesk.config.settings.test"}
    check = subprocess.run(["fc-list"], env=env, capture_output=True, text=True)
    assert check.returncode != 0 or check.stdout.strip() == "", "the system fonts are still visible"
    result = subprocess.run([sys.executable, "-c", RENDER], cwd=ROOT, env=env, capture_output=True, timeout=240)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    reader = pypdf.PdfReader(io.BytesIO(result.stdout))
    text = "".join(page.extract_text() for page in reader.pages)
    assert TEXT in text and "客户资产" in text
    fonts = {str(f.get_object().get("/BaseFont")) for page in reader.pages
             for f in page["/Resources"].get_object().get("/Font", {}).get_object().values()}
    assert any("WenQuanYi" in name or "WealthDesk" in name for name in fonts), fonts
