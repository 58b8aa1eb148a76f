"""The documents fault accountability and tolerance issue, as official documents (公文, GB/T 9704-2012;
discipline.common.official): the written decision on an enforcement fault (处理决定书, 002 第十一条
"应当在10日内将处理决定书面通知本人") and the tolerance decision (容错免责决定, 004 第二十条 "容错决定作出
后，应当于7日内告知相关单位及当事人"). Each gives the template and its context."""

from __future__ import annotations

from cases import documents
from cases.selectors import bureau_of
from discipline.common.official import Gongwen
from discipline.faults.models import FaultCase, ToleranceApplication


def fault_decision_document(fc: FaultCase) -> tuple[str, dict]:
    participants = list(fc.participants.select_related("person__unit"))
    liable = [p for p in participants if p.confirmed_share != "none"]
    system = documents.system(documents.CHIFENG_FAULT)
    doc = Gongwen(
        issuer=fc.body.name, number=fc.decision_number, title="行政执法过错责任处理决定书",
        addressee="、".join(f"{p.person.name}同志" for p in liable), date=fc.decided_on, secrecy="内部",
        cc=fc.unit.name, printer=fc.body.name, printed_on=fc.decided_on,
    )  # fmt: skip
    context = {
        "doc": doc, "fc": fc, "participants": participants, "types_basis": system.cite_title(documents.FAULT_TYPES),
        "review_basis": system.cite(documents.FAULT_REVIEW),
    }  # fmt: skip
    return "discipline/fault/decision_pdf.html", context


def tolerance_decision_document(app: ToleranceApplication) -> tuple[str, dict]:
    """004 第二十条: the bureau's party group (局党组) decides; the decision goes to the person's unit and
    the person, and is published within a scope."""
    bureau = bureau_of(app.person.unit)
    issuer = bureau.party_organization or f"中共{bureau.name}党组"
    granted = app.status == ToleranceApplication.Status.GRANTED
    doc = Gongwen(
        issuer=issuer, number=app.decision_number,
        title=f"关于对{app.person.name}同志{'予以容错免责' if granted else '不予容错免责'}的决定",
        addressee=f"{app.person.unit.name}、{app.person.name}同志", date=app.decided_on, secrecy="内部",
        cc=app.body.name, printer=f"{bureau.name}办公室", printed_on=app.decided_on,
    )  # fmt: skip
    return "discipline/fault/tolerance_decision_pdf.html", {"doc": doc, "app": app, "granted": granted}
