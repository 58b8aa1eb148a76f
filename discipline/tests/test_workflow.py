"""The discipline body's work on a record: receipt, verification, special matter, handling, notice
letters (R-VERIFY, R-SPECIAL; 000 第九条; 001 第七条、第八条)."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from discipline.models import Handling, NoticeLetter, Review, SpecialReport
from discipline.review import services
from discipline.review.vocabulary import ReviewEvent

pytestmark = pytest.mark.django_db


def audit_types(record):
    return list(AuditEvent.objects.filter(object_id=str(record.pk), object_type="records.interferencerecord").values_list("type", flat=True))


def test_receive_verify_handle_own_unit_through_pages(client, submit, jj, leader):
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", interferer_kind="insider")
    client.force_login(jj)
    inbox = client.get(reverse("discipline:inbox")).content.decode()
    assert record.serial in inbox and "按时报送" in inbox

    assert client.post(reverse("discipline:receive", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.status == "received"

    response = client.post(
        reverse("discipline:verify", args=[record.pk]),
        {"conclusion": "founded", "findings": "经调取通话录音核实，情况属实。", "seriousness": "general"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "verified"
    assert Review.objects.get(record=record).conclusion == "founded"

    page = client.get(reverse("discipline:handle", args=[record.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["kind"] == "own_unit"  # the leader belongs to the body's units
    response = client.post(
        reverse("discipline:handle", args=[record.pk]),
        {
            "kind": "own_unit", "person": leader.pk, "decision": "对周副局长进行诫勉谈话。",
            "internal_notice": "在全局范围内通报。", "internal_notice_on": timezone.localdate().isoformat(),
            "public_disclosure": "", "disclosure_reason": "情节一般，未造成后果，不向社会公开。",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert record.status == "closed"
    handling = Handling.objects.get(record=record)
    assert handling.kind == "own_unit" and not handling.public_disclosure and handling.disclosure_reason
    assert audit_types(record)[-3:] == ["record.received", "review.verified", "handling.decided"]


def test_own_unit_handling_needs_notice_and_disclosure_decision(client, submit, jj):
    record = submit()
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="minor", actor=jj, now=now)
    client.force_login(jj)
    response = client.post(reverse("discipline:handle", args=[record.pk]), {"kind": "own_unit", "decision": "批评教育。"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["internal_notice"] == ["本单位人员处理时必须填写此项。"]
    assert errors["disclosure_reason"] == ["本单位人员处理时必须填写此项。"]
    with pytest.raises(ValidationError) as error:
        services.handling_decide(record=record, kind="no_action", decision="不处理。", actor=jj, now=now)
    assert "应当处理" in error.value.messages[0]


def test_other_unit_letter_numbering_tracking_and_closing(client, submit, jj, outsider):
    now = timezone.now()
    letters = []
    for _ in range(2):
        record = submit(interferer=outsider, interferer_name="李副县长", interferer_position="副县长", interferer_unit="某县人民政府")
        services.record_receive(record=record, actor=jj, now=now)
        review = services.review_verify(record=record, conclusion="partly", findings="部分属实。", seriousness="general", actor=jj, now=now)
        handling = services.handling_decide(
            record=record, kind="other_unit", decision="向其所在党组织通报。", person=outsider,
            letter={"addressee": "中共某县委员会", "cc": "某县纪委监委", "text": services.default_letter_text(record, review, jj.person.unit), "issued_on": dt.date(2026, 11, 20)},
            actor=jj, now=now,
        )  # fmt: skip
        letters.append(handling.letter)
        record.refresh_from_db()
        assert record.status == "handled"
    assert [letter.number for letter in letters] == ["纪通〔2026〕1号", "纪通〔2026〕2号"]

    letter = letters[0]
    client.force_login(jj)
    # Out of order: acknowledged before it was sent.
    response = client.post(
        reverse("discipline:letter_update", args=[letter.pk]), {"sent_on": "2026-11-23", "acknowledged_on": "2026-11-21"}, follow=True
    )
    assert "对方签收日期不能早于发出日期。" in response.content.decode()
    response = client.post(reverse("discipline:letter_update", args=[letter.pk]), {"sent_on": "2026-11-32"}, follow=True)
    assert "请输入有效的日期" in response.content.decode()
    client.post(
        reverse("discipline:letter_update", args=[letter.pk]),
        {"sent_on": "2026-11-20", "acknowledged_on": "2026-11-21", "outcome_received_on": "2026-11-23", "outcome": "已对其进行诫勉谈话。"},
    )
    letter.refresh_from_db()
    assert letter.outcome_received_on == dt.date(2026, 11, 23)
    letter.handling.record.refresh_from_db()
    assert letter.handling.record.status == "closed"
    assert AuditEvent.objects.filter(type=ReviewEvent.NOTICE_LETTER_UPDATED, object_id=str(letter.pk)).count() == 1


def test_letter_numbers_run_per_body_and_year(submit, jj, org2, outsider):
    from discipline.models import Handling

    record = submit()
    handling = Handling.objects.create(record=record, kind="other_unit", decision="x", decided_at=timezone.now(), decided_by=jj)
    body = jj.person.unit
    NoticeLetter.objects.create(
        handling=handling, body=org2["discipline"], year=2026, seq=7, number="纪通〔2026〕7号", addressee="a", cc="b",
        subject_name="s", subject_position="p", text="t", issued_on=dt.date(2026, 1, 5), created_by=jj,
    )  # fmt: skip
    record2 = submit()
    handling2 = Handling.objects.create(record=record2, kind="other_unit", decision="x", decided_at=timezone.now(), decided_by=jj)
    letter = services.notice_letter_issue(handling=handling2, body=body, addressee="a", cc="b", text="t", issued_on=dt.date(2027, 1, 4), actor=jj)
    assert letter.number == "纪通〔2027〕1号"


def test_special_matter_reported_at_once(client, submit, jj, principal):
    record = submit()
    client.force_login(jj)
    client.post(reverse("discipline:receive", args=[record.pk]))
    # Not serious: refused with a Chinese message, nothing saved.
    response = client.post(
        reverse("discipline:verify", args=[record.pk]),
        {"conclusion": "founded", "findings": "属实。", "seriousness": "general", "affects_case": "on", "special": "on"},
    )
    assert response.status_code == 200
    assert "才能作为特别事项报告" in response.content.decode()
    response = client.post(
        reverse("discipline:verify", args=[record.pk]),
        {"conclusion": "founded", "findings": "要求撤销立案，属实。", "seriousness": "serious", "affects_case": "on", "special": "on"},
    )
    assert response.status_code == 302
    report = SpecialReport.objects.get(review__record=record)
    assert report.addressee == "中共市应急管理局党组"
    assert "可能影响案件办理" in report.summary
    assert Review.objects.get(record=record).special_report
    assert audit_types(record)[-2:] == ["review.verified", "review.special_reported"]
    pdf = client.get(reverse("discipline:special_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_special_matter_can_be_raised_after_verification(client, submit, jj):
    record = submit()
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="serious", affects_case=True, actor=jj, now=now)
    client.force_login(jj)
    assert "作为特别事项报告党委" in client.get(reverse("discipline:case", args=[record.pk])).content.decode()
    client.post(reverse("discipline:special", args=[record.pk]))
    assert SpecialReport.objects.filter(review__record=record).count() == 1
    response = client.post(reverse("discipline:special", args=[record.pk]), follow=True)
    assert "已作为特别事项报告" in response.content.decode()


def test_receive_twice_is_a_clear_message(client, submit, jj):
    record = submit()
    client.force_login(jj)
    client.post(reverse("discipline:receive", args=[record.pk]))
    response = client.post(reverse("discipline:receive", args=[record.pk]), follow=True)
    assert "该记录已签收，无需重复签收。" in response.content.decode()


def test_verify_with_bad_input_is_a_chinese_error(client, submit, jj):
    record = submit()
    client.force_login(jj)
    client.post(reverse("discipline:receive", args=[record.pk]))
    response = client.post(reverse("discipline:verify", args=[record.pk]), {"conclusion": "maybe", "seriousness": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "选择一个有效的选项" in errors["conclusion"][0]
    assert errors["findings"] == ["这个字段是必填项。"]


def test_higher_body_reads_but_does_not_handle(client, submit, org, principal):
    from discipline.tests.conftest import make_discipline_user
    from tests.factories import UnitFactory

    city = UnitFactory(code="C", name="市委", kind="bureau")
    commission = UnitFactory(code="C-JW", name="市纪委监委", kind="discipline", parent=city)
    city.discipline_body = commission
    city.save()
    org["bureau"].parent = city
    org["bureau"].save()
    higher_staff = make_discipline_user(commission, "cityjw")
    record = submit(also_report_higher=True)
    client.force_login(higher_staff)
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 200
    assert client.post(reverse("discipline:receive", args=[record.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.record_receive(record=record, actor=higher_staff, now=timezone.now())


def _pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, has an embedded font file) for every font the PDF uses."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources["/Font"].get_object().values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), embedded))
    return fonts


def test_notice_letter_pdf_has_chinese_text_in_an_embedded_cjk_font(client, submit, jj, outsider):
    from pypdf import PdfReader

    now = timezone.now()
    record = submit(interferer=outsider, interferer_name="李副县长", interferer_position="副县长")
    services.record_receive(record=record, actor=jj, now=now)
    review = services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="general", actor=jj, now=now)
    handling = services.handling_decide(
        record=record, kind="other_unit", decision="函告。", person=outsider,
        letter={"addressee": "中共某县委员会", "cc": "某县纪委监委", "text": services.default_letter_text(record, review, jj.person.unit), "issued_on": dt.date(2026, 11, 24)},
        actor=jj, now=now,
    )  # fmt: skip
    client.force_login(jj)
    response = client.get(reverse("discipline:letter_pdf", args=[handling.letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    fonts = _pdf_fonts(pdf)
    assert fonts, "no fonts in the PDF"
    assert all(embedded for _name, embedded in fonts), fonts
    assert any("CJK" in name for name, _embedded in fonts), fonts
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    for expected in ["纪通〔2026〕1号", "中共某县委员会", "2026年11月24日", "抄送", "某县纪委监委", "李副县长"]:
        assert expected in text.replace(" ", "").replace("\n", ""), expected


def _verified(submit, jj, **record):
    record = submit(**record)
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="general", actor=jj, now=now)
    return record


def test_handling_form_shows_only_the_own_unit_part_for_an_own_unit_leader(client, submit, jj, leader):
    record = _verified(submit, jj, interferer=leader, interferer_name="周副局长", interferer_position="副局长")
    client.force_login(jj)
    page = client.get(reverse("discipline:handle", args=[record.pk]))
    form = page.context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["own_unit"]
    html = page.content.decode()
    assert 'data-handling-kind="own_unit"' in html and 'data-handling-kind="other_unit"' not in html
    assert 'name="addressee"' not in html and "handling-form.js" not in html
    # A forged letter for an own-unit leader: an error next to the field, nothing written.
    response = client.post(
        reverse("discipline:handle", args=[record.pk]),
        {"kind": "other_unit", "decision": "通报。", "addressee": "某党委", "cc": "某纪委", "letter_text": "正文", "issued_on": "2026-11-20"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["该记录不能采用此处理方式，请在所列方式中选择。"]
    assert not Handling.objects.filter(record=record).exists() and not NoticeLetter.objects.exists()


def test_handling_form_shows_only_the_letter_for_another_units_leader(client, submit, jj, outsider):
    record = _verified(submit, jj, interferer=outsider, interferer_name="李副县长", interferer_position="副县长", interferer_unit="某县人民政府")
    client.force_login(jj)
    page = client.get(reverse("discipline:handle", args=[record.pk]))
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["other_unit"]
    html = page.content.decode()
    assert 'data-handling-kind="other_unit"' in html and 'data-handling-kind="own_unit"' not in html and 'name="internal_notice"' not in html
    # A forged own-unit decision for an outsider: refused next to the field, nothing written.
    response = client.post(
        reverse("discipline:handle", args=[record.pk]),
        {"kind": "own_unit", "decision": "诫勉。", "internal_notice": "通报。", "internal_notice_on": "2026-11-20", "disclosure_reason": "不公开。"},
    )
    assert response.context["form"].errors["kind"] == ["该记录不能采用此处理方式，请在所列方式中选择。"]
    assert not Handling.objects.filter(record=record).exists()


def test_handling_form_for_an_interferer_named_only_in_writing_offers_both_and_toggles(client, submit, jj):
    record = _verified(submit, jj)  # interferer written in by name, unit unknown: the staff decide
    client.force_login(jj)
    page = client.get(reverse("discipline:handle", args=[record.pk]))
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["other_unit", "own_unit"]
    html = page.content.decode()
    assert 'data-handling-kind="other_unit"' in html and 'data-handling-kind="own_unit"' in html and "handling-form.js" in html


def test_handling_of_a_record_not_found_true_offers_no_action_only(client, submit, jj):
    record = submit()
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="unfounded", findings="不属实。", seriousness="minor", actor=jj, now=now)
    client.force_login(jj)
    page = client.get(reverse("discipline:handle", args=[record.pk]))
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["no_action"]
    assert "data-handling-kind" not in page.content.decode()
