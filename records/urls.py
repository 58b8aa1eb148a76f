from django.urls import path

app_name = "records"
urlpatterns: list = []
