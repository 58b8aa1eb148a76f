"""Calling systems (接入系统) and their keys. A system acts through its own account, which holds no
role, no password and is inactive, so it can never sign in to a page; what it may reach is its units
and their subtrees (``selectors.scope_unit_ids``).

Keys are made and checked by djangorestframework-api-key's KeyGenerator: "<prefix>.<secret>", of which
only the prefix and a SHA-512 hash are stored, and the key is shown once, when it is issued. Its
concrete model is not used (its app would add an unused table and an admin page), only its crypto."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.crypto import KeyGenerator

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
