"""Organisation (units, people), enforcement cases, and the audit log.

The audit log lives here because every app writes to it and this is the app every other app already
depends on (records and discipline point at units and people).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.crypto import KeyGenerator

from cases import documents

from .vocabulary import audit_event_type_choices


class Unit(models.Model):
    """An organisational unit: a bureau, one of its sections, a detachment or a county branch.

    Units form a tree. `discipline_body` names the unit whose discipline staff receive the reports of
    this unit (000 第九条: "向本单位纪委报告"); it is usually the bureau's own discipline office or the
    resident discipline group (驻局纪检组).
    """

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("局机关")
        SECTION = "section", _("科室")
        DETACHMENT = "detachment", _("执法支队/大队")
        BRANCH = "branch", _("县区分局")
        DISCIPLINE = "discipline", _("纪检监察机构")

    name = models.CharField(_("单位名称"), max_length=100)
    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("单位类型"), max_length=16, choices=Kind.choices, default=Kind.SECTION)
    discipline_body = models.ForeignKey(
        "self",
        verbose_name=_("受理纪检监察机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_units",
        help_text=_("本单位人员报告干预过问情况的纪检监察机构（本单位纪委或派驻纪检组）。"),
    )
    party_organization = models.CharField(_("所在党组织"), max_length=100, blank=True)
    # Which rules apply is a property of the unit (issue 19): the interference system, the failure-to-
    # record suggestion, the default legal bases and the titles cited follow it. "" inherits the
    # parent's (cases.selectors.governing_documents).
    governing_document = models.CharField(
        _("适用制度"),
        max_length=8,
        blank=True,
        choices=[(code, label) for code, label in documents.DOCUMENT_LABELS.items()],
        help_text=_("本单位执行的干预过问记录和责任追究制度。留空则沿用上级单位的设置。"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Unit"]:
        """This unit's chain of parents, nearest first (a few queries: trees here are shallow)."""
        chain: list[Unit] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain

    def effective_discipline_body(self) -> "Unit | None":
        """The discipline body of this unit, inherited from the nearest ancestor that names one."""
        if self.discipline_body_id:
            return self.discipline_body
        for node in self.ancestors():
            if node.discipline_body_id:
                return node.discipline_body
        return None


class Person(models.Model):
    """An official who may record or interfere. Interferers are linked here where known, so repeated
    interference by one person is counted reliably even when the written name varies."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省部级")
        BUREAU = "bureau", _("厅局级")
        DIVISION = "division", _("县处级")
        SECTION = "section", _("乡科级")
        OTHER = "other", _("其他")

    # The bureau's own staff number (工号 or the personnel system's id): what a bulk import matches
    # people by (cases.onboarding). Interferers from other organs often have none.
    number = models.CharField(_("人员编号"), max_length=32, unique=True, null=True, blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    level = models.CharField(_("职级"), max_length=16, choices=Level.choices, default=Level.OTHER)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    is_leading_cadre = models.BooleanField(_("领导干部"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__code", "name"]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）" if self.position else self.name


class Case(models.Model):
    """An enforcement case that interference may concern."""

    class Stage(models.TextChoices):
        CLUE = "clue", _("线索核查")
        FILED = "filed", _("立案")
        INVESTIGATION = "investigation", _("调查")
        DECISION = "decision", _("审查决定")
        EXECUTION = "execution", _("执行")
        CLOSED = "closed", _("结案")

    number = models.CharField(_("案件编号"), max_length=64, unique=True)
    title = models.CharField(_("案件名称"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases")
    stage = models.CharField(_("办理阶段"), max_length=16, choices=Stage.choices, default=Stage.CLUE)
    handling_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), blank=True, related_name="handled_cases"
    )
    party = models.CharField(_("当事人"), max_length=200, blank=True)
    opened_on = models.DateField(_("立案日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-opened_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AuditEvent(models.Model):
    """One audited action (全程留痕). Written by services and access helpers, never by signals, so
    tasks and management commands are audited too. Append-only."""

    # Each app declares its event types beside the code that writes them (cases.vocabulary): the callable
    # keeps the list out of this app's migrations.
    type = models.CharField(_("事件类型"), max_length=40, choices=audit_event_type_choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    # The hash chain (全程留痕，有据可查): events are sealed in commit order by cases.audit.seal_chain,
    # each storing the previous event's hash and its own, so any later edit, insertion or deletion
    # breaks every link after it.
    seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64, blank=True)
    hash = models.CharField(_("本事件哈希"), max_length=64, blank=True)
    # 商用密码 (issue 23): new links are SM3; links sealed before the switch keep SHA-256 (migration
    # 0023 sets it on existing rows), and verification recomputes each with its own algorithm.
    hash_algorithm = models.CharField(
        _("哈希算法"), max_length=10, choices=[("sm3", "SM3"), ("sha256", "SHA-256")], default="sm3", editable=False
    )

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["id"], name="audit_unsealed_idx", condition=models.Q(seq__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_type_display()}"


class AuditVerification(models.Model):
    """The result of one verification of the audit chain and of the content it vouches for."""

    ran_at = models.DateTimeField(_("校验时间"))
    ok = models.BooleanField(_("完整"))
    events_checked = models.PositiveBigIntegerField(_("校验事件数"))
    unsealed = models.PositiveBigIntegerField(_("待封存事件数"), default=0)
    head_seq = models.PositiveBigIntegerField(_("链头序号"), null=True, blank=True)
    head_hash = models.CharField(_("链头哈希"), max_length=64, blank=True)
    problems = models.JSONField(_("发现的问题"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("审计链校验")
        verbose_name_plural = _("审计链校验")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"


class FormSubmission(models.Model):
    """One accepted submission of a form, by the key the form carried (a double-click or a resent
    POST carries the same key): the unique key makes a repeat a no-op that leads to the first
    submission's result."""

    key = models.CharField(_("提交标识"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    result_url = models.CharField(_("结果页面"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self) -> str:
        return self.key


class WorkerPulse(models.Model):
    """When the background side last answered: ``worker`` is written by a task the beat sends every
    WORKER_PULSE_SECONDS (so it proves beat, broker and worker together), the sweeps write their own
    name when they finish. Pages that wait on the worker and the administrator's status page read it
    (cases.worker)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    at = models.DateTimeField(_("最近响应时间"))

    class Meta:
        verbose_name = _("后台进程心跳")
        verbose_name_plural = _("后台进程心跳")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


class ImportJob(models.Model):
    """One confirmed 批量导入 (issue 21), run by a Celery task (``cases.onboarding.jobs``) so that a
    province's import does not run inside a web request. The uploaded files stay in private storage
    under ``token`` (the dry run's one-time token, so one upload is one job however often its
    confirmation is posted) until the job has run. Progress while it runs is not kept here: the import
    holds its writes in one open transaction, so it is written beside the files
    (``cases.onboarding.jobs.ImportProgress``); the row holds the state and, once finished, the result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+")
    token = models.CharField(_("上传令牌"), max_length=32, unique=True)
    # kind -> {"name": file name, "sha256": hex digest}, as the dry run read them.
    files = models.JSONField(_("导入文件"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    # kind -> {"rows", "new", "updated", "unchanged"} once done (the counts of the audit event).
    counts = models.JSONField(_("导入结果"), default=dict, blank=True)
    # The row problems found at the confirmed import (the data changed after the dry run): a list of
    # {"table", "row", "column", "message"}.
    problems = models.JSONField(_("问题"), default=list, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # When a status poll last rang the worker for this job (a ring lost while the broker was down).
    rung_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量导入任务")
        verbose_name_plural = _("批量导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


# The API's calling systems (cases.api). Keys are made and checked by djangorestframework-api-key's
# KeyGenerator: "<prefix>.<secret>", of which only the prefix and a SHA-512 hash are stored, and the key
# is shown once, when it is issued. Its concrete model is not used (its app would add an unused table
# and an admin page), only its crypto.
key_generator = KeyGenerator()


class ApiSystem(models.Model):
    """A case-handling or supervision system that calls the API."""

    code = models.SlugField(_("系统代码"), max_length=40, unique=True)
    name = models.CharField(_("系统名称"), max_length=100)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("系统账号"), on_delete=models.PROTECT, related_name="api_system"
    )
    units = models.ManyToManyField("cases.Unit", verbose_name=_("授权单位"), related_name="api_systems")
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """One key of a calling system. Rotating issues a new key and lets the old one run until its
    ``expires_at`` (the grace period); revoking stops it at once and cannot be undone."""

    system = models.ForeignKey(ApiSystem, verbose_name=_("接入系统"), on_delete=models.PROTECT, related_name="keys")
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True)
    hashed_key = models.CharField(_("密钥摘要"), max_length=150)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.prefix}"

    def matches(self, raw_key: str) -> bool:
        """Whether `raw_key` is this key (compared in constant time against the stored hash)."""
        return key_generator.verify(raw_key, self.hashed_key)


class RoleRequest(models.Model):
    """A system administrator's request that an account be given roles or discipline-body
    memberships, decided by a 安全保密管理员 (三员分立: whoever keeps the accounts does not grant; GB/T
    22239-2019 8.1.10.2 授权和审批). Written only by cases.accounts; an approval grants through
    ``user_roles_set`` like any other grant."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已拒绝")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="role_requests")
    group_names = models.JSONField(_("申请的角色与纪检监察机构"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="role_requests_made"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="role_requests_decided"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("角色申请")
        verbose_name_plural = _("角色申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="pending"), name="role_request_one_pending_per_user"),
            # The database refuses what the service refuses: nobody asks for or decides their own grant.
            models.CheckConstraint(condition=~models.Q(requested_by=models.F("user")), name="role_request_not_for_oneself"),
            models.CheckConstraint(condition=~models.Q(decided_by=models.F("user")), name="role_request_not_decided_by_grantee"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.group_names} ({self.get_status_display()})"
class PasswordHistory(models.Model):
    """A password an account has had, newest last: its hash only (the value is never kept). The
    newest row also says when the current password was set and whether someone other than the
    holder set it. GB/T 22239-2019 8.1.4.1 a) asks that authentication information be complex and
    changed periodically: a new password may not repeat the last PASSWORD_HISTORY_COUNT
    (cases.passwords.PasswordHistoryValidator), and one set by an administrator, or older than
    PASSWORD_MAX_AGE_DAYS, must be changed at sign-in (cases.password_policy.PasswordChangeMiddleware).
    Written only by cases.password_policy.password_history_record, inside the services that set a
    password."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码散列"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    # Set by an administrator (a new account, a reset): only its holder's own choice is a secret.
    temporary = models.BooleanField(_("须在登录后修改"), default=False)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["user", "-set_at"], name="password_history_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.set_at:%Y-%m-%d}"
