from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from . import accountability_views as acc_views
from . import campaign_views, fault_views, report_views, views

app_name = "discipline"
urlpatterns = [
    path("principal/", views.principal_inbox, name="principal_inbox"),
    path("principal/<id:pk>/", views.principal_instruct, name="principal_instruct"),
    path("inbox/", views.inbox, name="inbox"),
    path("records/<id:pk>/", views.case_detail, name="case"),
    path("records/<id:pk>/receive/", views.case_receive, name="receive"),
    path("records/<id:pk>/verify/", views.case_verify, name="verify"),
    path("records/<id:pk>/special/", views.case_special, name="special"),
    path("records/<id:pk>/handle/", views.case_handle, name="handle"),
    path("letters/<id:pk>/", views.letter_update, name="letter_update"),
    path("letters/<id:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("special/<id:pk>/pdf/", views.special_pdf, name="special_pdf"),
    path("sanctions/", views.sanction_list, name="sanctions"),
    path("sanctions/new/", views.sanction_create, name="sanction_create"),
    path("sanctions/<id:pk>/", views.sanction_update, name="sanction_update"),
    path("people/<id:pk>/", views.person_file, name="person"),
    path("ledger/", views.ledger, name="ledger"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # Accountability (R-FAIL, R-PROTECT, zero report).
    path("failures/", acc_views.failure_list, name="failures"),
    path("failures/new/", acc_views.failure_create, name="failure_create"),
    path("failures/<id:pk>/", acc_views.failure_detail, name="failure"),
    path("personnel/", acc_views.personnel_actions, name="personnel"),
    path("alerts/", acc_views.alert_list, name="alerts"),
    path("alerts/<id:pk>/", acc_views.alert_detail, name="alert"),
    path("complaints/", acc_views.complaint_list, name="complaints"),
    path("complaints/<id:pk>/", acc_views.complaint_detail, name="complaint"),
    path("complaints/new/<id:record_pk>/", acc_views.complaint_create, name="complaint_create"),
    path("zero-reports/missing/", acc_views.zero_missing, name="zero_missing"),
    path("recording/", acc_views.recording_board, name="recording"),
    # Reports and exports (R-ANNUAL, R-LEDGER).
    path("reports/", report_views.reports, name="reports"),
    path("reports/<id:pk>/status/", report_views.report_status, name="report_status"),
    path("reports/<id:pk>/download/", report_views.report_download, name="report_download"),
    path("ledger/export.xlsx", report_views.ledger_xlsx, name="ledger_xlsx"),
    path("dashboard/export.xlsx", report_views.dashboard_xlsx, name="dashboard_xlsx"),
    # Fault accountability, error tolerance and correction, petitions (issue 8: R-FAULT, R-TOL, R-PETITION).
    path("faults/", fault_views.fault_cases, name="fault_cases"),
    path("faults/new/", fault_views.fault_case_create, name="fault_case_create"),
    path("faults/<id:pk>/", fault_views.fault_case, name="fault_case"),
    path("faults/<id:pk>/decision.pdf", fault_views.fault_decision_pdf, name="fault_decision_pdf"),
    path("tolerance/", fault_views.tolerance_list, name="tolerances"),
    path("tolerance/new/", fault_views.tolerance_create, name="tolerance_create"),
    path("tolerance/apply/", fault_views.tolerance_apply, name="tolerance_apply"),
    path("tolerance/<id:pk>/", fault_views.tolerance, name="tolerance"),
    path("tolerance/<id:pk>/evidence/", fault_views.tolerance_evidence, name="tolerance_evidence"),
    path("corrections/<id:pk>/extend/", fault_views.correction_extend, name="correction_extend"),
    path("corrections/<id:pk>/", fault_views.correction, name="correction"),
    path("petitions/", fault_views.petitions, name="petitions"),
    path("petitions/new/", fault_views.petition_create, name="petition_create"),
    path("petitions/<id:pk>/", fault_views.petition, name="petition"),
    # Self-inspection campaigns (issue 9: R-CAMPAIGN).
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/<id:pk>/", campaign_views.campaign_dashboard, name="campaign"),
    path("campaigns/<id:pk>/reopen/", campaign_views.campaign_reopen, name="campaign_reopen"),
    path("campaigns/<id:pk>/mechanisms/", campaign_views.campaign_mechanisms, name="campaign_mechanisms"),
    path("campaigns/<id:pk>/report/", campaign_views.campaign_report, name="campaign_report"),
    path("campaigns/reports/<id:pk>/", campaign_views.campaign_report_download, name="campaign_report_download"),
    path("campaigns/reports/<id:pk>/status/", campaign_views.campaign_report_status, name="campaign_report_status"),
    path("campaigns/units/<id:pk>/", campaign_views.campaign_unit, name="campaign_unit"),
    path("campaigns/findings/<id:pk>/", campaign_views.campaign_finding, name="campaign_finding"),
    path("campaigns/rectifications/<id:pk>/", campaign_views.rectification, name="rectification"),
    path("campaigns/rectifications/<id:pk>/evidence/", campaign_views.rectification_evidence, name="rectification_evidence"),
]
