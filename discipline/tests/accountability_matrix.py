"""Entries of the accountability URLs (issue 6) for the project permission matrix
(``discipline/tests/test_matrix.py``), kept here so the matrix takes them with two lines:

    from .accountability_matrix import accountability_args, accountability_matrix
    MATRIX.update(accountability_matrix(only, everyone, ANON))
    # in the world fixture, after `args` is built:
    args.update(accountability_args(org=org, officer=officer, jj=jj, admin=admin_user, record=record))

The expected codes are those ``test_accountability_permissions.py`` checks role by role.
"""

from django.utils import timezone

from discipline.accountability import services as acc


def accountability_matrix(only, everyone, anon) -> dict:
    lists = ("jj", "jj_other")
    return {
        "discipline:failures": ("get", None, only(200, *lists)),
        "discipline:failure_create": ("get", None, only(200, *lists)),
        "discipline:failure": ("get", "failure", only(200, "jj")),
        "discipline:personnel": ("get", None, only(200, "admin")),
        "discipline:alerts": ("get", None, only(200, *lists)),
        "discipline:alert": ("get", "alert", only(200, "jj")),
        "discipline:complaints": ("get", None, only(200, *lists)),
        "discipline:complaint": ("get", "complaint", only(200, "jj")),
        "discipline:complaint_create": ("get", "record", only(200, "officer")),
        "discipline:zero_missing": ("get", None, only(200, *lists)),
        "discipline:recording": ("get", None, only(200, *lists)),
        "records:zero_report": ("get", None, only(200, "officer", "other_officer")),
    }


def accountability_args(*, org, officer, jj, admin, record) -> dict:
    """A failure, an alert and a complaint about `officer`'s `record`, as URL arguments."""
    now = timezone.now()
    failure = acc.recording_failure_register(
        officer=officer.person, body=org["discipline"], kind="not_recorded", source="petition", source_detail="举报。", facts="未记录。",
        confirmed_on=timezone.localdate(), interferer_kind="insider", matter="某事项", actor=jj, now=now,
    )  # fmt: skip
    alert = acc.personnel_action_enter(
        person=officer.person, kind="transfer", effective_on=timezone.localdate(), legal_ground="依规。", procedure="党组研究。", actor=admin, now=now
    ).alert
    complaint = acc.retaliation_complaint_file(
        record=record, respondent=None, respondent_name="某领导", occurred_on=timezone.localdate(), description="打压。", actor=officer, now=now
    )
    return {"failure": [failure.pk], "alert": [alert.pk], "complaint": [complaint.pk]}
