from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .accounts import (
    AccountChangeRefused,
    account_change_refused,
    account_delete,
    account_password_set,
    account_save,
    account_unlock,
    superuser_editable,
    user_roles_set,
)
from .models import AuditEvent, Case, Person, Unit
from .roles import DISCIPLINE_GROUP_PREFIX, Role, discipline_group_name
from .second_factor import totp_device_delete


class DeleteOnlyAdminMixin:
    """Objects that are only ever viewed or deleted here (their owner or a process makes them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin(DeleteOnlyAdminMixin):
    """Objects that are only ever viewed here."""

    def has_delete_permission(self, request, obj=None):
        return False


def _collect(objs) -> NestedObjects:
    collector = NestedObjects(using="default")
    collector.collect(objs)
    return collector


def _protected_references(obj) -> bool:
    """Whether rows of other models (records among them) refer to `obj` and forbid its deletion."""
    return bool(_collect([obj]).protected)


class CountsOnlyDeleteMixin:
    """The delete confirmation lists what would go by model and count only, never the objects
    themselves: a case, person or unit is referenced by interference records, and their serials and
    interferers are content that administrators do not read (DESIGN §1)."""

    def get_deleted_objects(self, objs, request):
        collector = _collect(objs)
        counts = {model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()}
        protected: dict[str, int] = {}
        for obj in collector.protected:
            name = str(obj._meta.verbose_name_plural)
            protected[name] = protected.get(name, 0) + 1
        deleted = [f"{name}：{count}" for name, count in counts.items()]
        blocking = [gettext("%(name)s：%(count)d 项引用了该对象") % {"name": name, "count": count} for name, count in protected.items()]
        perms_needed = set()
        for model in collector.model_objs:
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
                perms_needed.add(opts.verbose_name)
        return deleted, counts, perms_needed, blocking


class AuditedAdmin(CountsOnlyDeleteMixin, admin.ModelAdmin):
    """A model admin whose saves and deletes go through the model's services (one audit event each):
    subclasses name them. Bulk deletion goes through the same service, row by row."""

    def save_with_service(self, request, obj, form, change):  # pragma: no cover - each subclass names its service
        raise NotImplementedError

    def delete_with_service(self, request, obj):  # pragma: no cover
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.save_with_service(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are set by the service with the rest of the object; inlines are none.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.delete_with_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_with_service(request, obj)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "discipline_body", "governing_document"]
    list_filter = ["kind", "governing_document"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "discipline_body"]
    list_select_related = ["parent", "discipline_body"]

    def save_with_service(self, request, obj, form, change):
        services.unit_save(unit=obj, changed=list(form.changed_data), actor=request.user)

    def delete_with_service(self, request, obj):
        services.unit_delete(unit=obj, actor=request.user)


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["name", "position", "level", "unit", "is_leading_cadre", "user"]
    list_filter = ["is_leading_cadre", "level"]
    search_fields = ["name", "position"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["unit", "user"]

    def save_with_service(self, request, obj, form, change):
        services.person_save(person=obj, changed=list(form.changed_data), actor=request.user)

    def delete_with_service(self, request, obj):
        services.person_delete(person=obj, actor=request.user)


@admin.register(Case)
class CaseAdmin(AuditedAdmin):
    """A case that has interference records is closed (结案, closed_on), never deleted: the records
    keep pointing at it."""

    list_display = ["number", "title", "unit", "stage", "opened_on", "closed_on"]
    list_filter = ["stage"]
    search_fields = ["number", "title", "party"]
    autocomplete_fields = ["unit", "handling_officers"]
    list_select_related = ["unit"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _protected_references(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would list the records of the cases it cannot delete.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_with_service(self, request, obj, form, change):
        services.case_save(
            case=obj, changed=list(form.changed_data), handling_officers=form.cleaned_data.get("handling_officers"), actor=request.user
        )

    def delete_with_service(self, request, obj):
        services.case_delete(case=obj, actor=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: audit events are never edited or deleted. Only the event type and object are listed;
    `data` may hold record fields, which administrators do not read."""

    list_display = ["occurred_at", "type", "actor", "object_type", "object_id"]
    list_filter = ["type"]
    fields = ["occurred_at", "type", "actor", "object_type", "object_id"]
    readonly_fields = fields


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple)
    bodies = forms.ModelMultipleChoiceField(
        label=_("所属纪检监察机构"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("纪检监察人员须同时具有“纪检监察”角色，才能接收和查看该机构受理的记录。"),
    )
    is_superuser = forms.BooleanField(label=_("超级用户"), required=False)

    def __init__(self, *args, allow_superuser: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = Unit.objects.filter(Q(kind=Unit.Kind.DISCIPLINE) | Q(supervised_units__isnull=False)).distinct().order_by("code")
        if not allow_superuser:
            del self.fields["is_superuser"]

    def group_names(self) -> set[str]:
        return set(self.cleaned_data["roles"]) | {discipline_group_name(body.code) for body in self.cleaned_data["bodies"]}


# Fields of the account form that grant access; changed only on the roles page, through the service.
GRANT_FIELDS = ("groups", "user_permissions", "is_superuser")

admin.site.unregister(get_user_model())
# Role groups are fixed (migration) and body groups made by the roles service; editing a group's
# permissions here would be an unaudited grant.
admin.site.unregister(Group)


@admin.register(get_user_model())
class AccountAdmin(AuditedAdmin, UserAdmin):
    """Accounts without their grants: roles, discipline-body memberships and the superuser flag are
    changed on the account's roles page (角色与权限) through cases.accounts, never by the account
    holder, each change audited and told to the discipline body's staff."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "role_summary")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["role_summary", "last_login", "date_joined"]
    list_display = ["username", "first_name", "email", "is_active", "role_summary"]
    list_filter = ["is_active", "is_staff", "groups"]
    filter_horizontal = []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def save_with_service(self, request, obj, form, change):
        account_save(user=obj, changed=list(form.changed_data), actor=request.user)

    def delete_with_service(self, request, obj):
        account_delete(user=obj, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        # Django's view saves the form itself; the password goes through the service instead.
        user = self.get_object(request, id)
        if request.method == "POST" and user is not None and self.has_change_permission(request, user):
            form = self.change_password_form(user, request.POST)
            if form.is_valid():
                usable = form.cleaned_data.get("set_usable_password", True)
                account_password_set(user=user, password=form.cleaned_data["password1"] if usable else None, actor=request.user)
                update_session_auth_hash(request, user)
                messages.success(request, gettext("密码已修改。"))
                return redirect("admin:auth_user_change", user.pk)
        return super().user_change_password(request, id, form_url)

    @admin.display(description=_("角色与权限"))
    def role_summary(self, user) -> str:
        labels = dict(Role.choices)
        names = [str(labels.get(group.name, group.name)) for group in user.groups.all() if not group.name.startswith(DISCIPLINE_GROUP_PREFIX)]
        bodies = [group.name[len(DISCIPLINE_GROUP_PREFIX) :] for group in user.groups.all() if group.name.startswith(DISCIPLINE_GROUP_PREFIX)]
        text = "、".join(names) or "—"
        if bodies:
            text += gettext("（纪检监察机构：%s）") % "、".join(bodies)
        if user.is_superuser:
            text += gettext("（超级用户）")
        return text

    def get_urls(self):
        return [path("<int:user_id>/roles/", self.admin_site.admin_view(self.roles_view), name="auth_user_roles"), *super().get_urls()]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        attempted = sorted(name for name in GRANT_FIELDS if name in request.POST)
        if request.method == "POST" and object_id and attempted:
            user = self.get_object(request, object_id)
            if user is None:
                raise Http404
            try:
                account_change_refused(user=user, attempted={name: request.POST.getlist(name) for name in attempted}, actor=request.user)
            except AccountChangeRefused as refusal:
                messages.error(request, refusal.message)
            return redirect(request.path)
        extra_context = {**(extra_context or {}), "roles_url": reverse("admin:auth_user_roles", args=[object_id]) if object_id else ""}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def roles_view(self, request, user_id: int):
        if not self.has_change_permission(request):
            raise Http404
        user = get_object_or_404(get_user_model(), pk=user_id)
        current = set(user.groups.values_list("name", flat=True))
        initial = {
            "roles": sorted(current & set(Role.values)),
            "bodies": Unit.objects.filter(code__in=[name[len(DISCIPLINE_GROUP_PREFIX) :] for name in current if name.startswith(DISCIPLINE_GROUP_PREFIX)]),
            "is_superuser": user.is_superuser,
        }
        form = RolesForm(request.POST or None, initial=initial, allow_superuser=superuser_editable())
        if request.method == "POST" and form.is_valid():
            try:
                user_roles_set(user=user, group_names=form.group_names(), is_superuser=form.cleaned_data.get("is_superuser"), actor=request.user)
            except AccountChangeRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, gettext("已更新 %s 的角色与权限。") % user.get_username())
                return redirect("admin:auth_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("角色与权限：%s") % user.get_username(),
            "form": form,
            "account": user,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/auth/user/roles.html", context)


# The second factor: devices are created and confirmed by their owner on the second-factor page; an
# administrator only sees them and deletes a lost one (the owner then sets up a new one).
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorDeviceAdmin(DeleteOnlyAdminMixin, TOTPDeviceAdmin):
    def delete_model(self, request, obj):
        totp_device_delete(device=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset:
            totp_device_delete(device=device, actor=request.user)


# Sign-in lockout (django-axes): the logs are read-only; deleting a lockout (unlocking an account) is
# audited through the accounts service.
for model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(AccessLog)
class SignInLogAdmin(ReadOnlyAdminMixin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class SignInFailureLogAdmin(ReadOnlyAdminMixin, AccessFailureLogAdmin):
    pass


@admin.register(AccessAttempt)
class LockoutAdmin(DeleteOnlyAdminMixin, AccessAttemptAdmin):
    def delete_model(self, request, obj):
        account_unlock(attempts=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        account_unlock(attempts=list(queryset), actor=request.user)
