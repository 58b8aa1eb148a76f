"""System checks of the discipline side, run at start-up."""

from django.core.checks import Info, register

from discipline.common import official


@register()
def document_fonts(app_configs=None, **kwargs):
    """The 公文 faces (issue 20): say which roles fall back to Noto CJK, e.g. when
    scripts/document-fonts.sh could not fetch FandolFang/FandolKai and no licensed face is in fonts/."""
    return [
        Info(
            f"公文字体：{role}角色未找到标准字体或免费替代字体，使用 {family or '系统默认字体'}。",
            hint="bash scripts/document-fonts.sh，或将授权字体文件放入 DOCUMENT_FONTS_DIR（见 fonts/README.md）。",
            id="registry.I020",
        )
        for role, family in official.missing_roles()
    ]
