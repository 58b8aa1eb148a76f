"""The record pages' URLs, included by ``records.urls`` under the ``records`` namespace."""

from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from . import views

urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_create, name="create"),
    path("quick/", views.quick_capture, name="quick"),
    path("<id:pk>/", views.record_detail, name="detail"),
    path("<id:pk>/edit/", views.record_edit, name="edit"),
    path("<id:pk>/submit/", views.record_submit, name="submit"),
    path("<id:pk>/amend/", views.amendment_add, name="amend"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
    path("overdue/", views.overdue_list, name="overdue"),
]
