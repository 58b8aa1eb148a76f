"""The administrator's account forms: the roles of an existing account, and a new account created
together with its person record, unit and roles (the admin's 新建用户（人员、单位、角色）page)."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Person, Unit
from .roles import Role, discipline_group_name


def _discipline_bodies():
    return Unit.objects.filter(Q(kind=Unit.Kind.DISCIPLINE) | Q(supervised_units__isnull=False)).distinct().order_by("code")


class RoleChoiceMixin(forms.Form):
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple)
    bodies = forms.ModelMultipleChoiceField(
        label=_("所属纪检监察机构"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("纪检监察人员须同时具有“纪检监察”角色，才能接收和查看该机构受理的记录。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = _discipline_bodies()

    def group_names(self) -> set[str]:
        return set(self.cleaned_data["roles"]) | {discipline_group_name(body.code) for body in self.cleaned_data["bodies"]}


class RolesForm(RoleChoiceMixin):
    is_superuser = forms.BooleanField(label=_("超级用户"), required=False)

    def __init__(self, *args, allow_superuser: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_superuser:
            del self.fields["is_superuser"]


class AccountCreateForm(RoleChoiceMixin):
    """Everything a new user needs on one page; each error is shown next to its field, in Chinese."""

    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录时使用，如 zhangwei。"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.CharField(label=_("职务"), max_length=100, required=False)
    level = forms.ChoiceField(label=_("职级"), choices=Person.Level.choices, initial=Person.Level.OTHER)
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=Unit.objects.order_by("code"), empty_label=_("请选择单位"))
    is_leading_cadre = forms.BooleanField(label=_("领导干部"), required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password1 = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("留空则只能通过统一身份认证登录。"),
    )
    password2 = forms.CharField(label=_("再次输入密码"), required=False, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    field_order = ["username", "name", "position", "level", "unit", "is_leading_cadre", "email", "roles", "bodies", "password1", "password2"]

    def clean_username(self):
        username = get_user_model().normalize_username(self.cleaned_data["username"].strip())
        if not username:
            raise forms.ValidationError(_("请填写用户名。"))
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("用户名“%(name)s”已被使用。") % {"name": username})
        return username

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if not roles:
            raise forms.ValidationError(_("请至少选择一个角色。"))
        return roles

    def clean(self):
        data = super().clean()
        first, second = data.get("password1") or "", data.get("password2") or ""
        if first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            probe = get_user_model()(username=data.get("username") or "", email=data.get("email") or "", first_name=data.get("name") or "")
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if data.get("bodies") and Role.DISCIPLINE.value not in (data.get("roles") or []):
            self.add_error("bodies", _("选择纪检监察机构时须同时选择“纪检监察”角色。"))
        return data
