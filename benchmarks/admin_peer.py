"""The peer of the officer list page: the Django admin changelist of the same model and rows, on a
throw-away AdminSite that exists only in the benchmark (records are deliberately not in the
product's admin). Mounted by benchmarks/urls.py next to the product's URLs."""

from django.contrib import admin

from records.models import InterferenceRecord


class PeerSite(admin.AdminSite):
    site_header = "benchmark peer"


class RecordPeerAdmin(admin.ModelAdmin):
    """What a lazy implementation would give: the same columns, 20 rows a page, the officer's rows."""

    list_display = ("serial", "occurred_at", "channel", "interferer_name", "interferer_position", "case", "recorder_unit", "status",
                    "due_at", "submitted_at")  # fmt: skip
    list_per_page = 20
    recorder_id: int | None = None  # set by the benchmark: the officer whose page is compared

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recorder_id=self.recorder_id)


site = PeerSite(name="peer")
site.register(InterferenceRecord, RecordPeerAdmin)
