"""Every page each role reaches from the navigation, and one level of links below it (issue 11): no
serious or critical axe-core violation, and no page wider than the screen (360 px phones for the
officer pages, desktop width for the others)."""

import re
from urllib.parse import urlsplit

import pytest

from .conftest import DESKTOP, PHONE, Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Files, state changes, Django's own admin and the API's documentation (drf-spectacular's Swagger UI
# and ReDoc, for integrators; discipline/tests/test_api.py opens them) are not pages to check.
SKIP = re.compile(r"(\.pdf|\.xlsx|\.csv|\.txt|/download/|/evidence/|/export|/admin/|/logout/|/i18n/|/status/|/api/v1/)")
ROLES = [
    # Officer-facing pages must work on a phone; the discipline pages at desktop width.
    ("zhangwei", PHONE),
    ("wangfang", PHONE),
    ("chenjun", PHONE),
    ("zhaolei", DESKTOP),
    ("admin", DESKTOP),
]


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    paths = []
    for href in hrefs:
        if not href or not href.startswith("/") or SKIP.search(href):
            continue
        paths.append(urlsplit(href).path + (f"?{urlsplit(href).query}" if urlsplit(href).query else ""))
    return paths


@pytest.mark.parametrize(("username", "viewport"), ROLES, ids=[r[0] for r in ROLES])
def test_every_page_is_accessible_and_fits(browser, browser_context_args, live_server, demo, username, viewport):
    context = browser.new_context(**{**browser_context_args, "viewport": viewport})
    me = Journey(context.new_page(), live_server.url)
    me.login(username)
    top = list(dict.fromkeys(_links(me.page, "nav a[href], .dropdown-menu a[href]")))
    seen: set[str] = set()
    queue = [(path, 0) for path in top]
    too_wide = []
    while queue:
        path, depth = queue.pop(0)
        key = _pattern(path.split("?")[0])
        if key in seen:
            continue
        seen.add(key)
        response = me.page.goto(live_server.url + path)
        assert response.status == 200, (username, path, response.status)
        me.check()
        width = me.page.evaluate("() => document.documentElement.scrollWidth")
        if width > viewport["width"] + 1:
            too_wide.append(f"{path}: {width}px")
        if depth == 0:
            queue += [(p, 1) for p in _links(me.page, "main a[href]")]
    assert not too_wide, f"{username}: pages wider than {viewport['width']} px: {too_wide}"
    # The walk really covered the role's pages: at least the list, quick capture and help.
    assert len(seen) >= 5, seen
    context.close()


@pytest.mark.parametrize(("username", "viewport"), [("zhangwei", PHONE), ("zhaolei", DESKTOP)], ids=["officer", "discipline"])
def test_the_english_pages_fit_too(browser, browser_context_args, live_server, demo, username, viewport):
    """English labels are longer than Chinese ones: the menu's pages still fit the screen, and the
    interface text is English (no Chinese heading)."""
    context = browser.new_context(
        **{**browser_context_args, "viewport": viewport, "locale": "en-US", "extra_http_headers": {"Accept-Language": "en"}}
    )
    me = Journey(context.new_page(), live_server.url)
    me.login(username)
    top = list(dict.fromkeys(_links(me.page, "nav a[href], .dropdown-menu a[href]")))
    assert len(top) >= 3, top
    too_wide, chinese = [], []
    for path in top:
        response = me.page.goto(live_server.url + path)
        assert response.status == 200, (username, path, response.status)
        width = me.page.evaluate("() => document.documentElement.scrollWidth")
        if width > viewport["width"] + 1:
            too_wide.append(f"{path}: {width}px")
        # A heading may name its scope after " · " (a unit's name is data, not interface text).
        heading = me.page.inner_text("h1").split(" · ")[0] if me.page.locator("h1").count() else ""
        if re.search(r"[\u4e00-\u9fff]", heading):
            chinese.append(f"{path}: {heading}")
    assert too_wide == [] and chinese == []
    context.close()
