"""The documents review and handling issue, as official documents (公文, GB/T 9704-2012; the layout is
discipline.common.official): the notice letter (通报函, 信函格式), the internal notice (通报) of an
own-unit handling, and the special report (特别事项报告, a 上行文 to the party committee). Each
function gives the template and its context; the views and ``sample_documents`` render them."""

from __future__ import annotations

from cases import documents
from cases.selectors import bureau_of
from discipline.common.official import Gongwen
from discipline.review import rules
from discipline.review.models import Handling, NoticeLetter, SpecialReport
from records.calendar.dates import local_date


def notice_letter_document(letter: NoticeLetter) -> tuple[str, dict]:
    """The 通报函 in the 信函格式 (§10.1): to the interferer's party organisation, copied to the
    same-level discipline commission (000 第九条). A letter issued before the cc had to name a body may
    hold the form's old placeholder: it is not printed."""
    doc = Gongwen(
        issuer=letter.body.name, letter=True, number=letter.number,
        title=f"关于{letter.subject_name}同志违规干预执法办案情况的通报", addressee=letter.addressee, date=letter.issued_on,
        cc="" if rules.cc_is_placeholder(letter.cc) else letter.cc,
    )  # fmt: skip
    return "discipline/pdf/notice_letter.html", {"doc": doc, "letter": letter}


def circular_document(handling: Handling) -> tuple[str, dict]:
    """The internal 通报 of an own-unit handling (000 第九条 "按照相关规定和程序处理和通报"; 001 第八条
    "报经批准后予以通报"), issued in the bureau's name to its units, printed by its office."""
    record = handling.record
    bureau = bureau_of(record.recorder_unit)
    subject = handling.person.name if handling.person_id else (record.behind_name or record.interferer_name)
    doc = Gongwen(
        issuer=bureau.name, number=handling.notice_number, title=f"关于{subject}同志违规干预执法办案情况的通报",
        addressee="局机关各科室、各执法单位", date=handling.internal_notice_on, secrecy="内部",
        printer=f"{bureau.name}办公室", printed_on=handling.internal_notice_on,
    )  # fmt: skip
    return "discipline/pdf/circular.html", {"doc": doc, "handling": handling, "record": record}


PREVIEW_NUMBER = "（保存后编号）"


def handling_preview_document(record, data: dict, body) -> tuple[str, dict] | None:
    """The document a handling decision will issue, from the form's cleaned ``data`` before anything is
    saved (no number yet): the notice letter of an other-unit handling, the internal notice of an
    own-unit one; None for no action."""
    if data["kind"] == Handling.Kind.OTHER_UNIT:
        letter = NoticeLetter(
            body=body, number=PREVIEW_NUMBER, addressee=data["addressee"].strip(), cc=data["cc"].strip(), text=data["letter_text"].strip(),
            subject_name=record.behind_name or record.interferer_name, issued_on=data["issued_on"],
        )  # fmt: skip
        return notice_letter_document(letter)
    if data["kind"] == Handling.Kind.OWN_UNIT:
        handling = Handling(
            record=record, kind=data["kind"], person=data["person"], decision=data["decision"].strip(),
            internal_notice=data["internal_notice"].strip(), internal_notice_on=data["internal_notice_on"], notice_number=PREVIEW_NUMBER,
            notice_decided_by=data["notice_decided_by"].strip(), notice_approved_by=data["notice_approved_by"].strip(),
            notice_approved_on=data["notice_approved_on"], public_disclosure=data["public_disclosure"],
        )  # fmt: skip
        return circular_document(handling)
    return None


def special_report_document(report: SpecialReport) -> tuple[str, dict]:
    """The special report to the party committee (001 领导干部制度 第七条): a 上行文, so with its 签发人
    (the staff member who made it; the body's head signs the paper copy)."""
    record = report.review.record
    signer = getattr(report.reported_by, "person", None)
    doc = Gongwen(
        issuer=report.review.body.name, number=report.number,
        signer=signer.name if signer else report.reported_by.get_username(),
        title="关于领导干部违规干预执法办案情节严重可能影响案件办理的特别事项报告", addressee=report.addressee,
        date=local_date(report.reported_at), secrecy="内部",
    )  # fmt: skip
    basis = documents.system(documents.GUANGYUAN_LEADER).cite_title(documents.SPECIAL)
    return "discipline/pdf/special_report.html", {"doc": doc, "report": report, "record": record, "basis": basis}
