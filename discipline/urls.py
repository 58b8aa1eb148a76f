from django.urls import path

app_name = "discipline"
urlpatterns: list = []
