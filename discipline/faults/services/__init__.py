"""The services of faults and tolerance (002, 004): the only code that changes their state. Each runs in one
transaction and writes its audit event. ``fault_cases`` (fault accountability, R-FAULT), ``tolerance`` (error
tolerance and correction, R-TOL), ``petitions`` (R-PETITION); the names below are the package's interface."""

from discipline.faults.services.fault_cases import (
    fault_appeal_decide,
    fault_appeal_record,
    fault_case_decide,
    fault_case_open,
    fault_case_receive,
    fault_case_serve,
    fault_review_decide,
    fault_review_request,
    fault_share_confirm,
)
from discipline.faults.services.petitions import (
    ANSWERABLE,
    petition_answer,
    petition_clear_name,
    petition_find,
    petition_register,
)
from discipline.faults.services.tolerance import (
    correction_complete,
    correction_create,
    correction_extension_decide,
    correction_extension_request,
    correction_follow_up,
    tolerance_apply,
    tolerance_decide,
    tolerance_notify,
)

__all__ = [
    "ANSWERABLE",
    "correction_complete",
    "correction_create",
    "correction_extension_decide",
    "correction_extension_request",
    "correction_follow_up",
    "fault_appeal_decide",
    "fault_appeal_record",
    "fault_case_decide",
    "fault_case_open",
    "fault_case_receive",
    "fault_case_serve",
    "fault_review_decide",
    "fault_review_request",
    "fault_share_confirm",
    "petition_answer",
    "petition_clear_name",
    "petition_find",
    "petition_register",
    "tolerance_apply",
    "tolerance_decide",
    "tolerance_notify",
]
