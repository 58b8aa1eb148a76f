"""The Excel export buttons in the permission matrix (issue 19): who sees an export button is who may
export. A role that may export finds the button on 台账 and 统计分析 and gets the file; a role that may
not finds the button on no page it opens, and gets 404 from the URL."""

import pytest
from django.urls import reverse

from discipline.tests.test_matrix import MATRIX, ROLES, world  # noqa: F401 - `world` is a fixture

pytestmark = pytest.mark.django_db

EXPORTS = {"discipline:ledger": "discipline:ledger_xlsx", "discipline:dashboard": "discipline:dashboard_xlsx"}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_button_may_export(client, world, role):  # noqa: F811 - the imported fixture
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    may_export = {name for name in EXPORTS.values() if MATRIX[name][2][role] == 200}
    for page, export in EXPORTS.items():
        response = client.get(reverse(page))
        href = f'href="{reverse(export)}'
        if export in may_export:
            assert response.status_code == 200 and href in response.content.decode(), (role, page)
            download = client.get(reverse(export))
            assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment"), (role, export)
        else:
            assert client.get(reverse(export)).status_code == (302 if user is None else 404), (role, export)
    if user is None:
        return
    # No page this role opens links an export it may not use.
    shown = set()
    for name, (method, args_key, expected) in MATRIX.items():
        if method != "get" or expected[role] != 200 or name in EXPORTS.values():
            continue
        response = client.get(reverse(name, args=world["args"][args_key] if args_key else []))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a file (PDF, workbook, evidence) links nothing
        text = response.content.decode()
        shown |= {export for export in EXPORTS.values() if f'href="{reverse(export)}' in text}
    assert shown == may_export, role
