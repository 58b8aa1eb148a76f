"""python manage.py figures_check [--repair | --rebuild]

Reconcile the dashboard's and the reports' figure cells with the records (discipline.reports.figures): lists
the unit-months whose cells differ from what the records give and the records routed to a body whose
staff group lacks the view grant. Exit status 1 when anything is wrong (after --repair: only when a
grant is missing, since the cells were repaired). The nightly task runs the same with --repair.
--rebuild writes every cell afresh from the records without comparing (after a bulk load or an
upgrade that changes what the cells count), then checks the grants."""

import time

from django.core.management.base import BaseCommand, CommandError

from discipline.reports.figures.check import figures_check, figures_rebuild


class Command(BaseCommand):
    help = "核对统计单元与记录是否一致（--repair 修复不一致的单位月份）。"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="重新计算不一致的单位月份")
        parser.add_argument("--rebuild", action="store_true", help="不比对，按记录重新生成全部统计单元")

    def handle(self, *args, repair: bool, rebuild: bool, **options):
        started = time.monotonic()
        if rebuild:
            written, ungranted = figures_rebuild(actor=None)
            self.stdout.write(f"已重新生成统计单元 {written} 个，{len(ungranted)} 条记录缺少授权，用时 {time.monotonic() - started:.1f} 秒")
            if ungranted:
                raise CommandError("统计数据与记录不一致。")
            return
        result = figures_check(repair=repair, actor=None)
        for m in result.mismatches[:50]:
            where = f"单位 {m.recorder_unit_id}" if m.recorder_unit_id is not None else "机构汇总"
            self.stdout.write(f"不一致：{where}，{m.month:%Y年%m月}" + ("（已修复）" if repair else ""))
        if len(result.mismatches) > 50:
            self.stdout.write(f"……另有 {len(result.mismatches) - 50} 个单位月份不一致")
        for record_id in result.ungranted[:50]:
            self.stdout.write(f"缺少查看授权：记录 {record_id} 已分送纪检监察机构，但该机构工作人员组没有查看权限")
        self.stdout.write(
            f"核对完成：{len(result.mismatches)} 个单位月份不一致，{len(result.ungranted)} 条记录缺少授权，用时 {time.monotonic() - started:.1f} 秒"
        )
        if result.ungranted or (result.mismatches and not repair):
            raise CommandError("统计数据与记录不一致。")
