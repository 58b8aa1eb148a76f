"""The notification centre: a bell with the unread count on every page, the list, marking read."""

import pytest
from django.urls import reverse

from records.models import Notification
from records.notifications.services import notification_send

pytestmark = pytest.mark.django_db


def test_bell_list_and_mark_read(client, officer, other_officer, django_assert_max_num_queries):
    for i in range(3):
        notification_send(recipient=officer, kind="due_today", key=str(i), title=f"提醒{i}", link=reverse("records:list"))
    foreign = notification_send(recipient=other_officer, kind="due_today", key="x", title="别人的提醒")
    assert notification_send(recipient=officer, kind="due_today", key="0", title="重复") is None  # once only
    client.force_login(officer)
    page = client.get(reverse("records:list")).content.decode()
    assert "3条未读" in page
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("notifications:list"))
    for i in range(3, 25):
        notification_send(recipient=officer, kind="due_today", key=str(i), title=f"提醒{i}")
    # The query count does not grow with the number of notices shown.
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))
    Notification.objects.filter(recipient=officer, key__in=[str(i) for i in range(3, 25)]).delete()
    listing = client.get(reverse("notifications:list"))
    html = listing.content.decode()
    assert "提醒0" in html and "别人的提醒" not in html
    first = Notification.objects.get(recipient=officer, key="0")
    response = client.post(reverse("notifications:read"), {"id": [first.pk, foreign.pk], "next": reverse("records:list")})
    assert response["Location"] == reverse("records:list")
    foreign.refresh_from_db()
    assert foreign.read_at is None  # another user's notice is untouched
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 2
    response = client.post(reverse("notifications:read"), {"all": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")  # no open redirect
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 0
    page = client.get(reverse("records:list")).content.decode()
    assert "0条未读" in page and 'badge text-bg-warning' not in page
