from django.urls import path

from . import account_views

app_name = "accounts"
urlpatterns = [
    path("role-requests/", account_views.role_request_list, name="role_requests"),
    path("role-requests/<int:role_request_id>/decide", account_views.role_request_decide_view, name="role_request_decide"),
]
