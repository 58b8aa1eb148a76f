from django.urls import path

from . import pages

app_name = "api_systems"
urlpatterns = [
    path("", pages.api_systems, name="index"),
    path("<slug:code>/rotate/", pages.api_key_rotate, name="rotate"),
    path("<slug:code>/toggle/", pages.api_system_toggle, name="toggle"),
    path("keys/<str:prefix>/revoke/", pages.api_key_revoke, name="revoke"),
]
