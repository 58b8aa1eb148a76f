"""URLs of person file, included by ``discipline/urls.py`` under the ``discipline`` namespace."""

from django.urls import path

import cases.converters  # noqa: F401 - registers the <id:…> converter used below

from . import views

urlpatterns = [
    path("people/<id:pk>/", views.person_file, name="person"),
]
