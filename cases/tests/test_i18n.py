"""English UI through Django i18n: the committed catalogue is complete and LocaleMiddleware switches to it."""

import ast
import gettext
import re

import pytest
from django.conf import settings
from django.urls import reverse

PO_FILE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def _po_entries(path) -> list[dict[str, str]]:
    """Each entry of a .po file as {keyword: unescaped text}, comments and flags under "#"."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    keyword = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, keyword = {}, None
        elif line.startswith("#"):
            entry["#"] = entry.get("#", "") + line + "\n"
        elif match := _KEYWORD.match(line):
            keyword = match.group(1)
            entry[keyword] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and keyword:
            entry[keyword] += ast.literal_eval(line)
    return entries


def test_catalogue_is_complete_and_compiled():
    entries = _po_entries(PO_FILE)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "Language: en" in header["msgstr"]
    assert len(messages) > 100
    untranslated = [e["msgid"] for e in messages if not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert untranslated == []
    assert [e["msgid"] for e in messages if "msgid_plural" in e and not e.get("msgstr[1]")] == []
    assert [e["msgid"] for e in messages if "fuzzy" in e.get("#", "")] == []
    placeholders = re.compile(r"%\(\w+\)[sd]")
    for e in messages:
        for key in ("msgstr", "msgstr[0]", "msgstr[1]"):
            if key in e:
                assert sorted(placeholders.findall(e[key])) == sorted(placeholders.findall(e["msgid"])), e["msgid"]
    with MO_FILE.open("rb") as mo:  # the committed .mo matches the .po: no gettext step at run time
        compiled = gettext.GNUTranslations(mo)
    for e in messages:
        if "msgctxt" in e:
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e.get("msgstr", e.get("msgstr[0]")), e["msgid"]
        elif "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr[1]"], e["msgid"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"], e["msgid"]


@pytest.mark.django_db
def test_default_language_is_chinese(client, officer):
    client.force_login(officer)
    page = client.get(reverse("records:list")).content.decode()
    assert "我的记录" in page and "My records" not in page


@pytest.mark.django_db
def test_set_language_switches_the_ui_to_english(client, officer):
    client.force_login(officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("records:list")})
    assert response.status_code == 302
    page = client.get(reverse("records:list")).content.decode()
    assert "My records" in page and "Register interference" in page
    assert "我的记录" not in page and "登记过问" not in page


@pytest.mark.django_db
def test_accept_language_header_selects_english(client, officer):
    client.force_login(officer)
    page = client.get(reverse("records:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My records" in page and "我的记录" not in page


# Text a user reads on an HTML page is marked for translation; the PDFs and spreadsheets are the
# bureau's own Chinese documents (报告、通报函、台账) and stay Chinese in either language.
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MARKED = re.compile(
    r"\{%\s*(?:translate|trans)\s+(?:\"[^\"]*\"|'[^']*')[^%]*%\}"
    r"|\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}"
    r"|\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{\{.*?\}\}",
    re.S,
)
# A literal inside a variable tag ({{ d|date:"n月j日" }}, {{ x|default:"无" }}) is interface text
# too, unless it is marked with _("...").
_LITERAL = re.compile(r"(?<!_\()(\"[^\"]*\"|'[^']*')")


def _strip_marked(match: re.Match) -> str:
    text = match.group(0)
    if text.startswith("{{") and any(_CJK.search(lit) for lit in _LITERAL.findall(text)):
        return text
    return ""


def _unmarked_chinese(text: str) -> list[str]:
    return [line.strip() for line in _MARKED.sub(_strip_marked, text).splitlines() if _CJK.search(line)]


def test_the_scanner_finds_unmarked_text():
    assert _unmarked_chinese('<h1>{% translate "统计" %}</h1>\n<p>{{ x }}年</p>') == ["<p>年</p>"]
    assert _unmarked_chinese("{% blocktranslate with y=1 %}{{ y }}年{% endblocktranslate %}{# 注 #}") == []
    assert _unmarked_chinese('<td>{{ d|date:"n月j日" }}</td>') == ['<td>{{ d|date:"n月j日" }}</td>']
    assert _unmarked_chinese('<td>{{ r.name|default:_("无") }}</td>') == []


def test_html_templates_mark_every_chinese_text():
    pages = [
        p for p in (settings.BASE_DIR / "templates").rglob("*.html")
        if "pdf" not in p.name and p.parent.name != "pdf"
    ]  # fmt: skip
    assert len(pages) > 50
    unmarked = {str(p.relative_to(settings.BASE_DIR)): lines for p in pages if (lines := _unmarked_chinese(p.read_text(encoding="utf-8")))}
    assert unmarked == {}


@pytest.mark.django_db
def test_reports_page_in_english(client, admin_role_user):
    client.force_login(admin_role_user)
    page = client.get(reverse("discipline:reports"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Annual analysis reports and quarterly bulletins" in page and "Report type" in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    # Unit names in the unit choice are data, not interface text.
    assert re.findall(r"<option[^>]*>[^<]*[\u4e00-\u9fff]", main) != []
    assert not _CJK.search(re.sub(r"<option[^>]*>[^<]*</option>", "", main))


def test_labels_built_in_code_follow_the_language():
    import datetime as dt

    from django.utils import translation

    from records.zero_report.selectors import month_label

    with translation.override("zh-hans"):
        assert month_label(dt.date(2026, 11, 1)) == "2026年11月"
    with translation.override("en"):
        assert month_label(dt.date(2026, 11, 1)) == "11/2026"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("name", ["DATETIME_FORMAT", "DATE_FORMAT"])
def test_date_formatter_matches_the_template_filter(lang, name):
    import datetime as dt

    from django.template.defaultfilters import date as date_filter
    from django.utils import timezone, translation

    from cases.formats import date_formatter

    values = [
        dt.datetime(2026, 1, 5, 1, 7, tzinfo=dt.UTC),  # 09:07 in Beijing
        dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC),  # 1 January 2027, 00:30 in Beijing
    ]
    with translation.override(lang), timezone.override("Asia/Shanghai"):
        fmt = date_formatter(name)
        assert [fmt(v) for v in values] == [date_filter(timezone.localtime(v), name) for v in values]
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        assert date_formatter("DATETIME_FORMAT")(values[1]) == "2027年1月1日 00:30"
