"""Record content is never kept in a browser's or a proxy's cache (issue 17 §6): every page a
signed-in user opens and every download (evidence, PDF, xlsx, the audit head) says
`Cache-Control: no-store`; static files stay cacheable."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from discipline.tests.test_matrix import MATRIX, ROLES, world  # noqa: F401 - `world` is a fixture

DOWNLOADS = {
    "records:evidence", "discipline:letter_pdf", "discipline:special_pdf", "discipline:report_download", "discipline:ledger_xlsx",
    "discipline:dashboard_xlsx", "discipline:fault_decision_pdf", "discipline:tolerance_evidence", "discipline:campaign_report_download",
    "discipline:rectification_evidence", "audit:head",
}  # fmt: skip


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and "private" in directives


@pytest.mark.parametrize("name", sorted(n for n, (method, _args, expected) in MATRIX.items() if method == "get" and 200 in expected.values()))
def test_every_page_and_download_is_not_stored(client, world, name):  # noqa: F811 - the fixture
    method, args_key, expected = MATRIX[name]
    url = reverse(name, args=world["args"][args_key] if args_key else [])
    roles = [r for r in ROLES if r != "anonymous" and expected[r] == 200]
    assert roles or name in ("login", "otp_verify")
    for role in roles:
        client.force_login(world["users"][role])
        response = client.get(url)
        assert response.status_code == 200, (name, role)
        assert _no_store(response), (name, role, response.get("Cache-Control"))
        assert get_max_age(response) == 0


def test_the_matrix_lists_every_download():
    """The walk above reaches each download view (a new one must be added to the matrix)."""
    opened = {n for n, (method, _args, expected) in MATRIX.items() if method == "get" and 200 in expected.values()}
    assert DOWNLOADS <= opened


@pytest.mark.django_db
def test_anonymous_pages_and_static_files_are_left_alone(client, officer, settings):
    # Nothing of a record reaches a visitor who has not signed in (the login page is never-cache by Django itself).
    assert "no-store" not in client.get("/no-such-page/").get("Cache-Control", "")
    client.force_login(officer)
    # Whoever serves /static/ (the web server in production), the answer is never marked no-store.
    assert "no-store" not in client.get(settings.STATIC_URL + "css/app.css").get("Cache-Control", "")
