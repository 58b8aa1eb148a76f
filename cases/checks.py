"""System checks run at start-up (manage.py check, runserver, the worker)."""

import shutil
import subprocess

from django.core.checks import Warning as CheckWarning
from django.core.checks import register


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
