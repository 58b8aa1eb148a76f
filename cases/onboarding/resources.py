"""What a bulk import reads and a template or export writes (issue 21), on django-import-export: one
resource per table, columns headed in Chinese, rows matched by their natural key (unit code, person
number, case number) so that importing the same file again changes nothing.

Choice columns take the Chinese label or the stored value (局机关 or bureau); references are by code
or number; an error names the column as the file heads it (``services.row_problems``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from cases.models import Case, Person, Unit
from cases.roles import DISCIPLINE_GROUP_PREFIX, Role

EXPORT_CHUNK_ROWS = 2000


def split_names(value) -> list[str]:
    """A cell listing several names, separated by ; or the full-width ；, as a list without blanks."""
    return [name.strip() for name in str(value or "").replace("；", ";").split(";") if name.strip()]


class ChoiceWidget(widgets.CharWidget):
    """A choice column: the label the office writes (局机关) or the stored value (bureau) in, the label out."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.labels = {str(label): value for value, label in choices}
        self.values = {value: str(label) for value, label in choices}

    def clean(self, value, row=None, **kwargs):
        text = (super().clean(value, row, **kwargs) or "").strip()
        if not text:
            return ""
        if text in self.values:
            return text
        if text in self.labels:
            return self.labels[text]
        raise ValueError(_("“%(v)s”不是可选值，应为：%(c)s") % {"v": text, "c": "、".join(self.labels)})

    def render(self, value, obj=None, **kwargs):
        return self.values.get(value, value or "")


class YesNoWidget(widgets.BooleanWidget):
    """是/否 (also 1/0, true/false) in, 是/否 out."""

    TRUE = {"是", "1", "true", "True", "TRUE", "y", "Y"}
    FALSE = {"否", "0", "false", "False", "FALSE", "n", "N", ""}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("应填“是”或“否”"))

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class ReferenceWidget(widgets.ForeignKeyWidget):
    """A reference by natural key (unit code, user name) whose miss says, in Chinese, what was looked
    for. The table referred to is read once per import, since a province's file names the same few
    thousand units tens of thousands of times; a key it lacks (a unit created earlier in the same
    file, a code typed as a number) is looked up in the database, and kept when found. The resource
    copies its widgets for each import, so nothing is kept from one import to the next."""

    def __init__(self, model, field, what: str, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.what = what
        self._known: dict[str, object] | None = None

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        if self._known is None:
            self._known = {str(getattr(instance, self.field)): instance for instance in self.get_queryset(value, row, **kwargs)}
        found = self._known.get(str(value))
        if found is None:
            found = self._known[str(value)] = super().get_instance_by_lookup_fields(value, row, **kwargs)
        return found

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(_("找不到%(what)s“%(v)s”") % {"what": str(self.what), "v": value}) from None


class AccountsWidget(widgets.ManyToManyWidget):
    """承办人员账号: user names separated by ；or ;, each of which must exist; the accounts are read once
    per import (a province has tens of thousands of cases and a few thousand accounts)."""

    def __init__(self, **kwargs):
        super().__init__(get_user_model(), separator=";", field="username", **kwargs)
        self._accounts: dict[str, object] | None = None

    def clean(self, value, row=None, **kwargs):
        if self._accounts is None:
            self._accounts = {user.username: user for user in get_user_model().objects.all()}
        names = split_names(value)
        missing = sorted(name for name in set(names) if name not in self._accounts)
        if missing:
            raise ValueError(_("找不到账号：%(n)s") % {"n": "、".join(missing)})
        return [self._accounts[name] for name in dict.fromkeys(names)]

    def render(self, value, obj=None, **kwargs):
        return ";".join(sorted(user.username for user in value.all())) if value is not None else ""


def _column(attribute: str, header: str, widget=None, **kwargs) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=header, widget=widget or widgets.CharWidget(), **kwargs)


class NoDiff:
    """The import reports counts and problems, never a field-by-field diff (django-import-export's admin
    preview draws one): rendering every field of every row twice was two thirds of a province's import."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class OrgResource(resources.ModelResource):
    """Shared behaviour: unchanged rows are skipped and reported, each file is read in one pass with
    its instances loaded by one query, and the caller's transaction holds everything."""

    HEADERS: tuple[str, ...] = ()
    # Called after each row, for the import job's progress (services.org_import sets it).
    on_row: Callable[[], None] | None = None

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = CachedInstanceLoader
        use_transactions = False

    def get_diff_class(self):
        return NoDiff

    def iter_queryset(self, queryset):
        """The rows to export in chunks of 2,000, each chunk's prefetches in one query per relation
        (Django's iterator does this since 4.1). django-import-export pages a prefetching queryset with
        OFFSET instead, each page reading again every row before it: half a minute for a province's
        50,640 cases, in 1,015 queries."""
        if isinstance(queryset, QuerySet):
            yield from queryset.iterator(chunk_size=EXPORT_CHUNK_ROWS)
        else:
            yield from queryset

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.on_row is not None:
            self.on_row()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Uniqueness is the natural key's: rows are matched by it, and a key twice in one file is
        # refused before the import (services.duplicate_keys); the per-row query is not needed.
        super().validate_instance(instance, import_validation_errors, validate_unique=False)

    @classmethod
    def column_of(cls, attribute: str) -> str:
        """The Chinese header of a model attribute, for error messages."""
        for name, field in cls().fields.items():
            if attribute in (field.attribute, name):
                return field.column_name
        return attribute


class UnitResource(OrgResource):
    code = _column("code", "单位代码")
    name = _column("name", "单位名称")
    kind = _column("kind", "单位类型", ChoiceWidget(Unit.Kind.choices))
    parent = _column("parent", "上级单位代码", ReferenceWidget(Unit, "code", gettext_lazy("上级单位")))
    discipline_body = _column("discipline_body", "受理纪检监察机构代码", ReferenceWidget(Unit, "code", gettext_lazy("纪检监察机构")))
    party_organization = _column("party_organization", "所在党组织")
    governing_document = _column("governing_document", "适用制度", ChoiceWidget(Unit._meta.get_field("governing_document").choices))

    class Meta(OrgResource.Meta):
        model = Unit
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "parent", "discipline_body", "party_organization", "governing_document")

    def get_queryset(self):
        return Unit.objects.select_related("parent", "discipline_body")


class UnitTreeResource(UnitResource):
    """The first pass over the units file: the tree without the discipline bodies, which may point down
    it (a bureau's discipline group is usually its own child); ``UnitResource`` then sets them."""

    class Meta(UnitResource.Meta):
        exclude = ("discipline_body",)
        fields = ("code", "name", "kind", "parent", "party_organization", "governing_document")


class PersonResource(OrgResource):
    number = _column("number", "人员编号")
    name = _column("name", "姓名")
    position = _column("position", "职务")
    level = _column("level", "职级", ChoiceWidget(Person.Level.choices))
    is_leading_cadre = _column("is_leading_cadre", "领导干部", YesNoWidget())
    unit = _column("unit", "所在单位代码", ReferenceWidget(Unit, "code", gettext_lazy("单位")))
    user = _column("user", "系统账号", ReferenceWidget(get_user_model(), "username", gettext_lazy("账号")))

    class Meta(OrgResource.Meta):
        model = Person
        import_id_fields = ("number",)
        fields = ("number", "name", "position", "level", "is_leading_cadre", "unit", "user")

    def get_queryset(self):
        return Person.objects.select_related("unit", "user")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # People whose level or account changed, with the accounts before and after: derived figures count
        # records by level, and the account decides conflict of interest (cases.services.person_changed).
        self.changed: list[tuple[object, set]] = []

    def before_save_instance(self, instance, row, **kwargs):
        before = Person.objects.filter(pk=instance.pk).values_list("level", "user_id").first() if instance.pk else None
        if before is not None and before != (instance.level, instance.user_id):
            self.changed.append((instance, {before[1], instance.user_id} - {None}))

    def before_import_row(self, row, **kwargs):
        if not str(row.get("人员编号") or "").strip():
            raise ValidationError({"number": _("请填写人员编号（按人员编号更新已有人员）")})
        return super().before_import_row(row, **kwargs)


class CaseResource(OrgResource):
    number = _column("number", "案件编号")
    title = _column("title", "案件名称")
    unit = _column("unit", "承办单位代码", ReferenceWidget(Unit, "code", gettext_lazy("单位")))
    stage = _column("stage", "办理阶段", ChoiceWidget(Case.Stage.choices))
    handling_officers = _column("handling_officers", "承办人员账号", AccountsWidget())
    party = _column("party", "当事人")
    opened_on = _column("opened_on", "立案日期", widgets.DateWidget(format="%Y-%m-%d"))
    closed_on = _column("closed_on", "结案日期", widgets.DateWidget(format="%Y-%m-%d"))

    class Meta(OrgResource.Meta):
        model = Case
        import_id_fields = ("number",)
        fields = ("number", "title", "unit", "stage", "handling_officers", "party", "opened_on", "closed_on")

    def get_queryset(self):
        # The instances are loaded once (CachedInstanceLoader) with their unit.
        return Case.objects.select_related("unit")

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged when every column equals what is stored, the officers compared with one read of
        all cases' officers (the stored copy django-import-export compares with has lost its
        prefetched officers, which cost a query a row)."""
        if import_validation_errors or original.pk is None:
            return False
        if self._officers is None:
            self._officers = {}
            for case_id, user_id in Case.handling_officers.through.objects.values_list("case_id", "user_id"):
                self._officers.setdefault(case_id, set()).add(user_id)
        for field in self.get_import_fields():
            if field.attribute == "handling_officers":
                if field.column_name in row and {user.pk for user in field.clean(row)} != self._officers.get(original.pk, set()):
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._officers: dict[int, set[int]] | None = None


class AccountResource(OrgResource):
    """User accounts (账号). The account row itself is the model's; its roles and discipline bodies are
    applied afterwards by ``services.org_import`` through the account service (each grant audited, no
    self-grant), so they are read here and kept in ``links``. A person is linked to an account by the
    people file's 系统账号. A new account has no password: it signs in through the directory, or an
    administrator sets one."""

    username = _column("username", "账号")
    first_name = _column("first_name", "姓名")
    email = _column("email", "电子邮箱")
    is_active = _column("is_active", "启用", YesNoWidget())
    roles = fields.Field(column_name="角色", readonly=True)
    bodies = fields.Field(column_name="纪检监察机构代码", readonly=True)

    class Meta(OrgResource.Meta):
        model = get_user_model()
        import_id_fields = ("username",)
        fields = ("username", "first_name", "email", "is_active", "roles", "bodies")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.links: list[dict] = []

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        instance.set_unusable_password()  # before validation: the password column may not be empty
        return instance

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type in ("new", "update", "skip") and row_result.object_id is not None:
            self.links.append({"user_id": row_result.object_id, "row": row, "type": row_result.import_type})
        super().after_import_row(row, row_result, **kwargs)

    def dehydrate_roles(self, user):
        return ";".join(str(Role(group.name).label) for group in user.groups.all() if group.name in Role.values)

    def dehydrate_bodies(self, user):
        return ";".join(
            group.name.removeprefix(DISCIPLINE_GROUP_PREFIX) for group in user.groups.all() if group.name.startswith(DISCIPLINE_GROUP_PREFIX)
        )


# The tables of an organisation, in the order they are imported (each refers only to those before it).
RESOURCES: dict[str, type[OrgResource]] = {"units": UnitResource, "accounts": AccountResource, "people": PersonResource, "cases": CaseResource}
LABELS = {"units": gettext_lazy("单位"), "accounts": gettext_lazy("账号"), "people": gettext_lazy("人员"), "cases": gettext_lazy("案件")}
