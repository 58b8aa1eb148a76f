"""Forms of the accountability pages: input validation only, in Chinese; state changes are in
``discipline.accountability``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.fields import PersonRoleChoiceField
from cases.models import Case, Person
from discipline.accountability.models import PersonnelAction, RecordingFailure, RetaliationAlert, RetaliationComplaint
from discipline.common.forms import date_field
from discipline.review import rules as review_rules
from records.models import InterferenceRecord

REQUIRED = {"required": _("请填写此项。")}
CHOICE = {"required": _("请选择此项。"), "invalid_choice": _("请选择有效的选项。")}


def person_field(label, required=True):
    return PersonRoleChoiceField(
        label=label, queryset=Person.objects.none(), required=required,
        error_messages={"required": _("请选择人员。"), "invalid_choice": _("请选择有效的人员。")},
    )  # fmt: skip


class FailureForm(forms.Form):
    officer = person_field(_("执法人员"))
    kind = forms.ChoiceField(label=_("情形"), choices=RecordingFailure.Kind.choices, widget=forms.RadioSelect, error_messages=CHOICE)
    interferer_kind = forms.ChoiceField(
        label=_("未记录或未如实记录的是哪类人员的干预过问"),
        choices=InterferenceRecord.InterfererKind.choices,
        error_messages=CHOICE,
        help_text=_("适用制度由执法人员所在单位的制度决定；广元001单位中，领导干部干预适用领导干部制度第十条，内部人员过问适用内部人员制度第十条。"),
    )
    regime = forms.ChoiceField(
        label=_("适用制度"), choices=[("", _("按执法人员所在单位的适用制度自动确定")), *RecordingFailure.Regime.choices], required=False, error_messages=CHOICE
    )
    source = forms.ChoiceField(label=_("发现途径"), choices=RecordingFailure.Source.choices, error_messages=CHOICE)
    source_detail = forms.CharField(label=_("发现经过"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, error_messages=REQUIRED)
    case = forms.ModelChoiceField(
        label=_("涉及案件"), queryset=Case.objects.none(), required=False, error_messages={"invalid_choice": _("请选择有效的案件。")}
    )
    matter = forms.CharField(label=_("涉及事项（无案件时填写）"), required=False, max_length=200)
    record = forms.ModelChoiceField(
        label=_("不如实的记录（不如实记录时选择）"),
        queryset=InterferenceRecord.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择有效的记录。")},
    )
    facts = forms.CharField(label=_("认定事实"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, error_messages=REQUIRED)
    confirmed_on = date_field(_("认定日期"), required=True)
    instigated = forms.BooleanField(label=_("系主管领导授意"), required=False)
    supervisor = person_field(_("授意的主管领导"), required=False)

    def __init__(self, *args, people=None, cases=None, records=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = people if people is not None else Person.objects.none()
        self.fields["supervisor"].queryset = people if people is not None else Person.objects.none()
        self.fields["case"].queryset = cases if cases is not None else Case.objects.none()
        self.fields["record"].queryset = records if records is not None else InterferenceRecord.objects.none()


class FailureDecisionForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("处理对象"), choices=[("officer", _("执法人员")), ("supervisor", _("授意的主管领导"))], error_messages=CHOICE
    )
    kind = forms.ChoiceField(label=_("处理处分种类"), choices=(), error_messages=CHOICE)
    legal_basis = forms.CharField(label=_("依据"), required=False, max_length=300, help_text=_("留空则采用系统建议的依据。"))
    decided_on = date_field(_("决定日期"), required=True)
    notified_on = date_field(_("送达日期"))
    deviation_reason = forms.CharField(
        label=_("未采纳建议的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
        help_text=_("所选种类不在系统建议之内时必须填写。"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grouped = {}
        for code, (group, label, _basis) in review_rules.SANCTION_TYPES.items():
            grouped.setdefault(review_rules.SANCTION_GROUPS[group], []).append((code, label))
        self.fields["kind"].choices = [("", "---------"), *grouped.items()]


class PersonnelActionForm(forms.Form):
    person = person_field(_("人员"))
    kind = forms.ChoiceField(label=_("人事处理"), choices=PersonnelAction.Kind.choices, error_messages=CHOICE)
    description = forms.CharField(label=_("处理内容"), required=False, max_length=200, help_text=_("选择“其他不利处理”时写明具体处理，如停止执行职务、取消资格等。"))
    effective_on = date_field(_("决定日期"), required=True)
    document_number = forms.CharField(label=_("决定文号"), required=False, max_length=100)
    legal_ground = forms.CharField(
        label=_("法定事由及依据"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, error_messages=REQUIRED,
        help_text=_("非因法定事由，非经法定程序，不得将如实记录干预情况的人员免职、调离、辞退或者作出降级、撤职、开除等处分（十堰000第七条）。"),
    )  # fmt: skip
    procedure = forms.CharField(label=_("履行的法定程序"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, error_messages=REQUIRED)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("kind") == PersonnelAction.Kind.OTHER and not (data.get("description") or "").strip():
            self.add_error("description", _("“其他不利处理”请写明具体处理内容。"))
        return data


class AlertReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("审查结论"), choices=RetaliationAlert.Conclusion.choices, widget=forms.RadioSelect, error_messages=CHOICE)
    findings = forms.CharField(label=_("审查情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, error_messages=REQUIRED)


class ComplaintForm(forms.Form):
    respondent = person_field(_("被控告人（从人员库选择）"), required=False)
    respondent_name = forms.CharField(label=_("被控告人姓名（人员库中没有时填写）"), required=False, max_length=50)
    respondent_position = forms.CharField(label=_("被控告人职务"), required=False, max_length=100)
    occurred_on = date_field(_("打击报复发生日期"), required=True)
    description = forms.CharField(label=_("打击报复情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, error_messages=REQUIRED)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["respondent"].queryset = people if people is not None else Person.objects.none()

    def clean(self):
        data = super().clean()
        if not data.get("respondent") and not (data.get("respondent_name") or "").strip():
            self.add_error("respondent_name", _("请选择或填写被控告人。"))
        return data


class ComplaintConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("办理结论"), choices=RetaliationComplaint.Conclusion.choices, widget=forms.RadioSelect, error_messages=CHOICE)
    findings = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, error_messages=REQUIRED)
