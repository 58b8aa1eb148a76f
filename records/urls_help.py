from django.urls import path

from . import views_help

app_name = "help"
urlpatterns = [
    path("", views_help.help_index, name="index"),
    path("<slug:role>/", views_help.help_role, name="role"),
]
