"""The cases endpoint: a case system pushes its cases and their officers (idempotent by case number)
and reads them back, within its scope."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Case, Person

from . import services
from .access import OutOfScope, access_api_case, require_unit_in_scope
from .base import ApiView, created
from .selectors import scope_unit_ids, system_of
from .serializers import CaseSerializer, case_payload


class CaseView(ApiView):
    """执法案件：按案件编号读取或推送（新增或更新）。"""

    serializer_class = CaseSerializer

    @extend_schema(responses=CaseSerializer, summary="读取执法案件")
    def get(self, request: Request, number: str) -> Response:
        case = access_api_case(system_of(request.user), number)
        self.audited = case
        return Response(case_payload(case, changed=False))

    @extend_schema(request=CaseSerializer, responses={200: CaseSerializer, 201: CaseSerializer}, summary="推送执法案件（按案件编号新增或更新）")
    def put(self, request: Request, number: str) -> Response:
        system = system_of(request.user)
        if Case.objects.filter(number=number).exists():
            # A case of another system's units is not revealed, not even by a refusal that names it.
            access_api_case(system, number)
        serializer = CaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        require_unit_in_scope(system, data["unit"], "unit")
        entries = data.pop("officers", None)
        officers = None
        if entries is not None:
            officers = [services.OfficerEntry(**entry) for entry in entries]
            outside = Person.objects.filter(number__in=[entry.number for entry in officers]).exclude(unit_id__in=scope_unit_ids(system))
            stranger = outside.values_list("number", flat=True).first()
            if stranger is not None:
                index = [entry.number for entry in officers].index(stranger)
                raise OutOfScope(f"officers[{index}].number")
        case, was_created, changed = services.case_upsert(number=number, values=data, officers=officers, actor=request.user)
        self.audited = case
        payload = case_payload(case, changed=changed)
        if officers is not None:
            accounts = dict(Person.objects.filter(number__in=[entry.number for entry in officers]).values_list("number", "user_id"))
            payload["officers"] = [
                {"number": entry.number, "name": entry.name, "position": entry.position, "has_account": accounts.get(entry.number) is not None}
                for entry in officers
            ]
        return created(payload) if was_created else Response(payload)
