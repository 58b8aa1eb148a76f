from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_status, name="status"),
    path("verify/", views.audit_verify_now, name="verify"),
    path("head.txt", views.audit_head_export, name="head"),
]
