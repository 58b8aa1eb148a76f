"""Verify the audit chain and the content it vouches for; report the first broken link and exit
non-zero when anything is wrong. Seals pending events first (sealing never changes sealed ones)."""

import sys

from django.core.management.base import BaseCommand

from records.audit_check import audit_verify


class Command(BaseCommand):
    help = "校验审计链（哈希链）及其记载的已报送记录、补充说明和证据文件；发现问题时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--no-files", action="store_true", help="不重新计算证据文件的哈希（更快）")

    def handle(self, *args, no_files=False, **options):
        result = audit_verify(check_files=not no_files, actor=None)
        self.stdout.write(f"校验事件 {result.events_checked} 个，待封存 {result.unsealed} 个")
        if result.head_seq:
            self.stdout.write(f"链头：第{result.head_seq}号 {result.head_hash}")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("审计链完整，记录和证据与链上记载一致。"))
            return
        for problem in result.problems:
            self.stderr.write(self.style.ERROR(problem))
        sys.exit(1)
