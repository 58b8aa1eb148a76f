"""The shapes of the records endpoints. A draft made through the API is checked as a quick-capture
draft is on the pages (who asked, their position, when, how, what); the rest may follow from the case
system or be completed by the officer, and submission checks the whole 登记表 exactly as the page does
(records.record.services.record_submit)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case, Person
from cases.selectors import cases_for_recorder, people_for_picker
from records.record.forms import check_occurred_at
from records.record.models import RECORD_FIELDS, BehaviourCategory, InterferenceRecord

QUICK_CAPTURE_REQUIRED = ("occurred_at", "channel", "interferer_name", "interferer_position", "content")


class DraftSerializer(serializers.ModelSerializer):
    officer = serializers.CharField(label=_("记录人（人员编号）"), max_length=32, write_only=True)
    case = serializers.SlugRelatedField(label=_("涉及案件（案件编号）"), slug_field="number", queryset=Case.objects.none(), required=False, allow_null=True)
    interferer = serializers.SlugRelatedField(label=_("过问人（人员编号）"), slug_field="number", queryset=Person.objects.none(), required=False, allow_null=True)
    behind_person = serializers.SlugRelatedField(
        label=_("背后的领导干部（人员编号）"), slug_field="number", queryset=Person.objects.none(), required=False, allow_null=True
    )
    categories = serializers.SlugRelatedField(
        label=_("行为类别（编码）"), slug_field="code", many=True, required=False, queryset=BehaviourCategory.objects.filter(is_active=True)
    )

    class Meta:
        model = InterferenceRecord
        fields = ["officer", *RECORD_FIELDS, "categories"]
        extra_kwargs = {name: {"required": True, "allow_blank": False} for name in QUICK_CAPTURE_REQUIRED if name != "occurred_at"}

    def __init__(self, *args, officer=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The same pickers as the page's 登记表: the cases and people the officer's unit reaches.
        if officer is not None:
            self.fields["case"].queryset = cases_for_recorder(officer, unit)
            people = people_for_picker(unit)
            self.fields["interferer"].queryset = people
            self.fields["behind_person"].queryset = people

    def validate_occurred_at(self, value):
        try:
            return check_occurred_at(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class SubmitSerializer(serializers.Serializer):
    officer = serializers.CharField(label=_("记录人（人员编号）"), max_length=32)
    late_reason = serializers.CharField(label=_("逾期说明"), required=False, allow_blank=True, default="", max_length=2000)
    also_report_higher = serializers.BooleanField(label=_("同时报上一级纪检监察机构"), required=False, default=False)


class DeadlineStateSerializer(serializers.Serializer):
    code = serializers.ChoiceField(label=_("状态"), choices=["remaining", "due_today", "overdue", "submitted", "submitted_late"])
    working_days = serializers.IntegerField(label=_("工作日数"))
    label = serializers.CharField(label=_("说明"))


class RecordStatusSerializer(serializers.Serializer):
    """A record's status as a calling system reads it: no content and no person's name."""

    id = serializers.IntegerField()
    serial = serializers.CharField(label=_("编号"))
    status = serializers.CharField(label=_("状态"))
    status_label = serializers.CharField(label=_("状态名称"))
    case = serializers.CharField(label=_("案件编号"), allow_null=True)
    recorder = serializers.CharField(label=_("记录人（人员编号）"), allow_null=True)
    recorder_unit = serializers.CharField(label=_("记录人单位代码"))
    occurred_at = serializers.DateTimeField(label=_("过问时间"))
    due_at = serializers.DateTimeField(label=_("报送期限"))
    submitted_at = serializers.DateTimeField(label=_("报送时间"), allow_null=True)
    deadline = DeadlineStateSerializer(label=_("期限状态"))
    outcome = serializers.DictField(label=_("核实与处理结果"), allow_null=True)
    page = serializers.URLField(label=_("系统内页面"))


class ChangesSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(label=_("下次请求的游标"))
    more = serializers.BooleanField(label=_("还有更多变更"))
    results = RecordStatusSerializer(many=True)


class ReportingDueSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField(label=_("过问时间"))
    due_at = serializers.DateTimeField(label=_("报送期限"))
    provisional = serializers.BooleanField(label=_("依据暂定日历"))


class PeriodEndSerializer(serializers.Serializer):
    start = serializers.DateField(label=_("起算日"))
    days = serializers.IntegerField(label=_("日数"))
    end = serializers.DateField(label=_("期间届满日"))


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField(label=_("日期"))
    working = serializers.BooleanField(label=_("工作日"))
    source = serializers.CharField(label=_("来源"))


class CalendarSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("年份"))
    days = CalendarDaySerializer(many=True)
