"""The integrity file page of one person (discipline staff only; the read is audited by ``review.access.access_person``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from discipline.common.decorators import discipline_required
from discipline.person_file.selectors import integrity_file
from discipline.review.access import access_person
from discipline.review.selectors import flag_repeats, repeat_map


@discipline_required
def person_file(request: HttpRequest, pk: int) -> HttpResponse:
    """廉政档案 (R-FILE): a person's interference and recording behaviour."""
    person = access_person(request.user, pk)
    file = integrity_file(request.user, person, timezone.now())
    flag_repeats(file.as_interferer, repeat_map(request.user))
    return render(request, "discipline/person_file.html", {"file": file, "person": person})
