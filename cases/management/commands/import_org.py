"""python manage.py import_org [--units F] [--accounts F --actor ADMIN] [--people F] [--cases F] [--dry-run] [--export DIR] [--templates DIR]

Imports a bureau's units, people and cases from .xlsx or .csv files with Chinese headers (the
templates: --templates DIR), all or nothing, as the 批量导入 page does (cases.onboarding.services).
--dry-run reports what would change and every row's problems, and writes nothing. --export DIR
writes the current organisation in the same format (what a re-import reads back unchanged)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.onboarding import services
from cases.onboarding.resources import RESOURCES


class Command(BaseCommand):
    help = "批量导入单位、人员和案件（.xlsx 或 .csv；先试导入：--dry-run）"

    def add_arguments(self, parser):
        for kind in RESOURCES:
            parser.add_argument(f"--{kind}", type=Path, help=f"{kind} 文件（.xlsx 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--actor", help="导入账号及其角色时，以此管理员账号授予（每项授予均记入审计日志）")
        parser.add_argument("--export", type=Path, help="把现有单位、人员、案件导出到此目录（.xlsx）")
        parser.add_argument("--templates", type=Path, help="把空白导入模板写到此目录（.xlsx）")

    def handle(self, *args, **opts):
        for option, make in (("templates", services.template_dataset), ("export", services.export_dataset)):
            if opts[option]:
                opts[option].mkdir(parents=True, exist_ok=True)
                for kind in RESOURCES:
                    path = opts[option] / f"{kind}.xlsx"
                    path.write_bytes(make(kind).export("xlsx"))
                    self.stdout.write(str(path))
                return
        files = {kind: (opts[kind].name, opts[kind].read_bytes()) for kind in RESOURCES if opts[kind]}
        if not files:
            raise CommandError("请至少指定 --units、--accounts、--people 或 --cases 之一。")
        actor = None
        if opts["actor"]:
            actor = get_user_model().objects.filter(username=opts["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"找不到账号：{opts['actor']}")
        try:
            result = services.org_import(files=files, dry_run=opts["dry_run"], actor=actor)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        for table in result.tables:
            self.stdout.write(
                f"{table.label}（{table.file_name}）：{table.rows}行，新增{table.new}，更新{table.updated}，未变{table.unchanged}，问题{len(table.problems)}"
            )
            for problem in table.problems:
                self.stdout.write(f"  第{problem.row}行 {problem.column or '—'}：{problem.message}")
        if not result.ok:
            raise CommandError("有错误，未导入任何数据。")
        self.stdout.write("试导入完成，未写入。" if result.dry_run else "已导入。")
