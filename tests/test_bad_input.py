"""Malformed and hostile input to every form and every view that takes parameters: a clear error in
the user's language, never a 500, no partial write, nothing leaked."""

import string

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from records.models import Amendment, CalendarYear, InterferenceRecord

pytestmark = pytest.mark.django_db

HOSTILE = [
    "", " ", "\x00", "\x1b[2J\x07", "<script>alert(1)</script>", "'; DROP TABLE records_interferencerecord; --",
    "../../../../etc/passwd", "%00", "{{ settings.SECRET_KEY }}", "{% debug %}", "１２３", "😀" * 50, "x" * 20000,
    "2026-02-30T10:00", "9999-12-31T23:59", "0000-01-01T00:00", "0001-01-01T00:00", "1000-01-01T10:00", "9999-12-31", "0001-01-01",
    "0000-01", "9999-12", "²", "１２", "-1", "1e309", "NaN", "null", "[]", "{}",
]  # fmt: skip
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

RECORD_FIELDS = ["matter", "occurred_at", "place", "channel", "interferer_kind", "interferer_name", "interferer_position", "interferer_unit",
                 "proxy_relation", "behind_name", "behind_position", "letter_organization", "letter_number", "content", "nature", "response",
                 "response_note", "missing_evidence_reason", "case", "interferer", "behind_person", "categories", "staged", "kind_1"]  # fmt: skip


def _no_500(response):
    from django.conf import settings

    assert response.status_code < 500
    body = response.content.decode(errors="replace")
    # Template syntax typed by a user is shown as text, never evaluated: the key never appears.
    assert "Traceback" not in body and settings.SECRET_KEY not in body


@FUZZ
@given(field=st.sampled_from(RECORD_FIELDS), value=hostile_text, intent=st.sampled_from(["draft", "submit", "bogus"]))
def test_record_form_survives_any_field(client, officer, field, value, intent):
    client.force_login(officer)
    valid = {
        "matter": "某事项", "occurred_at": "2026-11-20T10:00", "channel": "oral", "interferer_kind": "leader", "interferer_name": "李某",
        "interferer_position": "副县长", "content": "要求从轻。", "nature": "interference", "response": "refused",
    }  # fmt: skip
    before = InterferenceRecord.objects.count()
    response = client.post(reverse("records:create"), {**valid, field: value, "intent": intent})
    _no_500(response)
    if response.status_code == 200:
        # Refused: an error is shown in Chinese and nothing was written.
        assert InterferenceRecord.objects.count() == before
        form = response.context["form"]
        assert form.errors
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in str(e)) for errors in form.errors.values() for e in errors)
    else:
        assert response.status_code == 302


@FUZZ
@given(text=hostile_text, reason=hostile_text)
def test_amendment_survives_anything(client, officer, make_record, text, reason):
    from django.utils import timezone

    from records.record import services

    record = InterferenceRecord.objects.filter(status="submitted").first() or services.record_submit(record=make_record(), actor=officer, now=timezone.now())
    client.force_login(officer)
    before = Amendment.objects.count()
    response = client.post(reverse("records:amend", args=[record.pk]), {"text": text, "reason": reason})
    _no_500(response)
    assert response.status_code == 302
    grew = Amendment.objects.count() - before
    assert grew in (0, 1)
    if grew:
        stored = Amendment.objects.latest("pk")
        assert stored.text == text.strip() and stored.reason == reason.strip()


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["state", "channel", "q", "date_from", "date_to", "page", "unread", "month"]), hostile_text, max_size=4))
def test_list_filters_survive_anything(client, officer, discipline_user, params):
    params = {k: v.replace("\x00", "") for k, v in params.items()}  # a NUL never reaches Django from a real browser URL
    client.force_login(officer)
    _no_500(client.get(reverse("records:list"), params))
    _no_500(client.get(reverse("notifications:list"), params))
    client.force_login(discipline_user)
    _no_500(client.get(reverse("discipline:ledger"), params))
    _no_500(client.get(reverse("discipline:dashboard"), params))


@FUZZ
@given(year=hostile_text, source=hostile_text, notice=hostile_text, day=hostile_text)
def test_calendar_form_survives_anything(client, admin_role_user, year, source, notice, day):
    client.force_login(admin_role_user)
    before = CalendarYear.objects.count()
    response = client.post(reverse("calendar:index"), {"year": year, "source": source, "notice": notice, "save": "", "fingerprint": "x"})
    _no_500(response)
    _no_500(client.post(reverse("calendar:day"), {"day-date": day, "day-is_working_day": source, "day-note": notice}))
    if response.status_code == 200:
        assert CalendarYear.objects.count() == before


@pytest.mark.parametrize("path", ["/records/abc/", "/records/-1/", "/records/99999999999999999999/", "/records/evidence/0/", "/discipline/records/1e3/"])
def test_malformed_ids_are_404(client, officer, path):
    client.force_login(officer)
    assert client.get(path).status_code == 404


def test_ids_of_other_users_objects_are_404(client, officer, other_officer, make_record):
    record = make_record()
    client.force_login(other_officer)
    for name in ["records:detail", "records:edit", "records:submit"]:
        assert client.get(reverse(name, args=[record.pk])).status_code == 404
    assert client.post(reverse("records:amend", args=[record.pk]), {"text": "x", "reason": "y"}).status_code == 404


def test_cross_site_post_is_refused_without_writing(officer, make_record):
    record = make_record()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(officer)
    response = csrf_client.post(reverse("records:submit", args=[record.pk]), {}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == "draft"


def test_replayed_submit_is_harmless(client, officer, make_record):
    record = make_record()
    client.force_login(officer)
    first = client.post(reverse("records:submit", args=[record.pk]), {})
    second = client.post(reverse("records:submit", args=[record.pk]), {})
    assert first.status_code == second.status_code == 302
    record.refresh_from_db()
    submitted_at = record.submitted_at
    client.post(reverse("records:submit", args=[record.pk]), {})
    record.refresh_from_db()
    assert record.submitted_at == submitted_at


def test_control_characters_in_text_are_refused_or_kept_verbatim(client, officer):
    client.force_login(officer)
    content = "第一行\r\n第二行\t" + string.punctuation
    response = client.post(
        reverse("records:create"),
        {"matter": "某事项", "occurred_at": "2026-11-20T10:00", "channel": "oral", "interferer_kind": "leader", "interferer_name": "李某",
         "interferer_position": "副县长", "content": content, "nature": "interference", "response": "refused", "intent": "draft"},
    )  # fmt: skip
    assert response.status_code == 302
    assert InterferenceRecord.objects.get().content == content.strip()


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1000-01-01"])
def test_extreme_dates_are_refused_not_500(client, officer, discipline_user, value):
    """Found in review: valid but extreme dates overflowed date arithmetic."""
    client.force_login(officer)
    for params in ({"date_to": value}, {"date_from": value}):
        response = client.get(reverse("records:list"), params)
        assert response.status_code == 200 and "2099" in response.content.decode()
    response = client.post(reverse("records:create"), {"occurred_at": f"{value}T10:00", "intent": "draft"})
    assert response.status_code == 200 and "2000年1月1日" in response.context["form"].errors["occurred_at"][0]
    client.force_login(discipline_user)
    for name in ("discipline:ledger", "discipline:dashboard"):
        assert client.get(reverse(name), {"date_to": value}).status_code == 200
        assert client.get(reverse(name), {"month": value[:7].replace("1000", "0000")}).status_code == 200


@pytest.mark.parametrize("value", ["²", "١٢"])
def test_unicode_digits_in_ids_are_ignored(client, officer, value):
    client.force_login(officer)
    assert client.post(reverse("notifications:read"), {"id": value}).status_code == 302
    response = client.post(reverse("records:create"), {"staged": value, "intent": "draft"})
    assert response.status_code == 200


HUGE = ["9223372036854775807", "9223372036854775808", "12345678901234567890123"]


@pytest.mark.parametrize("number", HUGE)
def test_huge_page_numbers_show_the_last_page(client, officer, discipline_user, make_record, number):
    """Issue 17 §5: ?page=9223372036854775807 overflowed the list's OFFSET (bigint out of range)."""
    make_record()
    client.force_login(officer)
    response = client.get(reverse("records:list"), {"page": number})
    assert response.status_code == 200 and len(response.context["rows"]) == 1
    assert client.get(reverse("notifications:list"), {"page": number}).status_code == 200
    client.force_login(discipline_user)
    assert client.get(reverse("discipline:ledger"), {"page": number}).status_code == 200


@pytest.mark.parametrize("value", HUGE[1:])
def test_huge_ids_in_multiple_choices_are_refused_in_chinese(client, officer, discipline_user, value):
    """Issue 17 §5: a 23-digit id in a multiple choice (campaign units, record categories) overflowed
    SQLite's integer (OverflowError, a 500)."""
    client.force_login(discipline_user)
    response = client.post(reverse("discipline:campaign_create"), {"title": "专项", "year": "2026", "leads": value, "units": value})
    assert response.status_code in (200, 400)
    assert "不是有效的选项" in str(response.context["form"].errors["units"])
    client.force_login(officer)
    response = client.post(reverse("records:create"), {"categories": value, "staged": value, "intent": "draft"})
    assert response.status_code == 200 and "不是有效的选项" in str(response.context["form"].errors["categories"])
    assert client.post(reverse("notifications:read"), {"id": value}).status_code == 302


@pytest.mark.parametrize("pk", ["0", *HUGE[1:]])
def test_ids_outside_the_database_range_do_not_match_a_route(pk):
    from django.urls import Resolver404, resolve

    for path in (f"/records/{pk}/", f"/discipline/campaigns/{pk}/", f"/discipline/complaints/new/{pk}/", f"/records/evidence/{pk}/"):
        with pytest.raises(Resolver404):
            resolve(path)
    assert resolve(f"/records/{HUGE[0]}/").kwargs == {"pk": 2**63 - 1}  # the largest id still matches


def test_zero_report_month_with_a_huge_year_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(reverse("records:zero_report"), {"month": "9223372036854775808-01", "declaration": "x"}, follow=True)
    assert response.status_code == 200
    assert "请选择要申报的月份" in response.content.decode()
