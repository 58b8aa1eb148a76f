"""URLs of reports, included by ``discipline/urls.py`` under the ``discipline`` namespace."""

from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from . import views

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.reports, name="reports"),
    path("reports/<id:pk>/status/", views.report_status, name="report_status"),
    path("reports/<id:pk>/download/", views.report_download, name="report_download"),
    path("ledger/export.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("dashboard/export.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
]
