from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [path("", views.calendar_index, name="index"), path("day/", views.calendar_day, name="day")]
