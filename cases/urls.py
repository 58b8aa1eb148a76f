from django.urls import path

from . import views
from .audit_trail import urls as trail_urls

app_name = "audit"
urlpatterns = [
    path("", views.audit_status, name="status"),
    path("verify/", views.audit_verify_now, name="verify"),
    path("head.txt", views.audit_head_export, name="head"),
    *trail_urls.urlpatterns,
]
