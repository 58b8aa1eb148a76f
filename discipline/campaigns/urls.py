"""URLs of campaigns, included by ``discipline/urls.py`` under the ``discipline`` namespace."""

from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from . import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<id:pk>/", views.campaign_dashboard, name="campaign"),
    path("campaigns/<id:pk>/reopen/", views.campaign_reopen, name="campaign_reopen"),
    path("campaigns/<id:pk>/mechanisms/", views.campaign_mechanisms, name="campaign_mechanisms"),
    path("campaigns/<id:pk>/report/", views.campaign_report, name="campaign_report"),
    path("campaigns/reports/<id:pk>/", views.campaign_report_download, name="campaign_report_download"),
    path("campaigns/reports/<id:pk>/status/", views.campaign_report_status, name="campaign_report_status"),
    path("campaigns/units/<id:pk>/", views.campaign_unit, name="campaign_unit"),
    path("campaigns/findings/<id:pk>/", views.campaign_finding, name="campaign_finding"),
    path("campaigns/rectifications/<id:pk>/", views.rectification, name="rectification"),
    path("campaigns/rectifications/<id:pk>/evidence/", views.rectification_evidence, name="rectification_evidence"),
]
