from django.urls import path

from cases.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.index, name="index"),
    path("confirm/", views.confirm, name="confirm"),
    path("template/<str:filename>", views.template, name="template"),
]
