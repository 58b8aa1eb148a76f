"""The start-up check for a CJK font (PDF reports are unreadable without one)."""

import subprocess

from cases import checks


def test_no_warning_when_a_cjk_font_is_installed():
    # .ci/run and `make` install fonts-noto-cjk.
    assert checks.cjk_font_installed() == []


def test_warns_when_fontconfig_finds_no_chinese_font(monkeypatch):
    monkeypatch.setattr(checks.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout="", stderr=""))
    warnings = checks.cjk_font_installed()
    assert [w.id for w in warnings] == ["registry.W002"] and "中文字体" in warnings[0].msg
