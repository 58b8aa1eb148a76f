"""python manage.py annual_report --year Y [--unit CODE] [--quarter Q] [--user NAME] [--appendix] --output PATH

The annual report (or, with --quarter, the quarterly bulletin) as PDF without the web UI (R-ANNUAL).
Without --user the figures cover every unit and show counts only, as for an administrator; with the
user name of a discipline staff member they are that member's scope (names and appendix allowed)."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Unit
from discipline.reports.access import ScopeError, may_report
from discipline.reports.pdf import build_report
from discipline.reports.selectors import Period


class Command(BaseCommand):
    help = "生成年度（或季度）干预过问记录分析报告 PDF。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--unit", help="单位代码（含下级单位）")
        parser.add_argument("--user", help="以该用户的权限范围生成（纪检监察人员或管理员）")
        parser.add_argument("--appendix", action="store_true", help="附台账（仅纪检监察人员范围）")
        parser.add_argument("--number", default="", help="文号")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **opts):
        if not 2000 <= opts["year"] <= 2100:
            raise CommandError("年度应在2000至2100之间。")
        if not Period(opts["year"], opts["quarter"]).has_begun(timezone.localdate()):
            raise CommandError("所选期间尚未开始，不能生成报告。")
        unit = None
        if opts["unit"]:
            unit = Unit.objects.filter(code=opts["unit"]).first()
            if unit is None:
                raise CommandError(f"单位代码不存在：{opts['unit']}")
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if user is None or not may_report(user):
                raise CommandError(f"用户不存在或无权生成报告：{opts['user']}")
        started = time.monotonic()
        try:
            pdf, figures = build_report(
                user, year=opts["year"], quarter=opts["quarter"], unit=unit, appendix=opts["appendix"], number=opts["number"]
            )
        except ScopeError as exc:
            raise CommandError(str(exc)) from None
        Path(opts["output"]).write_bytes(pdf)
        self.stdout.write(
            f"{opts['output']}: {figures.period.label}（统计至{figures.counted_end:%Y-%m-%d}） {figures.unit_name}，记录{figures.total}条，"
            f"{len(pdf)} 字节，用时{time.monotonic() - started:.1f}秒"
        )
