from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from cases.views import health_live, health_ready, system_status
from cases.views_otp import backup_codes, otp_verify, second_factor_reset_view
from cases.views_password import password_change_view
from interference_registry.views import home

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("records/", include("records.urls")),
    path("discipline/", include("discipline.urls")),
    path("notifications/", include("records.notifications.urls")),
    path("calendar/", include("records.calendar.urls")),
    path("audit/", include("cases.urls")),
    path("onboarding/", include("cases.onboarding.urls")),
    path("accounts/", include("cases.account_urls")),
    path("status/", system_status, name="system_status"),
    path("health/live", health_live, name="health_live"),
    path("health/ready", health_ready, name="health_ready"),
    path("help/", include("records.help.urls")),
    path("otp/", otp_verify, name="otp_verify"),
    # Outside /otp/: these pages are reached after the second factor, never instead of it.
    path("second-factor/backup-codes/", backup_codes, name="second_factor_backup_codes"),
    path("second-factor/reset/", second_factor_reset_view, name="second_factor_reset"),
    path("password/", password_change_view, name="password_change"),
    path("api/v1/", include("interference_registry.api")),
    path("api-systems/", include("cases.api.page_urls")),
    # The admin's own password change would save the form itself (no history, no audit): its holder
    # changes a password on the product's page, through cases.password_policy.password_change.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
]
