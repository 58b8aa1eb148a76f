"""URLs of accountability, included by ``discipline/urls.py`` under the ``discipline`` namespace."""

from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from . import views

urlpatterns = [
    path("failures/", views.failure_list, name="failures"),
    path("failures/new/", views.failure_create, name="failure_create"),
    path("failures/<id:pk>/", views.failure_detail, name="failure"),
    path("personnel/", views.personnel_actions, name="personnel"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<id:pk>/", views.alert_detail, name="alert"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<id:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/new/<id:record_pk>/", views.complaint_create, name="complaint_create"),
    path("zero-reports/missing/", views.zero_missing, name="zero_missing"),
    path("recording/", views.recording_board, name="recording"),
]
