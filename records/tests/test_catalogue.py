"""R-CAT: the behaviour catalogue is the deduplicated union of the documents' lists, seeded by a
migration, and never hard-deleted."""

import re

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from records.models import BehaviourCategory
from records.record.catalogue import CATALOGUE, SOURCE_ITEMS


def _cited(sources: str) -> set[str]:
    return {part.strip() for part in sources.split("；")}


def test_every_source_item_is_in_the_catalogue():
    assert len(SOURCE_ITEMS) == 8 + 5 + 5 + 8  # 000 第八条, 001 内部人员 第八条, 001 领导干部 第八条, 002 第七条
    cited = set().union(*(_cited(sources) for _, _, sources in CATALOGUE))
    assert set(SOURCE_ITEMS) - cited == set()
    # Nothing is cited that is not an item of the four lists (no typo'd article).
    assert cited - set(SOURCE_ITEMS) == set()


def test_catalogue_ends_with_other_and_codes_are_unique():
    codes = [code for code, _, _ in CATALOGUE]
    assert len(codes) == len(set(codes))
    assert CATALOGUE[-1][1].startswith("其他")
    assert all(re.fullmatch(r"C\d\d", code) for code in codes)


@pytest.mark.django_db
def test_migration_seeded_the_catalogue():
    seeded = list(BehaviourCategory.objects.values_list("code", "sources"))
    assert seeded == [(code, sources) for code, _, sources in CATALOGUE]


@pytest.mark.django_db
def test_admin_cannot_delete_categories(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    assert site._registry[BehaviourCategory].has_delete_permission(request) is False
