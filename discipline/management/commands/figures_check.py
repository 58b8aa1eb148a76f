"""python manage.py figures_check [--repair]

Reconcile the dashboard's and the reports' figure cells with the records (discipline.figures): lists
the unit-months whose cells differ from what the records give and the records routed to a body whose
staff group lacks the view grant. Exit status 1 when anything is wrong (after --repair: only when a
grant is missing, since the cells were repaired). The nightly task runs the same with --repair."""

import time

from django.core.management.base import BaseCommand, CommandError

from discipline.figures import figures_check


class Command(BaseCommand):
    help = "核对统计单元与记录是否一致（--repair 修复不一致的单位月份）。"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="重新计算不一致的单位月份")

    def handle(self, *args, repair: bool, **options):
        started = time.monotonic()
        result = figures_check(repair=repair, actor=None)
        for m in result.mismatches[:50]:
            self.stdout.write(f"不一致：单位 {m.recorder_unit_id}，{m.month:%Y年%m月}" + ("（已修复）" if repair else ""))
        if len(result.mismatches) > 50:
            self.stdout.write(f"……另有 {len(result.mismatches) - 50} 个单位月份不一致")
        for record_id in result.ungranted[:50]:
            self.stdout.write(f"缺少查看授权：记录 {record_id} 已分送纪检监察机构，但该机构工作人员组没有查看权限")
        self.stdout.write(
            f"核对完成：{len(result.mismatches)} 个单位月份不一致，{len(result.ungranted)} 条记录缺少授权，用时 {time.monotonic() - started:.1f} 秒"
        )
        if result.ungranted or (result.mismatches and not repair):
            raise CommandError("统计数据与记录不一致。")
