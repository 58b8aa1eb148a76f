"""The product's URLs plus the benchmark-only admin peer (never used by the product)."""

from django.urls import path

from interference_registry.urls import urlpatterns as product

from .admin_peer import site

urlpatterns = [*product, path("bench-peer/", site.urls)]
