"""/api/v1/: each app's endpoints (cases.api, records.api), the OpenAPI 3 schema and its documentation
pages. The pages are for signed-in staff and are served from this server (Swagger UI from the
drf-spectacular-sidecar package): nothing is fetched from a CDN."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

# The documentation is read in a browser by signed-in staff (the page session), not by a system's key;
# DRF sets the request's user from these classes, so the session keeps the page's no-store rule.
DOCS = {"authentication_classes": [SessionAuthentication], "permission_classes": [IsAuthenticated], "throttle_classes": []}

app_name = "api"
urlpatterns = [
    path("", include("cases.api.urls")),
    path("", include("records.api.urls")),
    path("schema/", login_required(SpectacularAPIView.as_view(**DOCS)), name="schema"),
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema", **DOCS)), name="docs"),
    path("redoc/", login_required(SpectacularRedocView.as_view(url_name="api:schema", **DOCS)), name="redoc"),
]
