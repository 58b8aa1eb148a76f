"""Hostile integers everywhere (issue 17 §5): every URL of the project, for a user of each kind of role
of the permission matrix, gets huge (at and past the 64-bit integer range), negative and non-integer
values in its id path parameter, in the integer query parameters the views read, in every integer field
of every form of the project, and in every form the pages draw (each of its submit actions). No
response may be a 500; all failures are collected into one message.

The URLs, roles and the objects each role may open come from the permission matrix (test_matrix.py),
so a URL added there is fuzzed here without further work."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django import forms
from django.db import transaction
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse

from discipline.tests import test_matrix
from discipline.tests.test_matrix import MATRIX, _names

pytestmark = pytest.mark.django_db

# The matrix's fixture: one user per role and the objects each of them may open.
world = test_matrix.world

BIGINT_MAX = "9223372036854775807"  # the largest id PostgreSQL's bigint and SQLite's INTEGER hold
PAST_BIGINT = "9223372036854775808"
DIGITS_23 = "12345678901234567890123"
# In a path an id is digits (anything else does not match the route and is a 404 before any view).
PATH_VALUES = [BIGINT_MAX, PAST_BIGINT, DIGITS_23]
# Parameters and fields also get a sign, and a month (2026-11) with a huge year, which is no integer.
FIELD_VALUES = [BIGINT_MAX, DIGITS_23, "-1", f"{PAST_BIGINT}-01"]
# One user of each kind of the matrix's roles (the second officer, principal and body take the same
# code paths as the first), and the anonymous visitor for the id routes.
FUZZ_ROLES = ["anonymous", "officer", "section_head", "principal", "jj", "admin"]
# Integer query parameters read by views outside a form (pagination, report jobs, the month and year
# pickers, notification ids); the integer fields of the forms are added from the form classes.
QUERY_PARAMETERS = {"page", "job", "month", "year", "id", "pk", "quarter"}
SENTINEL = 987654321  # reverses any id route; replaced by the hostile value
PROJECT_APPS = ("cases", "records", "discipline")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def integer_field_names() -> set[str]:
    """The names of every integer-valued field (numbers, model choices, integer-coerced choices) of
    every form class of the project's apps."""
    get_resolver().url_patterns  # noqa: B018 - importing the views imports every form
    names = set()
    for form_class in _subclasses(forms.BaseForm):
        if form_class.__module__.split(".")[0] not in PROJECT_APPS or "tests" in form_class.__module__:
            continue
        for name, field in getattr(form_class, "base_fields", {}).items():
            coerced_to_int = isinstance(field, forms.TypedChoiceField) and field.coerce is int
            if isinstance(field, (forms.IntegerField, forms.ModelChoiceField)) or coerced_to_int:
                names.add(name)
    return names


class PostForms(HTMLParser):
    """The POST forms of a page: (action, fields) for each submit button, fields being the form's
    hidden inputs and the button's own name/value (how a page chooses its step)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "hidden": {}, "buttons": []} if (attrs.get("method") or "").lower() == "post" else None
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("type") == "hidden" and attrs.get("name") and attrs["name"] != "csrfmiddlewaretoken":
            self._form["hidden"][attrs["name"]] = attrs.get("value") or ""
        elif tag in ("button", "input") and (attrs.get("type") or "submit") == "submit" and attrs.get("name"):
            self._form["buttons"].append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            for button in self._form["buttons"] or [None]:
                self.found.append((self._form["action"], {**self._form["hidden"], **dict([button] if button else [])}))
            self._form = None


def _post_forms(page_url: str, html: str) -> list[tuple[str, dict]]:
    parser = PostForms()
    parser.feed(html)
    return [(urlsplit(urljoin(page_url, action)).path, fields) for action, fields in parser.found]


def _shown(data: dict | None) -> str:
    """A request's data in a failure message: the hostile value once and the form's own fields."""
    values = set((data or {}).values()) & set(FIELD_VALUES)
    return f"{sorted(values)} {({k: v for k, v in (data or {}).items() if v not in values})}" if data else ""


def _may_open(name: str, role: str) -> bool:
    """The role passes the view's access check (the matrix expects neither 404 nor the login page)."""
    return role != "anonymous" and MATRIX[name][2][role] != 404


def test_no_hostile_integer_gives_a_500(client, world):
    resolver_names = set(_names(get_resolver()))
    id_routes = {}
    for name in resolver_names:
        try:
            reverse(name)
        except NoReverseMatch:
            id_routes[name] = reverse(name, args=[SENTINEL])
    payloads = [dict.fromkeys(QUERY_PARAMETERS | integer_field_names(), value) for value in FIELD_VALUES]
    failures, path_tried, query_tried, forms_posted = [], set(), set(), set()

    def request(method, url, data=None):
        try:
            # A savepoint per request: a failed query must not break the test's transaction for the rest.
            with transaction.atomic():
                response = getattr(client, method)(url, data or {})
        except Exception as error:  # noqa: BLE001 - the test client re-raises a view's exception: that is a 500
            failures.append(f"{method.upper()} {url} {_shown(data)}: {type(error).__name__}: {error}"[:300])
            return None
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {_shown(data)}: {response.status_code}"[:300])
        return response

    for role in FUZZ_ROLES:
        user = world["users"][role]
        seen_forms = set()
        for name in sorted(resolver_names - {"logout"}):  # logout takes no input and would end the session
            if user is not None and client.session.get("_auth_user_id") != str(user.pk):
                client.force_login(user)  # at the start, or after a page signed the user out
            if name in id_routes:
                for value in PATH_VALUES:
                    request("get", id_routes[name].replace(str(SENTINEL), value))
                    request("post", id_routes[name].replace(str(SENTINEL), value))
                path_tried.add(name)
            if not _may_open(name, role):
                continue
            _method, args_key, _expected = MATRIX[name]
            url = reverse(name, args=world["args"][args_key] if args_key else [])
            for payload in payloads:
                request("get", url, payload)
                request("post", url, payload)
            query_tried.add(name)
            page = request("get", url)
            if page is None or not page.get("Content-Type", "").startswith("text/html"):
                continue
            for action, fields in _post_forms(url, page.content.decode()):
                key = (action, tuple(sorted(fields.items())))
                try:
                    target = resolve(action).view_name
                except Resolver404:
                    continue
                if key in seen_forms or target == "logout":
                    continue
                seen_forms.add(key)
                for payload in payloads:
                    request("post", action, {**payload, **fields})
                forms_posted.add(target)
    assert not failures, f"{len(failures)} responses ≥ 500:\n" + "\n".join(failures)
    # Every URL with an id was fuzzed, every URL some role may open got the parameters, and the forms
    # the pages draw were found (the quick and full record forms, the campaign form, the step forms).
    assert path_tried == set(id_routes) and len(path_tried) >= 40
    assert query_tried == {n for n in resolver_names - {"logout"} if any(_may_open(n, r) for r in FUZZ_ROLES)} and len(query_tried) >= 70
    assert {"records:create", "records:quick", "discipline:campaign_create", "discipline:fault_case", "records:amend"} <= forms_posted
