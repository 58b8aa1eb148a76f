"""Run one reminder sweep now: the same code Celery beat runs every few minutes."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from records.notifications.sweep import reminder_sweep


class Command(BaseCommand):
    help = "执行一次提醒扫描（与定时任务相同）：发送到期提醒、逾期督办、每日汇总和邮件。"

    def handle(self, *args, **options):
        result = reminder_sweep(now=timezone.now())
        self.stdout.write(
            "重算期限 {recomputed} 条，记录提醒 {record_notices} 条，每日汇总 {digests} 条，放假安排提醒 {calendar_warnings} 条，邮件 {emails} 封".format(**result)
        )
