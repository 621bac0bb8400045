"""Downloadable templates (issue 10): per file kind a .csv and an .xlsx with the header row and one example row,
generated from the layouts, that the importer accepts as they are; the column rules are on the upload page."""
import io

import pytest

from wealthdesk.corebanking.choices import BatchStatus, ImportKind
from wealthdesk.corebanking.importing.layouts import LAYOUTS, match_header
from wealthdesk.corebanking.importing.readers import read_table
from wealthdesk.corebanking.services import import_run
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def _download(client, kind, fmt):
    response = client.get(f"/corebanking/imports/template/{kind}.{fmt}")
    assert response.status_code == 200, (kind, fmt, response.status_code)
    assert f"template-{kind}.{fmt}" in response["Content-Disposition"]
    return response.content


@pytest.mark.parametrize("kind", ImportKind.values)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_template_passes_the_header_check_and_every_cell_parser(login_as, world, kind, fmt):
    data = _download(login_as("hq_service"), kind, fmt)
    table = read_table(data, f"t.{fmt}")
    assert table.header == [c.label for c in LAYOUTS[kind]]  # generated from the layout, in its order
    positions, errors = match_header(kind, table.header)
    assert errors == []
    rows = list(table.rows)
    assert len(rows) == 1
    _line, cells = rows[0]
    for column in LAYOUTS[kind]:
        value = cells[positions[column.key]] if positions[column.key] < len(cells) else ""
        assert value or not column.required, column.key
        column.parse(value)  # raises ValueError on a cell the loader would refuse


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_keepers_customer_template_loads_as_it_is(login_as, world, fmt):
    data = _download(login_as("archivist_c1"), ImportKind.CUSTOMERS, fmt)
    batch, _created = import_run(actor=world.archivist_c1, kind=ImportKind.CUSTOMERS, data=data,
                                 file_name=f"template.{fmt}")
    assert batch.status == BatchStatus.LOADED and batch.rows_loaded == 1, batch.errors
    assert Customer.objects.get(cif_no="C900000001").center_id == world.c1.pk  # the keeper's own center


def test_the_products_template_loads_as_it_is(login_as, world):
    data = _download(login_as("hq_service"), ImportKind.PRODUCTS, "xlsx")
    batch, _created = import_run(actor=world.hq_service, kind=ImportKind.PRODUCTS, data=data, file_name="p.xlsx")
    assert batch.status == BatchStatus.LOADED and batch.rows_loaded == 1, batch.errors


def test_xlsx_template_keeps_digits_as_text_and_explains_each_column(login_as, world):
    from openpyxl import load_workbook

    data = _download(login_as("archivist_c1"), ImportKind.CUSTOMERS, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["D2"].value == "11010519491231002X" and sheet["G2"].value == "13800000001"
    assert "YYYY-MM-DD" in sheet["F1"].comment.text


def test_upload_page_shows_the_column_rules_and_template_links(login_as, world):
    html = login_as("archivist_c1").get("/corebanking/imports/upload/").content.decode()
    assert "docs/corebanking-formats.md" not in html
    assert 'href="/corebanking/imports/template/customers.xlsx"' in html
    assert 'href="/corebanking/imports/template/customers.csv"' in html
    assert "证件号码" in html and "日期，格式 YYYY-MM-DD" in html and "可选：C1（C1 保守型）" in html


def test_unknown_template_is_not_found_and_others_may_not_download(login_as, world):
    client = login_as("hq_service")
    assert client.get("/corebanking/imports/template/salaries.csv").status_code == 404
    assert client.get("/corebanking/imports/template/customers.pdf").status_code == 404
    assert login_as("cm_c1_1").get("/corebanking/imports/template/customers.csv").status_code == 403
