"""URLs of review, included by ``discipline/urls.py`` under the ``discipline`` namespace."""

from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from . import views

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
    path("cases/<id:pk>/circular.pdf", views.circular_pdf, name="circular_pdf"),
    path("special/<id:pk>/decide/", views.special_decide, name="special_decide"),
    path("sanctions/", views.sanction_list, name="sanctions"),
    path("sanctions/new/", views.sanction_create, name="sanction_create"),
    path("sanctions/<id:pk>/", views.sanction_update, name="sanction_update"),
]
