"""Forms of fault accountability, error tolerance and petitions. Every catalogue item of the documents
is offered with its article (002 第五至八条, 004 第十五至十八条); the services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.fields import PersonRoleChoiceField
from discipline.faults import rules
from discipline.faults.models import FaultCase, FaultParticipant, Petition
from records.record.forms import EVIDENCE_INPUTS, EvidenceFileField

DATE = forms.DateInput(attrs={"type": "date"})
CHECKS = forms.CheckboxSelectMultiple


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DATE)


def _text(label, required=True, rows=3):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


TOL_GROUNDS = [(k, f"第十五条第{k[3:]}项：{v}") for k, v in rules.DUTY_FULFILLED.items()] + [
    (k, f"第十六条第{k[3:]}项：{v}") for k, v in rules.TOLERANCE_GROUNDS.items()
]
TOL_MITIGATIONS = [(k, f"第十七条第{k[3:]}项：{v}") for k, v in rules.MITIGATION.items()]


class FaultCaseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("执法单位（科室）"), queryset=None)
    case = forms.ModelChoiceField(label=_("涉及执法案件"), queryset=None, required=False)
    act = _text(_("过错行政执法行为"))
    occurred_on = _date(_("过错发生日期"))
    fault_types = forms.MultipleChoiceField(label=_("过错情形（第五条）"), choices=list(rules.FAULT_TYPES.items()), widget=CHECKS)
    error_field = forms.CharField(label=_("执法领域"), required=False, max_length=100)
    handler = PersonRoleChoiceField(label=_("承办人员"), queryset=None, required=False)
    section_head = PersonRoleChoiceField(label=_("承办科室或单位负责人"), queryset=None, required=False)
    approver = PersonRoleChoiceField(label=_("审批人/审核人"), queryset=None, required=False)
    superior = PersonRoleChoiceField(label=_("上级领导"), queryset=None, required=False)
    misreported = forms.BooleanField(label=FaultCase._meta.get_field("misreported").verbose_name, required=False)
    approval_required = forms.BooleanField(label=FaultCase._meta.get_field("approval_required").verbose_name, required=False)
    approved = forms.BooleanField(label=FaultCase._meta.get_field("approved").verbose_name, required=False)
    head_consented = forms.BooleanField(label=FaultCase._meta.get_field("head_consented").verbose_name, required=False)
    changed_by_superior = forms.BooleanField(label=FaultCase._meta.get_field("changed_by_superior").verbose_name, required=False)
    no_liability = forms.MultipleChoiceField(
        label=_("不承担责任情形（第六条）"), choices=list(rules.NO_LIABILITY.items()), widget=CHECKS, required=False
    )
    lighter = forms.MultipleChoiceField(
        label=_("从轻或免予追究情形（第七条）"), choices=list(rules.LIGHTER.items()), widget=CHECKS, required=False
    )
    heavier = forms.MultipleChoiceField(label=_("从重追究情形（第八条）"), choices=list(rules.HEAVIER.items()), widget=CHECKS, required=False)
    facts = _text(_("认定事实"), required=False)

    def __init__(self, *args, units, people, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["case"].queryset = cases
        for role in rules.ROLES:
            self.fields[role].queryset = people

    def participants(self):
        return [(self.cleaned_data[r], r) for r in rules.ROLES if self.cleaned_data.get(r)]


class ShareForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    share = forms.ChoiceField(label=_("认定责任"), choices=FaultParticipant._meta.get_field("confirmed_share").choices)
    reason = forms.CharField(label=_("未采纳建议的理由"), required=False)


class DecideForm(forms.Form):
    decision = _text(_("处理决定（第十条）"))
    decided_on = _date(_("决定日期"))


class ServeForm(forms.Form):
    served_on = _date(_("书面通知日期"))


class ReceiveForm(forms.Form):
    received_on = _date(_("本人接到通知日期"))


class ReviewRequestForm(forms.Form):
    requested_on = _date(_("复核申请日期"))
    reason = _text(_("复核申请理由"))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=FaultCase.Outcome.choices)
    text = _text(_("处理意见"))
    decided_on = _date(_("决定日期"))


class AppealForm(forms.Form):
    filed_on = _date(_("申诉日期"))
    appeal_to = forms.CharField(label=_("申诉受理部门"), max_length=100)
    text = _text(_("申诉理由"))


class ToleranceForm(forms.Form):
    person = PersonRoleChoiceField(label=_("执法人员"), queryset=None)
    fault_case = forms.ModelChoiceField(label=_("相关过错案件"), queryset=None, required=False)
    error = _text(_("执法错误（过错）情况"))
    occurred_on = _date(_("发生日期"))
    error_kind = forms.ChoiceField(label=_("错误类别"), choices=list(rules.FAULT_TYPES.items()))
    error_field = forms.CharField(label=_("执法领域"), required=False, max_length=100)
    grounds = forms.MultipleChoiceField(label=_("容错情形（第十五条、第十六条）"), choices=TOL_GROUNDS, widget=CHECKS)
    mitigations = forms.MultipleChoiceField(label=_("从轻减轻情形（第十七条）"), choices=TOL_MITIGATIONS, widget=CHECKS, required=False)
    abused_or_failed_duty_causing_harm = forms.BooleanField(
        label=_("滥用法定职权或不履行法定职责，致使公民、法人和其他组织的合法权益受到损害，造成不良后果（第十九条）"),
        help_text=_("有此情形的，不论具有哪项容错情形，均不予容错（第十九条）。"),
        required=False,
    )
    minor_and_low_harm = forms.BooleanField(label=_("情节轻微、危害较小（第十八条）"), required=False)
    # The record form's file input (size checked before anything is stored; the service checks the type
    # from the bytes), with its "choose a file" hints.
    evidence = EvidenceFileField(label=_("证明材料"), required=False, widget=forms.ClearableFileInput(attrs=EVIDENCE_INPUTS[-1][1]))
    evidence_text = _text(_("证明材料说明"), required=False)

    def __init__(self, *args, people=None, fault_cases=None, own=False, **kwargs):
        super().__init__(*args, **kwargs)
        if own:
            del self.fields["person"]
            del self.fields["fault_case"]
        else:
            self.fields["person"].queryset = people
            self.fields["fault_case"].queryset = fault_cases


class ToleranceDecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("认定结论"), choices=[("1", _("予以容错")), ("0", _("不予容错"))], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    decision = _text(_("党组认定意见"))
    decided_on = _date(_("认定日期"))
    measures = forms.MultipleChoiceField(
        label=_("处理方式（第十八条）"), choices=list(rules.LIGHT_MEASURES.items()), widget=CHECKS, required=False
    )


class NotifyForm(forms.Form):
    notified_on = _date(_("告知日期"))
    publicity_scope = forms.CharField(label=_("公开范围"), max_length=200)


class CorrectionForm(forms.Form):
    reason = _text(_("纠错事由"))
    requirement = _text(_("纠错要求"))
    deadline = _date(_("整改期限"))
    responsible = PersonRoleChoiceField(label=_("纠错责任人"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people


class ExtensionRequestForm(forms.Form):
    reason = _text(_("延期理由"))
    until = _date(_("申请延至"))


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"), choices=[("1", _("同意延期")), ("0", _("不同意延期"))], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    decision = _text(_("审批意见"))


class FollowUpForm(forms.Form):
    on = _date(_("跟踪日期"))
    note = _text(_("整改情况"))


class CompleteForm(forms.Form):
    completed_on = _date(_("完成日期"))
    note = _text(_("整改完成情况"))


class PetitionForm(forms.Form):
    subject = PersonRoleChoiceField(label=_("被反映人"), queryset=None)
    real_name = forms.BooleanField(label=_("实名举报"), required=False)
    petitioner_name = forms.CharField(label=_("举报人姓名"), required=False, max_length=50)
    petitioner_contact = forms.CharField(label=_("举报人联系方式"), required=False, max_length=100)
    received_on = _date(_("收到日期"))
    allegation = _text(_("反映问题"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = people


class FindingForm(forms.Form):
    finding = forms.ChoiceField(label=_("查处结论"), choices=[c for c in Petition.Finding.choices if c[0]])
    text = _text(_("调查情况"))
    found_on = _date(_("结论日期"))
    malicious = forms.BooleanField(label=Petition._meta.get_field("malicious").verbose_name, required=False)
    tolerance = forms.ModelChoiceField(label=_("容错免责决定"), queryset=None, required=False)

    def __init__(self, *args, tolerances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tolerance"].queryset = tolerances


class AnswerForm(forms.Form):
    on = _date(_("日期"))
    content = _text(_("反馈或说明内容"))
    scope = forms.CharField(label=_("说明范围（匿名举报）"), required=False, max_length=200)


class ClearForm(forms.Form):
    cleared_on = _date(_("澄清正名日期"))
    how = forms.CharField(label=_("澄清方式"), max_length=200)
    where = forms.CharField(label=_("澄清范围"), max_length=200)
    text = _text(_("澄清内容"), required=False)
