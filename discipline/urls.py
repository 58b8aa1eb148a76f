from django.urls import path

from . import accountability_views as acc_views
from . import views

app_name = "discipline"
urlpatterns = [
    path("principal/", views.principal_inbox, name="principal_inbox"),
    path("principal/<int:pk>/", views.principal_instruct, name="principal_instruct"),
    path("inbox/", views.inbox, name="inbox"),
    path("records/<int:pk>/", views.case_detail, name="case"),
    path("records/<int:pk>/receive/", views.case_receive, name="receive"),
    path("records/<int:pk>/verify/", views.case_verify, name="verify"),
    path("records/<int:pk>/special/", views.case_special, name="special"),
    path("records/<int:pk>/handle/", views.case_handle, name="handle"),
    path("letters/<int:pk>/", views.letter_update, name="letter_update"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("special/<int:pk>/pdf/", views.special_pdf, name="special_pdf"),
    path("sanctions/", views.sanction_list, name="sanctions"),
    path("sanctions/new/", views.sanction_create, name="sanction_create"),
    path("sanctions/<int:pk>/", views.sanction_update, name="sanction_update"),
    path("people/<int:pk>/", views.person_file, name="person"),
    path("ledger/", views.ledger, name="ledger"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # Accountability (R-FAIL, R-PROTECT, zero report).
    path("failures/", acc_views.failure_list, name="failures"),
    path("failures/new/", acc_views.failure_create, name="failure_create"),
    path("failures/<int:pk>/", acc_views.failure_detail, name="failure"),
    path("personnel/", acc_views.personnel_actions, name="personnel"),
    path("alerts/", acc_views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", acc_views.alert_detail, name="alert"),
    path("complaints/", acc_views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", acc_views.complaint_detail, name="complaint"),
    path("complaints/new/<int:record_pk>/", acc_views.complaint_create, name="complaint_create"),
    path("zero-reports/missing/", acc_views.zero_missing, name="zero_missing"),
    path("recording/", acc_views.recording_board, name="recording"),
]
