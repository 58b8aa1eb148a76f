"""System checks run at start-up (manage.py check, runserver, the worker)."""

import shutil
import subprocess

from django.core.checks import Error as CheckError
from django.core.checks import Tags, register
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
        CheckError(
            f"生产环境不允许应急账号以外的超级用户：{'、'.join(others)}",
            hint="取消这些账号的超级用户标志（三员分立下由系统管理员、安全保密管理员、安全审计员分别管理），应急账号用 BREAK_GLASS_USERNAME 指定。",
            id="registry.E040",
        )
    ]
