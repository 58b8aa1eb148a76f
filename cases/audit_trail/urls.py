from django.urls import path

from . import views

# Included by cases.urls under the "audit" namespace: /audit/trail/.
urlpatterns = [
    path("trail/", views.trail, name="trail"),
    path("trail/export.csv", views.trail_export, name="trail_export"),
]
