"""The discipline pages: each subpackage lists its own paths; all are served under the ``discipline``
namespace, so every URL name and path is unchanged."""

from discipline.accountability.urls import urlpatterns as accountability_urls
from discipline.campaigns.urls import urlpatterns as campaign_urls
from discipline.faults.urls import urlpatterns as fault_urls
from discipline.person_file.urls import urlpatterns as person_file_urls
from discipline.reports.urls import urlpatterns as report_urls
from discipline.review.urls import urlpatterns as review_urls

app_name = "discipline"
urlpatterns = [*review_urls, *person_file_urls, *report_urls, *accountability_urls, *fault_urls, *campaign_urls]
