from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from .record.urls import urlpatterns as record_urlpatterns
from .zero_report import views as zero_report_views

app_name = "records"
urlpatterns = [
    *record_urlpatterns,
    path("zero-report/", zero_report_views.zero_report, name="zero_report"),
]
