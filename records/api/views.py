"""The records endpoints. Views are thin: access helpers decide what a system reaches, the record
services do every write with the page's rules (deadline R-DUE, completeness, evidence, late reason)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.base import ApiView, created
from cases.api.selectors import system_of
from records.calendar.dates import local_date
from records.calendar.deadlines import deadline_state, period_end, reporting_deadline
from records.calendar.workdays import SUPPORTED_MAX, SUPPORTED_MIN, WorkCalendar
from records.hooks import record_outcomes
from records.record import services
from records.record.models import RECORD_FIELDS, InterferenceRecord

from .access import access_api_officer, access_api_record
from .selectors import record_changes
from .serializers import (
    CalendarSerializer,
    ChangesSerializer,
    DraftSerializer,
    PeriodEndSerializer,
    RecordStatusSerializer,
    ReportingDueSerializer,
    SubmitSerializer,
)

CHANGES_PAGE = 200


def status_payloads(records: list[InterferenceRecord], request: Request, now: dt.datetime) -> list[dict]:
    """Each record's status, deadline state and outcome: three queries whatever the number of records
    (the calendar, and the outcomes through discipline's hook)."""
    if not records:
        return []
    calendar = WorkCalendar.covering([*(local_date(r.due_at) for r in records), *(local_date(r.submitted_at) for r in records if r.submitted_at), local_date(now)])
    outcomes: dict[int, dict] = {}
    for found in record_outcomes.run(records=records):
        outcomes.update(found)
    statuses = {value: str(label) for value, label in InterferenceRecord.Status.choices}
    payloads = []
    for record in records:
        state = deadline_state(due_at=record.due_at, now=now, submitted_at=record.submitted_at, calendar=calendar)
        person = getattr(record.recorder, "person", None)
        payloads.append(
            {
                "id": record.pk,
                "serial": record.serial,
                "status": record.status,
                "status_label": statuses[record.status],
                "case": record.case.number if record.case_id else None,
                "recorder": person.number if person is not None else None,
                "recorder_unit": record.recorder_unit.code,
                "occurred_at": record.occurred_at.isoformat(),
                "due_at": record.due_at.isoformat(),
                "submitted_at": record.submitted_at.isoformat() if record.submitted_at else None,
                "deadline": {"code": state.code, "working_days": state.working_days, "label": state.label},
                "outcome": outcomes.get(record.pk),
                "page": request.build_absolute_uri(reverse("records:detail", args=[record.pk])),
            }
        )
    return payloads


def _with_status_relations(records):
    return records.select_related("case", "recorder_unit", "recorder__person")


class RecordCreateView(ApiView):
    """代记录人登记草稿：执法办案系统在办案中发现干预过问时，为承办人建立草稿，由其在本系统补全并报送，或经接口报送。"""

    @extend_schema(request=DraftSerializer, responses={201: RecordStatusSerializer}, summary="代记录人登记草稿")
    def post(self, request: Request) -> Response:
        system = system_of(request.user)
        number = request.data.get("officer") if isinstance(request.data, dict) else None
        if not isinstance(number, str) or not number.strip():
            raise serializers.ValidationError({"officer": [_("请填写记录人的人员编号。")]})
        officer = access_api_officer(system, number.strip())
        serializer = DraftSerializer(data=request.data, officer=officer, unit=officer.person.unit)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        categories = data.pop("categories", [])
        data.pop("officer")
        fields = {name: data.get(name, InterferenceRecord._meta.get_field(name).get_default()) for name in RECORD_FIELDS}
        record = services.record_create_on_behalf(
            data=fields, categories=categories, recorder=officer, system_name=system.name, actor=request.user
        )
        self.audited = record
        record = _with_status_relations(InterferenceRecord.objects).get(pk=record.pk)
        return created(status_payloads([record], request, timezone.now())[0])


class RecordView(ApiView):
    """读取记录的状态、报送期限和核实处理结果（不含记录内容）。"""

    @extend_schema(
        parameters=[OpenApiParameter("officer", str, description="代其查看的人员编号：只返回该人员在本系统页面上可见的记录（含回避规则）")],
        responses=RecordStatusSerializer,
        summary="读取记录状态",
    )
    def get(self, request: Request, pk: int) -> Response:
        system = system_of(request.user)
        number = request.query_params.get("officer", "").strip()
        officer = access_api_officer(system, number) if number else None
        record = access_api_record(system, pk, officer)
        self.audited = record
        return Response(status_payloads([record], request, timezone.now())[0])


class RecordSubmitView(ApiView):
    """代记录人报送：与页面报送相同的校验和期限规则（登记表完整、证据或无证据说明、逾期须说明原因）。"""

    @extend_schema(request=SubmitSerializer, responses=RecordStatusSerializer, summary="报送记录")
    def post(self, request: Request, pk: int) -> Response:
        system = system_of(request.user)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        officer = access_api_officer(system, serializer.validated_data["officer"].strip())
        record = access_api_record(system, pk, officer)
        self.audited = record
        services.record_submit(
            record=record,
            late_reason=serializer.validated_data["late_reason"],
            also_report_higher=serializer.validated_data["also_report_higher"],
            actor=officer,
            now=timezone.now(),
        )
        record = _with_status_relations(InterferenceRecord.objects).get(pk=record.pk)
        return Response(status_payloads([record], request, timezone.now())[0])


class RecordChangesView(ApiView):
    """变更记录同步：返回游标之后有变化的记录（按变化被审计链封存的顺序），供监督平台增量同步。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", int, description="上次响应中的 cursor；首次同步用 0"),
            OpenApiParameter("limit", int, description=f"每次最多返回的记录数（1–{CHANGES_PAGE}）"),
        ],
        responses=ChangesSerializer,
        summary="变更记录同步",
    )
    def get(self, request: Request) -> Response:
        """See selectors.record_changes."""
        try:
            cursor = int(request.query_params.get("cursor", "0"))
            limit = int(request.query_params.get("limit", str(CHANGES_PAGE)))
        except ValueError:
            raise serializers.ValidationError({"cursor": [_("游标和条数须为整数。")]}) from None
        if cursor < 0 or not 1 <= limit <= CHANGES_PAGE:
            raise serializers.ValidationError({"limit": [_("游标不能为负数，条数须在 1 到 %(max)d 之间。") % {"max": CHANGES_PAGE}]})
        page = record_changes(system=system_of(request.user), cursor=cursor, limit=limit)
        records = {r.pk: r for r in _with_status_relations(InterferenceRecord.objects).filter(pk__in=page.record_ids)}
        payloads = status_payloads([records[pk] for pk in page.record_ids], request, timezone.now())
        return Response({"cursor": page.cursor, "more": page.more, "results": payloads})


def _date_parameter_check(value: dt.date, name: str) -> None:
    # A deadline or period runs up to a year past its start: the calendar must reach that far.
    if not SUPPORTED_MIN <= value <= SUPPORTED_MAX - dt.timedelta(days=400):
        raise serializers.ValidationError({name: [_("日期须在 1900 年至 2098 年之间。")]})


def _date_parameter(request: Request, name: str) -> dt.date:
    try:
        parsed = dt.date.fromisoformat(request.query_params.get(name, ""))
    except ValueError:
        raise serializers.ValidationError({name: [_("请输入有效日期，格式为 YYYY-MM-DD。")]}) from None
    _date_parameter_check(parsed, name)
    return parsed


class ReportingDueView(ApiView):
    """报送期限计算：过问发生后第三个工作日 24 时（十堰000第九条，按法定节假日和调休计算）。"""

    @extend_schema(
        parameters=[OpenApiParameter("occurred_at", OpenApiTypes.DATETIME, required=True, description="过问时间，ISO 8601，例如 2026-12-03T09:30:00+08:00")],
        responses=ReportingDueSerializer,
        summary="报送期限计算",
    )
    def get(self, request: Request) -> Response:
        field = serializers.DateTimeField()
        try:
            occurred_at = field.to_internal_value(request.query_params.get("occurred_at", ""))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"occurred_at": error.detail}) from None
        _date_parameter_check(local_date(occurred_at), "occurred_at")
        deadline = reporting_deadline(occurred_at)
        return Response({"occurred_at": occurred_at.isoformat(), "due_at": deadline.due_at.isoformat(), "provisional": deadline.provisional})


class PeriodEndView(ApiView):
    """“N 日内”期间届满日：起算日不计入，末日为节假日的顺延至下一工作日（民法典第二百零一条、第二百零三条）。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="起算日（不计入）"),
            OpenApiParameter("days", int, required=True, description="日数，例如 10、30"),
        ],
        responses=PeriodEndSerializer,
        summary="期间届满日计算",
    )
    def get(self, request: Request) -> Response:
        start = _date_parameter(request, "start")
        try:
            days = int(request.query_params.get("days", ""))
        except ValueError:
            raise serializers.ValidationError({"days": [_("日数须为 0 到 366 之间的整数。")]}) from None
        if not 0 <= days <= 366:
            raise serializers.ValidationError({"days": [_("日数须为 0 到 366 之间的整数。")]})
        return Response({"start": start.isoformat(), "days": days, "end": period_end(start, days).isoformat()})


class CalendarView(ApiView):
    """工作日日历：某一年每一天是否为工作日，以及依据（管理员录入、国务院通知或暂定）。"""

    @extend_schema(responses=CalendarSerializer, summary="工作日日历")
    def get(self, request: Request, year: int) -> Response:
        if not SUPPORTED_MIN.year <= year <= SUPPORTED_MAX.year:
            raise serializers.ValidationError({"year": [_("年份须在 1900 到 2099 之间。")]})
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        calendar = WorkCalendar.load(first, last)
        days = [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]
        return Response(
            {"year": year, "days": [{"date": d.isoformat(), "working": calendar.is_working_day(d), "source": calendar.source_for(d)} for d in days]}
        )

