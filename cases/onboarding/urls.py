from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below
from cases.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.index, name="index"),
    path("confirm/", views.confirm, name="confirm"),
    path("jobs/<id:pk>/", views.job, name="job"),
    path("jobs/<id:pk>/status/", views.job_status, name="job_status"),
    path("template/<str:filename>", views.template, name="template"),
]
