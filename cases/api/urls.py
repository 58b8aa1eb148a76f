from django.urls import path

from . import views

urlpatterns = [
    path("cases/<path:number>", views.CaseView.as_view(), name="case"),
]
