from django.urls import path

from . import views

urlpatterns = [
    path("records/", views.RecordCreateView.as_view(), name="records"),
    path("records/changes", views.RecordChangesView.as_view(), name="record_changes"),
    path("records/<int:pk>", views.RecordView.as_view(), name="record"),
    path("records/<int:pk>/submit", views.RecordSubmitView.as_view(), name="record_submit"),
    path("calendar/<int:year>", views.CalendarView.as_view(), name="calendar"),
    path("deadlines/reporting-due", views.ReportingDueView.as_view(), name="reporting_due"),
    path("deadlines/period-end", views.PeriodEndView.as_view(), name="period_end"),
]
