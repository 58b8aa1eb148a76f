"""Entries of the fault-accountability, tolerance and petition URLs (issue 8) for the project
permission matrix (``discipline/tests/test_matrix.py``), taken with two lines as issue 6 did:

    MATRIX.update(fault_matrix(only))
    args.update(fault_args(org=org, officer=officer, jj=jj))
"""

from django.utils import timezone

from discipline.faults import services as fault


def fault_matrix(only) -> dict:
    lists = ("jj", "jj_other")
    return {
        "discipline:fault_cases": ("get", None, only(200, *lists)),
        "discipline:fault_case_create": ("get", None, only(200, *lists)),
        "discipline:fault_case": ("get", "fault_case", only(200, "jj")),
        "discipline:fault_decision_pdf": ("get", "fault_case", only(200, "jj")),
        "discipline:tolerances": ("get", None, only(200, *lists)),
        "discipline:tolerance_create": ("get", None, only(200, *lists)),
        "discipline:tolerance_apply": ("get", None, only(200, "officer", "other_officer")),
        "discipline:tolerance": ("get", "tolerance", only(200, "jj")),
        "discipline:tolerance_decision_pdf": ("get", "tolerance", only(200, "jj")),
        "discipline:correction": ("get", "correction", only(200, "jj")),
        # The officer is the applicant: their own evidence; the body's staff: theirs to read.
        "discipline:tolerance_evidence": ("get", "tolerance", only(200, "jj", "officer")),
        # POST without a form: the responsible officer is sent back with a message, others 404.
        "discipline:correction_extend": ("post", "correction", only(302, "officer")),
        "discipline:petitions": ("get", None, only(200, *lists)),
        "discipline:petition_create": ("get", None, only(200, *lists)),
        "discipline:petition": ("get", "petition", only(200, "jj")),
    }


def fault_args(*, org, officer, jj) -> dict:
    """A decided fault case, a granted tolerance application with a correction task and a petition
    about `officer`, handled by the bureau's discipline body."""
    now, today = timezone.now(), timezone.localdate()
    person = officer.person
    fc = fault.fault_case_open(
        body=org["discipline"], unit=org["section"], act="罚款决定事实不清", occurred_on=today, fault_types=["facts_unclear"],
        participants=[(person, "handler")], approval_required=True, actor=jj, now=now,
    )  # fmt: skip
    for p in fc.participants.all():
        fault.fault_share_confirm(participant=p, share=p.suggested_share, actor=jj, now=now)
    fault.fault_case_decide(fault_case=fc, decision="批评教育", decided_on=today, actor=jj, now=now)
    app = fault.tolerance_apply(
        person=person, applied_by="self", error="漏查隐患", occurred_on=today, error_kind="facts_unclear", grounds=["16-5"],
        evidence_text="检查方案", actor=officer, now=now,
    )  # fmt: skip
    # A proof file, so the evidence download has something to serve.
    from django.core.files.base import ContentFile

    app.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 proof"), save=True)
    fault.tolerance_decide(application=app, grant=True, decision="予以容错", decided_on=today, actor=jj, now=now)
    task = fault.correction_create(
        application=app, reason="漏查", requirement="完善清单", deadline=today, responsible=person, actor=jj, now=now
    )
    petition = fault.petition_register(
        body=org["discipline"], subject=person, real_name=False, received_on=today, allegation="反映问题", actor=jj, now=now
    )
    return {"fault_case": [fc.pk], "tolerance": [app.pk], "correction": [task.pk], "petition": [petition.pk]}
