"""System checks run at start-up (manage.py check, runserver, the worker)."""

import shutil
import subprocess

from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register()
def cjk_font_installed(app_configs=None, **kwargs):
    """PDF reports and notice letters need a CJK font: without one WeasyPrint still builds the PDF,
    but every Chinese glyph is an empty box (issue 7). fontconfig says whether one is installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return [CheckWarning("无法检查中文字体：未找到 fc-list（fontconfig）。", hint="apt-get install fontconfig fonts-noto-cjk", id="registry.W001")]
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False).stdout.strip()  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        found = ""
    if not found:
        return [CheckWarning("未安装中文字体，PDF报告中的中文将无法显示。", hint="apt-get install fonts-noto-cjk", id="registry.W002")]
    return []
