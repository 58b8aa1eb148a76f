"""Quick capture (快速登记, issue 11): a short draft from a phone, completed on the full 登记表 before
submission, which stays as strict as for any record."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from conftest import local, record_data
from records.calendar.deadlines import reporting_due
from records.models import InterferenceRecord
from records.record import services
from records.record.rules import incomplete_fields
from records.record.vocabulary import RecordEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24

COMPLETE = {
    "case": None, "matter": "某企业隐患整改", "channel": "oral", "interferer_name": "李某", "interferer_position": "副县长",
    "interferer_kind": "leader", "content": "要求从轻处罚。", "nature": "interference", "response": "refused",
    "proxy_relation": "", "behind_person": None, "behind_name": "", "letter_organization": "", "letter_number": "",
}  # fmt: skip


# --- the pure completeness rule -------------------------------------------------------------------


def test_complete_record_has_no_gaps():
    assert incomplete_fields(COMPLETE) == {}


@pytest.mark.parametrize(
    "name", ["interferer_name", "interferer_position", "interferer_kind", "content", "nature", "response"]
)
@pytest.mark.parametrize("empty", ["", "   ", None])
def test_each_required_field_is_a_gap(name, empty):
    assert list(incomplete_fields({**COMPLETE, name: empty})) == [name]


def test_case_or_matter():
    assert list(incomplete_fields({**COMPLETE, "matter": ""})) == ["matter"]
    assert incomplete_fields({**COMPLETE, "matter": "", "case": 7}) == {}


def test_quick_draft_lacks_matter_kind_nature_response():
    quick = {"channel": "phone", "interferer_name": "李某", "interferer_position": "副县长", "content": "打招呼。"}
    assert set(incomplete_fields(quick)) == {"matter", "interferer_kind", "nature", "response"}


def test_proxy_needs_relation_and_leader_behind():
    """R-PROXY (广元 001 第五条; 十堰 000 第八条(三))."""
    proxy = {**COMPLETE, "interferer_kind": "proxy"}
    assert set(incomplete_fields(proxy)) == {"proxy_relation", "behind_name"}
    assert incomplete_fields({**proxy, "proxy_relation": "aide", "behind_person": 3}) == {}
    assert incomplete_fields({**proxy, "proxy_relation": "relative", "behind_name": "王某"}) == {}


@pytest.mark.parametrize("values", [{"channel": "org_letter"}, {"interferer_kind": "organisation"}])
def test_organisation_letter_needs_organisation_and_number(values):
    letter = {**COMPLETE, **values}
    assert set(incomplete_fields(letter)) == {"letter_organization", "letter_number"}
    assert incomplete_fields({**letter, "letter_organization": "某县政府办", "letter_number": "无文号"}) == {}


# --- the service ----------------------------------------------------------------------------------


def quick(officer, **overrides):
    kwargs = {
        "interferer_name": "李某", "interferer_position": "副县长", "occurred_at": timezone.now().replace(microsecond=0) - timedelta(minutes=3),
        "channel": "phone", "content": "电话要求对企业从轻处罚。", "actor": officer,
    }  # fmt: skip
    kwargs.update(overrides)
    return services.record_quick_capture(**kwargs)


@pytest.mark.django_db
def test_quick_capture_makes_a_draft_with_the_deadline_from_the_interference(officer):
    # Friday 2026-11-20 22:00: the 3rd working day after it is Wednesday 2026-11-25 (R-DUE, 000 第九条).
    record = quick(officer, occurred_at=local(2026, 11, 20, 22, 0))
    assert record.status == "draft" and record.recorder == officer
    assert record.due_at == reporting_due(local(2026, 11, 20, 22, 0)) == local(2026, 11, 25, 23, 59, 59)
    assert (record.interferer_kind, record.nature, record.response, record.matter) == ("", "", "", "")
    assert officer.has_perm("records.view_interferencerecord", record)
    events = AuditEvent.objects.filter(object_id=str(record.pk), type=RecordEvent.RECORD_CREATED)
    assert events.count() == 1 and events.get().data["quick_capture"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["interferer_name", "interferer_position", "channel", "content"])
def test_quick_capture_refuses_an_empty_essential(officer, field):
    with pytest.raises(ValidationError):
        quick(officer, **{field: "  "})
    assert not InterferenceRecord.objects.exists()


@pytest.mark.django_db
def test_quick_capture_refuses_an_unknown_channel(officer):
    with pytest.raises(ValidationError):
        quick(officer, channel="fax")
    assert not InterferenceRecord.objects.exists()


@pytest.mark.django_db
def test_an_empty_post_is_answered_with_errors_not_a_blank_form(client, officer):
    client.force_login(officer)
    response = client.post(reverse("records:quick"), {})
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    assert not InterferenceRecord.objects.exists()


@pytest.mark.django_db
def test_incomplete_quick_draft_cannot_be_submitted_until_completed(officer):
    record = quick(officer, channel="oral")
    with pytest.raises(ValidationError) as error:
        services.record_submit(record=record, actor=officer, now=timezone.now())
    assert "登记表尚未填写完整" in error.value.messages[0]
    record.refresh_from_db()
    assert record.status == "draft"
    data = record_data(occurred_at=record.occurred_at, channel="oral")
    services.record_update_draft(record=record, data=data, actor=officer)
    submitted = services.record_submit(record=record, actor=officer, now=timezone.now())
    assert submitted.status == "submitted"


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_quick_page_defaults_to_now_and_offers_camera_and_recorder(client, officer):
    client.force_login(officer)
    html = client.get(reverse("records:quick")).content.decode()
    assert timezone.localtime().strftime("%Y-%m-%dT") in html
    assert 'accept="image/*" capture="environment"' in html
    assert 'accept="audio/*" capture="user"' in html
    # The nav button is on every page.
    assert reverse("records:quick") in client.get(reverse("records:list")).content.decode()


@pytest.mark.django_db
def test_quick_post_saves_draft_with_photo_and_shows_what_to_complete(client, officer):
    client.force_login(officer)
    when = timezone.localtime() - timedelta(minutes=10)
    response = client.post(
        reverse("records:quick"),
        {
            "interferer_name": "李某", "interferer_position": "副县长", "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "channel": "electronic", "content": "微信要求撤案。", "photo": SimpleUploadedFile("shot.png", PNG),
        },
    )  # fmt: skip
    record = InterferenceRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=[record.pk])
    assert list(record.evidence.values_list("kind", flat=True)) == ["electronic"]
    html = client.get(response["Location"]).content.decode()
    assert "补全登记表" in html and "请选择初步定性。" in html
    submit_page = client.get(reverse("records:submit", args=[record.pk])).content.decode()
    assert "登记表尚未填写完整，不能报送" in submit_page and "确认报送" not in submit_page


@pytest.mark.django_db
def test_quick_post_with_errors_keeps_input_and_summarises(client, officer):
    client.force_login(officer)
    response = client.post(reverse("records:quick"), {"interferer_name": "李某", "channel": "oral", "content": "要求关照。"})
    html = response.content.decode()
    assert response.status_code == 200 and not InterferenceRecord.objects.exists()
    assert 'role="alert"' in html and 'href="#id_interferer_position"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_interferer_position_error"' in html
    assert 'value="李某"' in html and "要求关照。" in html


@pytest.mark.django_db
def test_a_refused_file_does_not_cost_the_record(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("records:quick"),
        {
            "interferer_name": "李某", "interferer_position": "副县长", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone", "content": "要求关照。", "audio": SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 60),
        },
    )  # fmt: skip
    record = InterferenceRecord.objects.get()
    assert response.status_code == 302 and not record.evidence.exists()
    assert "类型不支持" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_full_form_still_requires_kind_nature_response(client, officer):
    client.force_login(officer)
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    post = {"matter": "某事项", "occurred_at": when, "channel": "oral", "interferer_name": "李某", "interferer_position": "副县长", "content": "x", "intent": "draft"}
    response = client.post(reverse("records:create"), post)
    assert response.status_code == 200 and not InterferenceRecord.objects.exists()
    errors = response.context["form"].errors
    assert {"interferer_kind", "nature", "response"} <= set(errors)


@pytest.mark.django_db
def test_every_page_with_a_failed_form_summarises_field_errors_at_the_top(client, org):
    """The base template's summary (issue 11): here the administrator's calendar form."""
    from tests.factories import make_officer

    admin = make_officer(org["bureau"], "admin9", role="admin")
    client.force_login(admin)
    response = client.post(reverse("calendar:index"), {"year": "", "source": "", "notice": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('id="form-errors"') == 1 and 'href="#id_year"' in html and 'href="#id_notice"' in html
    assert html.index('id="form-errors"') < html.index("<h1")
