"""factory_boy factories shared by the test suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import Case, Person, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"单位{n}")
    code = factory.Sequence(lambda n: f"U{n:04d}")
    kind = Unit.Kind.SECTION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.cn")
    password = factory.django.Password("Test-password-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or []:
            # get_or_create: a transactional test flushes the rows the data migration made.
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")
    position = "科员"
    unit = factory.SubFactory(UnitFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"应急罚〔2026〕{n:03d}号")
    title = factory.Sequence(lambda n: f"测试案件{n}")
    unit = factory.SubFactory(UnitFactory)


def make_officer(unit: Unit, username: str | None = None, role: str = "officer"):
    """A user in `role` with a Person entry in `unit`."""
    user = UserFactory(username=username, roles=[role]) if username else UserFactory(roles=[role])
    PersonFactory(user=user, unit=unit, name=f"{user.username}姓名")
    return user
