from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .account_forms import AccountCreateForm, RolesForm
from .accounts import (
    AccountChangeRefused,
    account_change_refused,
    account_create,
    account_delete,
    account_password_set,
    account_save,
    account_unlock,
    may_grant_roles,
    may_manage_accounts,
    superuser_editable,
    user_roles_set,
)
from .models import AuditEvent, Case, Person, Unit
from .roles import DISCIPLINE_GROUP_PREFIX, Role, group_label
from .second_factor import totp_device_delete

# The admin speaks the product's name (shown in its header, the browser tab and the index).
admin.site.site_header = _("干预过问记录系统 · 系统管理")
admin.site.site_title = _("干预过问记录系统")
admin.site.index_title = _("系统管理")


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


# Fields of the account form that grant access; changed only on the roles page, through the service.
GRANT_FIELDS = ("groups", "user_permissions", "is_superuser")

admin.site.unregister(get_user_model())
# Role groups are fixed (migration) and body groups made by the roles service; editing a group's
# permissions here would be an unaudited grant, so groups are only listed, by their Chinese names.
admin.site.unregister(Group)


def _body_names() -> dict[str, str]:
    return dict(Unit.objects.values_list("code", "name"))


def _group_order(name: str) -> tuple[int, str]:
    return (Role.values.index(name), "") if name in Role.values else (len(Role.values), name)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The role groups and discipline-body staff groups, by the names people know them by; members
    are granted on each account's 角色与权限 page."""

    list_display = ["label", "name", "member_count"]
    fields = ["label", "name", "member_count"]
    readonly_fields = fields

    def get_queryset(self, request):
        self._body_names = _body_names()
        return super().get_queryset(request).annotate(members=Count("user"))

    @admin.display(description=_("角色"))
    def label(self, group) -> str:
        return group_label(group.name, getattr(self, "_body_names", None) or _body_names())

    @admin.display(description=_("成员数"), ordering="members")
    def member_count(self, group) -> int:
        return group.members


class RoleListFilter(admin.SimpleListFilter):
    """The accounts list filtered by role or discipline body, each by its Chinese name (the default
    filter on `groups` showed the groups' technical names)."""

    title = _("角色")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        names = sorted(Group.objects.values_list("name", flat=True), key=_group_order)
        body_names = _body_names()
        return [(name, group_label(name, body_names)) for name in names]

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


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
    # Staff (the admin site) follows the administrators' roles (cases.accounts.user_roles_set).
    readonly_fields = ["is_staff", "role_summary", "last_login", "date_joined"]
    list_display = ["username", "first_name", "email", "is_active", "role_summary"]
    list_filter = ["is_active", "is_staff", RoleListFilter]
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
        names = sorted((group.name for group in user.groups.all()), key=_group_order)
        labels = [group_label(name) for name in names if not name.startswith(DISCIPLINE_GROUP_PREFIX)]
        bodies = [name[len(DISCIPLINE_GROUP_PREFIX) :] for name in names if name.startswith(DISCIPLINE_GROUP_PREFIX)]
        text = "、".join(labels) or "—"
        if bodies:
            text += gettext("（纪检监察机构：%s）") % "、".join(bodies)
        if user.is_superuser:
            text += gettext("（超级用户）")
        return text

    def get_urls(self):
        return [
            path("<int:user_id>/roles/", self.admin_site.admin_view(self.roles_view), name="auth_user_roles"),
            path("create-with-person/", self.admin_site.admin_view(self.create_with_person_view), name="auth_user_create_with_person"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "create_with_person_url": reverse("admin:auth_user_create_with_person")}
        return super().changelist_view(request, extra_context)

    def create_with_person_view(self, request):
        """One page for a new user: account, person record, unit and roles, saved together through
        cases.accounts.account_create (audited, one transaction). Only account administrators open it."""
        if not (self.has_add_permission(request) and may_manage_accounts(request.user)):
            raise Http404
        form = AccountCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            person = Person(
                name=data["name"], position=data["position"], level=data["level"], unit=data["unit"], is_leading_cadre=data["is_leading_cadre"]
            )
            try:
                user = account_create(
                    username=data["username"], email=data["email"], password=data["password1"] or None, person=person,
                    group_names=form.group_names(), actor=request.user,
                )  # fmt: skip
            except AccountChangeRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, gettext("已创建用户 %(username)s（%(name)s）。") % {"username": user.get_username(), "name": person.name})
                return redirect("admin:auth_user_change", user.pk)
        context = {**self.admin_site.each_context(request), "title": gettext("新建用户（人员、单位、角色）"), "form": form, "opts": self.opts}
        return TemplateResponse(request, "admin/auth/user/create_with_person.html", context)

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
        roles_url = reverse("admin:auth_user_roles", args=[object_id]) if object_id and may_grant_roles(request.user) else ""
        extra_context = {**(extra_context or {}), "roles_url": roles_url}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def roles_view(self, request, user_id: int):
        # 三员分立: the 安全保密管理员 grants (cases.accounts.may_grant_roles), not whoever edits accounts.
        if not may_grant_roles(request.user):
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


# Backup codes (issue 23) are made by their holder on the second-factor pages and removed by the
# security administrator's reset (cases.second_factor.second_factor_reset): no admin writes them.
admin.site.unregister(StaticDevice)
