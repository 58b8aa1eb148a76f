"""The audit log's event types and the notices' kinds: one registry each, filled by the apps that use them.

Each app declares its own vocabulary beside the code that uses it, as a ``TextChoices`` enum in its
subpackage's ``vocabulary`` module (``records.record.vocabulary``, ``discipline.faults.vocabulary`` …),
registers it there with ``@audit_event_types.register`` or ``@notification_kinds.register``, and has its
``AppConfig.ready()`` import that module, so the labels are known before the first request.

``AuditEvent.type`` and ``Notification.kind`` take their ``choices`` from the callables below. A
migration stores the callable's dotted path, not the list, so adding a member to an enum needs no
migration in cases or records. Stored values never change: they are in the audit hash chain and in the
notices' uniqueness key. A value may be registered once only: a second enum claiming it is a wiring
error caught at start-up.

Cases' own events (the organisation, accounts, the second factor) are declared at the end of this module.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import models
from django.utils.translation import gettext_lazy as _


class Vocabulary:
    """Values and labels contributed by several ``TextChoices`` enums, each value owned by one enum."""

    def __init__(self, name: str):
        self.name = name
        self._enums: dict[str, type[models.TextChoices]] = {}
        self._owner: dict[str, str] = {}  # value -> dotted name of the enum that declared it
        self._choices: list[tuple[str, object]] | None = None

    @staticmethod
    def _key(enum: type[models.TextChoices]) -> str:
        return f"{enum.__module__}.{enum.__qualname__}"

    def register(self, enum: type[models.TextChoices]) -> type[models.TextChoices]:
        """Add every member of `enum`; usable as a class decorator. Registering the same enum again
        (ready() may run twice, a module may be reloaded) replaces it; a value already declared by
        another enum raises ValueError."""
        key = self._key(enum)
        for value in enum.values:
            owner = self._owner.get(value)
            if owner is not None and owner != key:
                raise ValueError(f"{self.name}: value {value!r} of {key} is already declared by {owner}")
        self.unregister(enum)
        self._enums[key] = enum
        for value in enum.values:
            self._owner[value] = key
        self._choices = None
        return enum

    def unregister(self, enum: type[models.TextChoices]) -> None:
        """Remove `enum`'s members (tests that register a throw-away enum clean up with this)."""
        key = self._key(enum)
        if self._enums.pop(key, None) is not None:
            self._owner = {value: owner for value, owner in self._owner.items() if owner != key}
            self._choices = None

    def choices(self) -> list[tuple[str, object]]:
        """(value, lazily translated label) of every registered member, enums in registration order."""
        if self._choices is None:
            self._choices = [choice for enum in self._enums.values() for choice in enum.choices]
        return self._choices

    def label(self, value: str) -> str:
        """The translated label of `value`; the value itself when nobody declares it (an event type
        from an app no longer installed still shows)."""
        return str(dict(self.choices()).get(value, value))

    def owner(self, value: str) -> str | None:
        """The dotted name of the enum that declares `value`."""
        return self._owner.get(value)

    def enums(self) -> list[type[models.TextChoices]]:
        return list(self._enums.values())

    def __contains__(self, value: object) -> bool:
        return value in self._owner

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._owner))

    def __repr__(self) -> str:
        return f"<Vocabulary {self.name}: {len(self._owner)} values>"


audit_event_types = Vocabulary("audit event types")
notification_kinds = Vocabulary("notification kinds")


# Module-level functions, not bound methods: a migration can serialise only these by dotted path.
def audit_event_type_choices() -> list[tuple[str, object]]:
    return audit_event_types.choices()


def notification_kind_choices() -> list[tuple[str, object]]:
    return notification_kinds.choices()


@audit_event_types.register
class OrganisationEvent(models.TextChoices):
    """Units, people and enforcement cases as edited by administrators (cases.services): units decide
    routing (discipline body), people decide conflict of interest, so every edit is in the chain."""

    UNIT_SAVED = "unit.saved", _("保存单位")
    UNIT_DELETED = "unit.deleted", _("删除单位")
    PERSON_SAVED = "person.saved", _("保存人员")
    PERSON_DELETED = "person.deleted", _("删除人员")
    CASE_SAVED = "case.saved", _("保存执法案件")
    CASE_DELETED = "case.deleted", _("删除执法案件")
    ORG_IMPORTED = "org.imported", _("批量导入单位、人员和案件")
    ORG_IMPORT_QUEUED = "org.import_queued", _("提交批量导入任务")


@audit_event_types.register
class AccountEvent(models.TextChoices):
    """Accounts, roles, discipline-body memberships and the superuser flag (cases.accounts: changed
    only there, never by the person receiving them), sign-ins through the directory (cases.directory),
    and the second factor (cases.second_factor)."""

    ROLE_GRANTED = "account.role_granted", _("授予角色")
    ROLE_REVOKED = "account.role_revoked", _("撤销角色")
    SUPERUSER_CHANGED = "account.superuser_changed", _("变更超级用户标志")
    GRANT_REFUSED = "account.grant_refused", _("拒绝授权")
    ROLE_REQUESTED = "account.role_requested", _("申请授予角色")
    ROLE_REQUEST_DECIDED = "account.role_request_decided", _("审批角色申请")
    SUPERUSER_CREATED = "account.superuser_created", _("创建超级用户")
    BREAK_GLASS_SIGNED_IN = "account.break_glass_signed_in", _("应急账号登录")
    ROLE_PERMISSIONS_SYNCED = "account.role_permissions_synced", _("同步管理员角色权限")
    ACCOUNT_SAVED = "account.saved", _("保存账户")
    ACCOUNT_DELETED = "account.deleted", _("删除账户")
    ACCOUNT_PASSWORD_SET = "account.password_set", _("设置账户密码")
    ACCOUNT_UNLOCKED = "account.unlocked", _("解除登录锁定")
    DIRECTORY_SIGNED_IN = "account.directory_signed_in", _("通过目录登录")
    TOTP_DEVICE_CREATED = "totp_device.created", _("创建动态验证码设备")
    TOTP_DEVICE_CONFIRMED = "totp_device.confirmed", _("确认动态验证码设备")
    TOTP_DEVICE_DELETED = "totp_device.deleted", _("删除动态验证码设备")


@audit_event_types.register
class SystemEvent(models.TextChoices):
    """The whole system's data as operators handle it (cases.backup): a backup is audited in the chain
    it copies, a restore in the chain it brought back, after that chain was verified."""

    BACKED_UP = "system.backed_up", _("备份系统数据")
    RESTORED = "system.restored", _("从备份恢复系统数据")


@audit_event_types.register
class IdentityEvent(models.TextChoices):
    """Identification and authentication (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1, issue 23): a
    password changed by its holder (cases.password_policy), a sign-in lockout (cases.lockout), backup
    codes of the second factor made and used, and the security administrator's reset of a second
    factor (cases.second_factor)."""

    PASSWORD_CHANGED = "account.password_changed", _("修改本人密码")
    LOCKED_OUT = "account.locked_out", _("登录失败次数过多被锁定")
    BACKUP_CODES_GENERATED = "otp_static.generated", _("生成备用验证码")
    BACKUP_CODE_USED = "otp_static.used", _("使用备用验证码登录")
    SECOND_FACTOR_RESET = "account.second_factor_reset", _("重置双重验证")
    SECOND_FACTOR_RESET_REFUSED = "account.second_factor_refused", _("拒绝重置双重验证")
