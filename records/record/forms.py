"""Forms of the officer pages. Validation of input only; state changes happen in services."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.fields import BoundedDateField, IdsChoiceField, check_date_range
from cases.selectors import PickerScope, cases_for_recorder, people_for_picker, picker_scope
from cases.widgets import FastSelect

from .models import BehaviourCategory, Evidence, InterferenceRecord
from .rules import incomplete_fields, missing_evidence

EVIDENCE_SLOTS = 3
# Clocks of phones and servers drift; an interference "in the future" by a few minutes is not an error.
FUTURE_TOLERANCE = timedelta(minutes=5)
AUTO_KIND = ""
# Fields the model leaves blank for a quick-capture draft but the full form requires.
FULL_FORM_REQUIRED = ("interferer_kind", "nature", "response")

class EvidenceFileField(forms.FileField):
    """A file input that refuses files over the configured size before anything is stored."""

    def validate(self, value):
        super().validate(value)
        if value and value.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("文件“%(name)s”大小为%(size)s，超过上限%(limit)s。")
                % {"name": value.name, "size": filesizeformat(value.size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
            )


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def check_occurred_at(value):
    check_date_range(value)
    if value and value > timezone.now() + FUTURE_TOLERANCE:
        raise forms.ValidationError(_("过问时间不能晚于当前时间。"))
    return value


# Evidence inputs: on a phone the first opens the camera and the second the voice recorder (`capture`);
# the third picks an existing file (a screenshot, a scan), which `capture` would forbid.
EVIDENCE_INPUTS = (
    (_("拍照"), {"accept": "image/*", "capture": "environment"}),
    (_("录音"), {"accept": "audio/*", "capture": "user"}),
    (_("选择文件（截图、扫描件、文档）"), {"accept": "audio/*,image/*,video/*,.pdf,.txt,.doc,.docx"}),
)


def evidence_input(slot: int, *, required: bool = False) -> "EvidenceFileField":
    label, attrs = EVIDENCE_INPUTS[slot - 1]
    return EvidenceFileField(
        label=_("证据材料%(n)s：%(how)s") % {"n": slot, "how": label}, required=required, widget=forms.ClearableFileInput(attrs=attrs)
    )


class _PersonGroups(ModelChoiceIterator):
    """The people of the picker grouped by unit: the own bureau's units first, then each higher organ
    nearest first, so a leader of the city bureau is told apart from a namesake in the county."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[int, list] = {}
        first = {}
        for person in self.queryset:
            groups.setdefault(person.unit_id, []).append(self.choice(person))
            first.setdefault(person.unit_id, person)
        for unit_id in sorted(groups, key=self.field.scope.dist.__getitem__):
            label = self.field.unit_label(first[unit_id])
            if self.field.scope.dist[unit_id]:
                label = _("上级机关：%(unit)s") % {"unit": label}
            yield (label, groups[unit_id])


def unit_with_organ(person) -> str:
    """The person's unit named with the organ it belongs to when it is a section ("省应急管理厅执法监督处"),
    from the `unit_parent_name` that cases.selectors.people_for_picker annotates."""
    unit = person.unit
    if unit is None:
        return ""
    parent_name = getattr(person, "unit_parent_name", None)
    return f"{parent_name}{unit.name}" if unit.kind != unit.Kind.BUREAU and parent_name else unit.name


class PersonSelect(FastSelect):
    """Each option carries the person's name, position and unit, so static/js/person-picker.js can fill
    the written fields the 登记表 keeps beside the link (the record keeps the name as told)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = getattr(value, "instance", None)
        if person is not None:
            option["attrs"].update({"data-name": person.name, "data-position": person.position, "data-unit": unit_with_organ(person)})
        return option


class PersonChoiceField(forms.ModelChoiceField):
    """A person of the registry, offered as "王刚（市应急管理局·副局长）" in groups by unit
    (cases.selectors.picker_scope decides who is offered; any other id is refused)."""

    iterator = _PersonGroups
    widget = PersonSelect
    default_error_messages = {
        "invalid_choice": _("所选人员不在可选范围内（本局及上级机关人员库）。请重新选择，或留空并在下方填写姓名、职务。"),
    }

    def __init__(self, *args, scope: PickerScope | None = None, **kwargs):
        self.scope = scope or PickerScope(dist={})
        super().__init__(*args, **kwargs)

    def unit_label(self, person) -> str:
        """The person's unit; a section of a higher organ is named with its organ, the own bureau's
        sections by their short names."""
        return unit_with_organ(person) if self.scope.dist.get(person.unit_id) else person.unit.name

    def label_from_instance(self, obj):
        unit = self.unit_label(obj) if obj.unit else ""
        # A position that already names the unit ("市应急管理局副局长") is shown alone.
        where = obj.position if unit and obj.unit.name in obj.position else "·".join(p for p in (unit, obj.position) if p)
        return f"{obj.name}（{where}）" if where else obj.name


class QuickCaptureForm(forms.ModelForm):
    """快速登记: who, position, when (now by default), how and what was asked — on a phone, in under
    half a minute. The rest of the 登记表 is completed before submission."""

    class Meta:
        model = InterferenceRecord
        fields = ["interferer_name", "interferer_position", "occurred_at", "channel", "content"]
        widgets = {
            "occurred_at": LocalDateTimeInput(),
            "content": forms.Textarea(attrs={"rows": 4}),
            "interferer_name": forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
            "interferer_position": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {"content": _("对方说了什么、要求什么，先简要记下，报送前可在登记表中补充。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["occurred_at"].error_messages["invalid"] = _("请输入有效的日期和时间，例如 2026-11-24 09:30。")
        self.fields["channel"].choices = [("", _("请选择"))] + list(InterferenceRecord.Channel.choices)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        self.fields["photo"] = evidence_input(1)
        self.fields["audio"] = evidence_input(2)

    def clean_occurred_at(self):
        return check_occurred_at(self.cleaned_data["occurred_at"])

    def _post_clean(self):
        # Nothing is saved through the model form (the service does it); skip model validation of the
        # fields a quick draft leaves for later.
        pass


class RecordForm(forms.ModelForm):
    """The 登记表 (002 第五条): who, when, where, how, what, and the evidence kept."""

    categories = IdsChoiceField(
        label=_("行为类别"),
        queryset=BehaviourCategory.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("可多选；依据见各项说明。"),
    )
    staged = IdsChoiceField(
        label=_("已上传的材料"),
        queryset=Evidence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("这些文件已安全保存，无需重新选择；取消勾选则不附到本记录。"),
    )

    class Meta:
        model = InterferenceRecord
        fields = [
            "case", "matter", "occurred_at", "place", "channel",
            "interferer_kind", "interferer", "interferer_name", "interferer_position", "interferer_unit",
            "proxy_relation", "behind_person", "behind_name", "behind_position",
            "letter_organization", "letter_number",
            "content", "categories", "nature", "response", "response_note", "missing_evidence_reason",
        ]  # fmt: skip
        field_classes = {"interferer": PersonChoiceField, "behind_person": PersonChoiceField}
        widgets = {
            "occurred_at": LocalDateTimeInput(),
            "content": forms.Textarea(attrs={"rows": 5}),
            "response_note": forms.Textarea(attrs={"rows": 2}),
            "missing_evidence_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, unit, record: InterferenceRecord | None = None, intent: str = "draft", **kwargs):
        super().__init__(*args, instance=record, **kwargs)
        self.user = user
        self.intent = intent
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["occurred_at"].error_messages["invalid"] = _("请输入有效的日期和时间，例如 2026-11-24 09:30。")
        # One query tells which units the pickers reach (the own bureau's tree and its higher organs).
        scope = picker_scope(unit)
        self.fields["case"].queryset = cases_for_recorder(user, unit, scope=scope)
        self.fields["case"].empty_label = _("（尚未立案或不涉及具体案件）")
        people = people_for_picker(unit, scope=scope)
        for name in ("interferer", "behind_person"):
            self.fields[name].queryset = people
            self.fields[name].scope = scope
        # Picking a person fills the written name, position and unit when they are empty (person-picker.js).
        self.fields["interferer"].widget.attrs.update(
            {"data-fill-name": "id_interferer_name", "data-fill-position": "id_interferer_position", "data-fill-unit": "id_interferer_unit"}
        )
        self.fields["behind_person"].widget.attrs.update({"data-fill-name": "id_behind_name", "data-fill-position": "id_behind_position"})
        self.fields["interferer"].help_text = _("如过问人在人员库中，请选择，以便准确统计；否则只填写下方姓名职务。")
        self.fields["staged"].queryset = Evidence.objects.filter(uploaded_by=user, record__isnull=True)
        # Only files kept from an earlier failed POST are listed; a fresh form shows no empty box.
        self.show_staged = self.is_bound and bool(self.data.getlist("staged") if hasattr(self.data, "getlist") else self.data.get("staged"))
        # Blank in the model only so a quick-capture draft can exist; the full 登记表 always asks for them.
        for name in FULL_FORM_REQUIRED:
            self.fields[name].required = True
        # The case picker keeps its own empty label above; touching its `choices` here would run its
        # query (a count and every case) at every form, even a POST that renders nothing.
        for name in ("interferer", "behind_person", "channel", "interferer_kind", "proxy_relation", "nature", "response"):
            field = self.fields[name]
            if hasattr(field, "empty_label"):
                field.empty_label = _("请选择")
            elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", _("请选择"))] + list(field.choices)[1:]
        if record is None and not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        for i in range(1, EVIDENCE_SLOTS + 1):
            self.fields[f"file_{i}"] = evidence_input(i)
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("材料类型"),
                choices=[(AUTO_KIND, _("自动识别"))] + list(Evidence.Kind.choices),
                required=False,
            )
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        slots = [Div(Div(f"file_{i}", css_class="col-md-8"), Div(f"kind_{i}", css_class="col-md-4"), css_class="row") for i in range(1, EVIDENCE_SLOTS + 1)]
        helper.layout = Layout(
            Fieldset(_("涉及案件"), Div(Div("case", css_class="col-md-6"), Div("matter", css_class="col-md-6"), css_class="row")),
            Fieldset(
                _("过问情况"),
                Div(Div("occurred_at", css_class="col-md-4"), Div("channel", css_class="col-md-4"), Div("place", css_class="col-md-4"), css_class="row"),
            ),
            Fieldset(
                _("过问人"),
                Div(Div("interferer_kind", css_class="col-md-4"), Div("interferer", css_class="col-md-8"), css_class="row"),
                Div(
                    Div("interferer_name", css_class="col-md-4"),
                    Div("interferer_position", css_class="col-md-4"),
                    Div("interferer_unit", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("通过身边工作人员、亲属或组织发函过问的"),
                HTML('<p class="form-text">{}</p>'.format(_("依据广元001第五条、十堰000第八条(三)，同时记录其背后的领导干部。"))),
                Div(Div("proxy_relation", css_class="col-md-4"), Div("behind_person", css_class="col-md-8"), css_class="row"),
                Div(Div("behind_name", css_class="col-md-6"), Div("behind_position", css_class="col-md-6"), css_class="row"),
                Div(Div("letter_organization", css_class="col-md-6"), Div("letter_number", css_class="col-md-6"), css_class="row"),
                css_class="proxy-fields",
            ),
            Fieldset(_("过问内容与处置"), "content", "categories", Div(Div("nature", css_class="col-md-6"), Div("response", css_class="col-md-6"), css_class="row"), "response_note"),
            Fieldset(_("证据材料"), *(["staged"] if self.show_staged else []), *slots, "missing_evidence_reason"),
        )
        return helper

    def clean_occurred_at(self):
        return check_occurred_at(self.cleaned_data["occurred_at"])

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        # The same completeness rule as submission (case or matter, R-PROXY, organisation letters);
        # a field Django already refused keeps its own message.
        for name, message in incomplete_fields(data).items():
            if name not in self.errors and name in self.fields:
                self.add_error(name, message)
        if self.intent == "submit" and channel:
            kinds = [e.kind for e in data.get("staged") or []]
            if self.instance.pk:
                kinds += list(self.instance.evidence.values_list("kind", flat=True))
            # New files were staged by the view before this pass, so they are in `staged` with the kind
            # sniffed from their content.
            message = missing_evidence(channel, kinds, data.get("missing_evidence_reason") or "")
            if message:
                self.add_error("missing_evidence_reason", message)
        return data

    def uploads(self) -> list[tuple[str, object, str]]:
        """(field name, file, kind) for every evidence slot whose file passed validation."""
        result = []
        for i in range(1, EVIDENCE_SLOTS + 1):
            upload = self.cleaned_data.get(f"file_{i}") if hasattr(self, "cleaned_data") else None
            if upload and f"file_{i}" not in self.errors:
                result.append((f"file_{i}", upload, self.cleaned_data.get(f"kind_{i}") or AUTO_KIND))
        return result


class SubmitForm(forms.Form):
    also_report_higher = forms.BooleanField(
        label=_("同时报上一级纪检监察机构"),
        required=False,
        help_text=_("必要时，可同时向驻局纪检组或上一级纪委监委报告（十堰000第九条）。"),
    )
    late_reason = forms.CharField(
        label=_("逾期说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("已超过三个工作日报送期限的，必须说明逾期原因。"),
    )


class AmendmentForm(forms.Form):
    text = forms.CharField(label=_("补充内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    reason = forms.CharField(label=_("补充原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class RecordFilterForm(forms.Form):
    STATE_CHOICES = [
        ("", _("全部")),
        ("open", _("未报送")),
        ("due_today", _("今日到期")),
        ("overdue", _("已逾期未报送")),
        ("submitted", _("已报送")),
        ("late", _("逾期报送")),
    ]
    state = forms.ChoiceField(label=_("期限状态"), choices=STATE_CHOICES, required=False, widget=forms.Select(attrs={"class": "form-select"}))
    channel = forms.ChoiceField(
        label=_("过问方式"),
        choices=[("", _("全部"))] + list(InterferenceRecord.Channel.choices),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=50, widget=forms.TextInput(attrs={"placeholder": _("编号、过问人或事项"), "class": "form-control"})
    )
    date_from = BoundedDateField(label=_("过问日期自"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    date_to = BoundedDateField(label=_("过问日期至"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
