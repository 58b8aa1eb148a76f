"""Browser tests (issue 11): Playwright for Python through pytest-playwright, driving Debian's Chromium
(`/usr/bin/chromium`, installed by scripts/system-deps.sh; Playwright never downloads a browser here)
against pytest-django's live server, with axe-core (installed from the npm registry into node_modules/
by `make dev-deps`) injected into every page visited.

In CI (CI=true) a missing browser or axe-core fails the run; on a developer's machine the tests skip.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the main thread, and Django refuses ORM calls while any
# loop runs. The documented workaround (microsoft/playwright-pytest#29): allow it for this session.
# The test code and the live server never share a connection across threads, so nothing is unsafe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Where journeys save screenshots: a scratch folder by default; `make screenshots` points it at
# docs/screenshots so the README shows the current product.
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "screenshots-tmp"))
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (scripts/system-deps.sh installs Debian's chromium)"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (make dev-deps installs it from the npm registry)"
    return None


@pytest.fixture(autouse=True, scope="session")
def _browser_available():
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright hook: launch Debian's Chromium with the flags of an offline machine."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script tag, which the site's CSP (no inline scripts) would refuse.
    return {**browser_context_args, "viewport": DESKTOP, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "bypass_csp": True, "accept_downloads": True}


@pytest.fixture(autouse=True, scope="session")
def _migration_data(django_db_setup, django_db_blocker) -> str | None:
    """The data the migrations created (role groups, catalogue...), serialized at database set-up
    because the journeys ask for `serialized_rollback`. Captured before Playwright starts: its sync API
    runs the test in a greenlet with its own context, where Django's connection object (context-local)
    is a new one that no longer carries the serialized copy."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture
def demo(transactional_db, _migration_data):
    """The demo data of `manage.py seed_demo` (units, one user per role, cases, records), on top of the
    migrations' data, which a previous transactional test may have flushed."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.core.management import call_command

    from cases.accounts import role_permissions_sync

    if not Group.objects.exists() and _migration_data:
        # Content types and permissions were recreated by the flush's post_migrate signal, under new
        # keys: the role groups come back without the permissions they were serialized with, which
        # the administrators' groups then get again from cases.roles.ROLE_PERMISSIONS.
        for obj in serializers.deserialize("json", _migration_data):
            if isinstance(obj.object, Group):
                obj.object.save()
            elif not isinstance(obj.object, (ContentType, Permission)):
                obj.save()
        role_permissions_sync()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


class Journey:
    """One user's walk through the product: every page visited is checked with axe-core and, when
    asked, saved as a screenshot."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def login(self, username: str) -> None:
        from discipline.demo.seed import DEMO_PASSWORD

        self.page.context.clear_cookies()
        self.page.goto(self.base_url + "/login/")
        self.check()
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(DEMO_PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_load_state()
        assert "/login/" not in self.page.url, f"login failed for {username}"

    def check(self) -> None:
        """No serious or critical axe-core violation on the current page."""
        self.page.wait_for_load_state()
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"{self.page.url}:\n" + "\n".join(bad)
        self.checked.append(self.page.url)

    def shot(self, name: str, full_page: bool = False) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def journey(page, live_server):
    page.set_default_timeout(15_000)
    return Journey(page, live_server.url)
