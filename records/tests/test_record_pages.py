"""The officer's pages: the 登记表 form, submission, amendments and first-layer permissions."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from conftest import record_data
from records.models import Amendment, Evidence, InterferenceRecord
from records.record import services
from records.record.vocabulary import RecordEvent

pytestmark = pytest.mark.django_db

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form_post(**overrides):
    """A complete POST of the record form."""
    now = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    data = {
        "matter": "某化工企业隐患整改", "occurred_at": now.strftime("%Y-%m-%dT%H:%M"), "place": "支队办公室", "channel": "oral",
        "interferer_kind": "leader", "interferer_name": "李某", "interferer_position": "副县长", "interferer_unit": "某县政府",
        "content": "要求对企业从轻处罚。", "nature": "interference", "response": "refused", "intent": "draft",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_anonymous_sees_nothing(client, make_record):
    record = make_record()
    for url in [reverse("records:list"), reverse("records:create"), reverse("records:detail", args=[record.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_create_draft_with_recording_and_screenshot(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("records:create"),
        form_post(
            channel="phone",
            file_1=SimpleUploadedFile("通话录音.wav", WAV, content_type="audio/wav"),
            file_2=SimpleUploadedFile("截图.png", PNG, content_type="image/png"),
        ),
    )
    record = InterferenceRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("records:detail", args=[record.pk])
    assert record.status == "draft" and record.recorder == officer
    kinds = sorted(record.evidence.values_list("kind", flat=True))
    assert kinds == ["electronic", "recording"]  # sniffed from the bytes, not the names
    wav = record.evidence.get(kind="recording")
    import hashlib

    assert wav.sha256 == hashlib.sha256(WAV).hexdigest() and wav.size == len(WAV)
    assert wav.original_name == "通话录音.wav"
    assert AuditEvent.objects.filter(type=RecordEvent.RECORD_CREATED, object_id=str(record.pk)).count() == 1


def test_required_fields_are_named_in_chinese(client, officer):
    client.force_login(officer)
    response = client.post(reverse("records:create"), {"intent": "draft"})
    assert response.status_code == 200
    assert InterferenceRecord.objects.count() == 0
    form = response.context["form"]
    for field in ["occurred_at", "channel", "interferer_name", "interferer_position", "interferer_kind", "content", "nature", "response"]:
        assert field in form.errors
    assert "这个字段是必填项。" in form.errors["content"]
    assert "请选择涉及案件，或填写涉及事项。" in form.errors["matter"]


def test_future_occurred_at_is_refused_in_chinese(client, officer):
    client.force_login(officer)
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("records:create"), form_post(occurred_at=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_at"] == ["过问时间不能晚于当前时间。"]
    assert "过问时间不能晚于当前时间。" in response.content.decode()
    assert InterferenceRecord.objects.count() == 0


def test_malformed_date_gets_a_chinese_message_not_a_500(client, officer):
    client.force_login(officer)
    response = client.post(reverse("records:create"), form_post(occurred_at="2026-13-45T99:99"))
    assert response.status_code == 200
    assert "请输入有效的日期和时间" in response.context["form"].errors["occurred_at"][0]


def test_file_over_the_limit_is_refused(client, officer, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(officer)
    response = client.post(reverse("records:create"), form_post(file_1=SimpleUploadedFile("big.wav", WAV + b"\x00" * 2000)))
    assert response.status_code == 200
    assert "超过上限" in response.context["form"].errors["file_1"][0]
    assert InterferenceRecord.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_failed_form_keeps_typed_input_and_chosen_files(client, officer):
    """Nothing lost: the typed values come back, and the chosen file is kept as an upload that the
    next POST attaches without choosing it again."""
    client.force_login(officer)
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    post = form_post(occurred_at=tomorrow, content="领导要求不予立案的原话。", file_1=SimpleUploadedFile("录音.wav", WAV))
    response = client.post(reverse("records:create"), post)
    html = response.content.decode()
    assert response.status_code == 200
    assert "领导要求不予立案的原话。" in html
    assert 'value="副县长"' in html
    staged = Evidence.objects.get()
    assert staged.record is None and staged.uploaded_by == officer
    assert "录音.wav" in html and "无需重新选择" in html
    # Fix the date and post again without choosing the file: it is attached.
    fixed = {k: v for k, v in post.items() if k != "file_1"}
    fixed["occurred_at"] = form_post()["occurred_at"]
    fixed["staged"] = [str(staged.pk)]
    response = client.post(reverse("records:create"), fixed)
    assert response.status_code == 302
    record = InterferenceRecord.objects.get()
    assert list(record.evidence.all()) == [staged]


def test_cannot_attach_another_users_staged_file(client, officer, other_officer):
    foreign = services.evidence_stage(upload=SimpleUploadedFile("x.png", PNG), kind="electronic", actor=other_officer)
    client.force_login(officer)
    response = client.post(reverse("records:create"), form_post(staged=[str(foreign.pk)]))
    # The id is not among the officer's choices: a clear error, and nothing is attached.
    assert response.status_code == 200
    assert "staged" in response.context["form"].errors
    foreign.refresh_from_db()
    assert foreign.record is None


@pytest.mark.parametrize(
    ("channel", "files", "reason", "ok"),
    [
        ("phone", [], "", False),
        ("phone", [("a.wav", WAV)], "", True),
        ("phone", [], "对方使用座机来电，无录音条件。", True),
        ("electronic", [], "", False),
        ("electronic", [("a.png", PNG)], "", True),
        ("paper", [("a.png", PNG)], "", False),  # a screenshot is not the paper itself
        ("paper", [("a.pdf", b"%PDF-1.4 scan")], "", True),
        ("oral", [], "", True),  # the written account is the record's content
        ("meeting", [], "", True),
    ],
)
def test_evidence_by_channel_on_submit(client, officer, channel, files, reason, ok):
    """R-CONTENT (002 第五条): 电话→录音, 电子信息→电子信息, 纸质→纸质材料, or a stated reason."""
    client.force_login(officer)
    post = form_post(channel=channel, intent="submit", missing_evidence_reason=reason)
    for i, (name, content) in enumerate(files, start=1):
        post[f"file_{i}"] = SimpleUploadedFile(name, content)
    response = client.post(reverse("records:create"), post)
    if ok:
        record = InterferenceRecord.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("records:submit", args=[record.pk])
    else:
        assert response.status_code == 200
        assert "未留存材料说明" in response.context["form"].errors["missing_evidence_reason"][0]
        assert InterferenceRecord.objects.count() == 0


def test_proxy_requires_the_leader_behind(client, officer):
    client.force_login(officer)
    response = client.post(reverse("records:create"), form_post(interferer_kind="proxy"))
    errors = response.context["form"].errors
    assert "proxy_relation" in errors and "behind_name" in errors
    response = client.post(
        reverse("records:create"),
        form_post(interferer_kind="proxy", proxy_relation="relative", behind_name="周某", behind_position="副局长"),
    )
    assert response.status_code == 302
    record = InterferenceRecord.objects.get()
    assert (record.proxy_relation, record.behind_name) == ("relative", "周某")


def test_org_letter_requires_organisation_and_number(client, officer):
    client.force_login(officer)
    response = client.post(reverse("records:create"), form_post(channel="org_letter", interferer_kind="organisation"))
    errors = response.context["form"].errors
    assert "letter_organization" in errors and "letter_number" in errors


def test_submit_freezes_the_record(client, officer, make_record):
    record = make_record()
    client.force_login(officer)
    response = client.post(reverse("records:submit", args=[record.pk]), {})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "submitted" and record.submitted_at is not None
    # The edit page is refused...
    response = client.get(reverse("records:edit", args=[record.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=[record.pk])
    # ...and so is a crafted POST: nothing changes.
    before = InterferenceRecord.objects.filter(pk=record.pk).values().get()
    response = client.post(reverse("records:edit", args=[record.pk]), form_post(content="篡改后的内容"))
    assert response.status_code == 302
    assert InterferenceRecord.objects.filter(pk=record.pk).values().get() == before
    # Submitting twice is refused too.
    client.post(reverse("records:submit", args=[record.pk]), {})
    assert AuditEvent.objects.filter(type=RecordEvent.RECORD_SUBMITTED, object_id=str(record.pk)).count() == 1


def test_service_refuses_to_edit_a_submitted_record(officer, make_record):
    from django.core.exceptions import ValidationError

    record = services.record_submit(record=make_record(), actor=officer, now=timezone.now())
    with pytest.raises(ValidationError):
        services.record_update_draft(record=record, data=record_data(content="x"), actor=officer)


def test_amendments_append(client, officer, make_record):
    record = services.record_submit(record=make_record(), actor=officer, now=timezone.now())
    client.force_login(officer)
    client.post(reverse("records:amend", args=[record.pk]), {"text": "补充：对方还提到了罚款金额。", "reason": "当时遗漏"})
    client.post(reverse("records:amend", args=[record.pk]), {"text": "第二条补充", "reason": "更正时间"})
    client.post(reverse("records:amend", args=[record.pk]), {"text": "", "reason": "无内容"})  # refused
    assert list(Amendment.objects.filter(record=record).values_list("text", flat=True)) == ["补充：对方还提到了罚款金额。", "第二条补充"]
    record.refresh_from_db()
    assert record.content == "要求从轻处罚。"
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "第二条补充" in page and "更正时间" in page


def test_late_submission_needs_a_reason(client, officer, make_record):
    record = make_record(occurred_at=timezone.now() - timedelta(days=20))
    client.force_login(officer)
    response = client.post(reverse("records:submit", args=[record.pk]), {"late_reason": ""})
    assert response.status_code == 200
    assert "请填写逾期说明" in response.content.decode()
    record.refresh_from_db()
    assert record.status == "draft"
    client.post(reverse("records:submit", args=[record.pk]), {"late_reason": "外出执法，返回后补报。"})
    record.refresh_from_db()
    assert record.status == "submitted" and record.submitted_late and record.late_reason == "外出执法，返回后补报。"
    listing = client.get(reverse("records:list") + "?state=late")
    assert [r.pk for r in listing.context["rows"]] == [record.pk]
    assert "逾期报送" in listing.content.decode()


def test_other_officer_gets_404_everywhere(client, other_officer, make_record, officer):
    record = make_record()
    evidence = services.evidence_stage(upload=SimpleUploadedFile("a.wav", WAV), kind="recording", actor=officer)
    Evidence.objects.filter(pk=evidence.pk).update(record=record)
    client.force_login(other_officer)
    for name in ["detail", "edit", "submit"]:
        assert client.get(reverse(f"records:{name}", args=[record.pk])).status_code == 404
    assert client.post(reverse("records:submit", args=[record.pk]), {}).status_code == 404
    assert client.post(reverse("records:amend", args=[record.pk]), {"text": "x", "reason": "y"}).status_code == 404
    assert client.get(reverse("records:evidence", args=[evidence.pk])).status_code == 404
    # A missing id answers the same way: existence is not revealed.
    assert client.get(reverse("records:detail", args=[record.pk + 1000])).status_code == 404
    assert client.get(reverse("records:evidence", args=[evidence.pk + 1000])).status_code == 404
    assert record.pk not in [r.pk for r in client.get(reverse("records:list")).context["rows"]]
    record.refresh_from_db()
    assert record.status == "draft"


def test_evidence_download_checks_permission_and_is_an_attachment(client, officer, make_record):
    record = make_record()
    evidence = services.evidence_stage(upload=SimpleUploadedFile("录音.wav", WAV), kind="recording", actor=officer)
    Evidence.objects.filter(pk=evidence.pk).update(record=record)
    client.force_login(officer)
    response = client.get(reverse("records:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == WAV
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The stored name is the hash, not the user's name, and there is no public media URL.
    assert evidence.file.name.endswith(evidence.sha256)
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018


def test_list_shows_deadline_states_with_constant_queries(client, officer, make_record, django_assert_max_num_queries):
    now = timezone.now()
    make_record(occurred_at=now - timedelta(days=30))  # overdue
    make_record(occurred_at=now - timedelta(minutes=5))  # remaining
    client.force_login(officer)
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("records:list"))
    for _ in range(15):
        make_record(occurred_at=now - timedelta(days=3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("records:list"))
    labels = [r.deadline.code for r in response.context["rows"]]
    assert len(labels) == 17
    assert "overdue" in labels
    html = response.content.decode()
    assert "已逾期" in html
    overdue = client.get(reverse("records:list") + "?state=overdue").context["rows"]
    assert overdue and all(r.deadline.code == "overdue" for r in overdue)


def test_bad_filter_values_do_not_500(client, officer, make_record):
    make_record()
    client.force_login(officer)
    response = client.get(reverse("records:list") + "?state=nonsense&date_from=2026-99-99&page=abc")
    assert response.status_code == 200
    assert "state" in response.context["form"].errors


@pytest.mark.parametrize("name", ["录音.wav", "setup.exe", "scan.pdf"])
def test_executables_are_refused_whatever_their_name(client, officer, name):
    """Type checked by content, not by the file name: a Windows executable renamed .wav is refused."""
    client.force_login(officer)
    response = client.post(reverse("records:create"), form_post(file_1=SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00\xff" * 40)))
    assert response.status_code == 200
    assert "类型不支持" in response.context["form"].errors["file_1"][0]
    assert Evidence.objects.count() == 0 and InterferenceRecord.objects.count() == 0


def test_hostile_file_names_are_stored_safely_and_escaped(client, officer, make_record):
    record = make_record()
    upload = SimpleUploadedFile("../../etc/passwd<img src=x onerror=alert(1)>.png", PNG)
    evidence = services.evidence_stage(upload=upload, kind="electronic", actor=officer)
    Evidence.objects.filter(pk=evidence.pk).update(record=record)
    evidence.refresh_from_db()
    assert "/" not in evidence.file.name.split("/", 1)[1] and ".." not in evidence.file.name
    client.force_login(officer)
    html = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    response = client.get(reverse("records:evidence", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
