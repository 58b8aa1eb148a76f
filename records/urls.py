from django.urls import path

from . import views, views_zero

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_create, name="create"),
    path("quick/", views.quick_capture, name="quick"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/edit/", views.record_edit, name="edit"),
    path("<int:pk>/submit/", views.record_submit, name="submit"),
    path("<int:pk>/amend/", views.amendment_add, name="amend"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("zero-report/", views_zero.zero_report, name="zero_report"),
]
