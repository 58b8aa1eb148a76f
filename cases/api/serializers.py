"""The shapes of the cases endpoint: what a case system pushes and reads back."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case, Person, Unit


class OfficerSerializer(serializers.Serializer):
    number = serializers.CharField(label=_("人员编号"), max_length=32)
    name = serializers.CharField(label=_("姓名"), max_length=50)
    position = serializers.CharField(label=_("职务"), max_length=100, required=False, allow_blank=True, default="")
    has_account = serializers.BooleanField(label=_("已有系统账号"), read_only=True)


class CaseSerializer(serializers.Serializer):
    number = serializers.CharField(label=_("案件编号"), read_only=True)
    title = serializers.CharField(label=_("案件名称"), max_length=200)
    unit = serializers.SlugRelatedField(label=_("承办单位代码"), slug_field="code", queryset=Unit.objects.all())
    stage = serializers.ChoiceField(label=_("办理阶段"), choices=Case.Stage.choices, default=Case.Stage.CLUE)
    party = serializers.CharField(label=_("当事人"), max_length=200, required=False, allow_blank=True, default="")
    opened_on = serializers.DateField(label=_("立案日期"), required=False, allow_null=True, default=None)
    closed_on = serializers.DateField(label=_("结案日期"), required=False, allow_null=True, default=None)
    officers = OfficerSerializer(label=_("承办人员"), many=True, required=False)
    changed = serializers.BooleanField(label=_("本次有变更"), read_only=True)

    def validate(self, data):
        opened, closed = data.get("opened_on"), data.get("closed_on")
        if opened and closed and closed < opened:
            raise serializers.ValidationError({"closed_on": [_("结案日期不能早于立案日期。")]})
        numbers = [officer["number"] for officer in data.get("officers", [])]
        if len(numbers) != len(set(numbers)):
            raise serializers.ValidationError({"officers": [_("承办人员的人员编号不能重复。")]})
        return data


def case_payload(case: Case, *, changed: bool) -> dict:
    """A case as the API shows it; its officers are the handling officers' people (those with an account)."""
    officers = [
        {"number": person.number or "", "name": person.name, "position": person.position, "has_account": True}
        for person in Person.objects.filter(user__handled_cases=case).order_by("number", "pk")
    ]
    return {
        "number": case.number,
        "title": case.title,
        "unit": case.unit.code,
        "stage": case.stage,
        "party": case.party,
        "opened_on": case.opened_on.isoformat() if case.opened_on else None,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "officers": officers,
        "changed": changed,
    }
