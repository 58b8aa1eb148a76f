"""System checks run at start-up (manage.py check, runserver, the worker)."""

import shutil
import subprocess
from pathlib import Path

from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning


def chinese_font_families() -> list[str] | None:
    """The family names of the Chinese fonts fontconfig knows (``fc-list :lang=zh family``), or None
    when fontconfig is not there to ask."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listing = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False).stdout  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        listing = ""
    return [name.strip() for line in listing.splitlines() for name in line.split(",") if name.strip()]


@register()
def cjk_font_installed(app_configs=None, **kwargs):
    """PDF reports and notice letters need a CJK font: without one WeasyPrint still builds the PDF,
    but every Chinese glyph is an empty box (issue 7). fontconfig says whether one is installed."""
    families = chinese_font_families()
    if families is None:
        return [CheckWarning("无法检查中文字体：未找到 fc-list（fontconfig）。", hint="apt-get install fontconfig fonts-noto-cjk", id="registry.W001")]
    if not families:
        return [CheckWarning("未安装中文字体，PDF报告中的中文将无法显示。", hint="apt-get install fonts-noto-cjk", id="registry.W002")]
    return []


@register(Tags.database)
def superusers_only_break_glass(app_configs=None, databases=None, **kwargs):
    """三员分立 (issue 23): a superuser bypasses the separation of the three administrators, so where
    SUPERUSERS_ALLOWED is off (production) the only superuser may be the break-glass account
    (BREAK_GLASS_USERNAME), whose every sign-in is told to the 安全审计员. Run by `migrate` and
    `manage.py check --database default`."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    if settings.SUPERUSERS_ALLOWED or not databases:
        return []
    try:
        others = list(get_user_model().objects.filter(is_superuser=True).exclude(username=settings.BREAK_GLASS_USERNAME).values_list("username", flat=True))
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    if not others:
        return []
    return [
        Error(
            f"生产环境不允许应急账号以外的超级用户：{'、'.join(others)}",
            hint="取消这些账号的超级用户标志（三员分立下由系统管理员、安全保密管理员、安全审计员分别管理），应急账号用 BREAK_GLASS_USERNAME 指定。",
            id="registry.E040",
        )
    ]
@register()
def audit_seal_key(app_configs=None, **kwargs):
    """The key sealing the audit chain head (cases.audit_seal) must come from the deployment wherever
    it is not generated (production): readable, long enough, and not in the private storage beside
    the anchor it seals (whoever could rewrite the anchor there could read the key too)."""
    from django.conf import settings

    from .audit_seal import SealKeyError, key_file_path, seal_key

    if settings.AUDIT_SEAL_KEY_GENERATE:
        return []
    hint = "设置环境变量 AUDIT_SEAL_KEY（至少32个字符），或 AUDIT_SEAL_KEY_FILE 指向私有存储目录以外、仅本系统账户可读的密钥文件。"
    try:
        seal_key()
    except SealKeyError as error:
        return [Error(str(error), hint=hint, id="registry.E231")]
    if not settings.AUDIT_SEAL_KEY and key_file_path().resolve().is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve()):
        return [Error(f"审计链封存密钥文件 {key_file_path()} 位于私有存储目录内，与其封存的链头放在一起。", hint=hint, id="registry.E232")]
    return []


# 网络安全法 第二十一条: network logs are kept no less than six months.
MIN_AUDIT_RETENTION_DAYS = 180


@register()
def audit_retention(app_configs=None, **kwargs):
    """The audit trail is kept at least 6 months online; a shorter setting is refused, and the storage
    alert's threshold must be a percentage the disk can reach."""
    from django.conf import settings

    errors = []
    if settings.AUDIT_RETENTION_DAYS < MIN_AUDIT_RETENTION_DAYS:
        errors.append(
            Error(
                f"AUDIT_RETENTION_DAYS={settings.AUDIT_RETENTION_DAYS}：审计记录至少在线保存6个月（{MIN_AUDIT_RETENTION_DAYS}天，网络安全法第二十一条）。",
                hint="将 AUDIT_RETENTION_DAYS 设为不小于180的天数（默认183）。",
                id="registry.E233",
            )
        )
    if not 1 <= settings.AUDIT_STORAGE_ALERT_PERCENT <= 99:
        errors.append(Error(f"AUDIT_STORAGE_ALERT_PERCENT={settings.AUDIT_STORAGE_ALERT_PERCENT}：告警阈值应在1到99之间（百分比）。", id="registry.E234"))
    return errors
