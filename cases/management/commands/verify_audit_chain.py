"""Verify the audit chain and the content it vouches for; report the first broken link and exit
non-zero when anything is wrong. Seals pending events first (sealing never changes sealed ones).
The chain must still hold the head anchored in the private storage at the last seal and every head
given with --head (a file exported from the audit page, or a copy of the anchor file)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.audit import AnchorError, audit_verify, parse_head


class Command(BaseCommand):
    help = "校验审计链（哈希链）及其记载的已报送记录、补充说明、证据文件和核查处理结果，并与链外锚定的链头比对；发现问题时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--no-files", action="store_true", help="不重新计算证据文件的哈希（更快）")
        parser.add_argument(
            "--head", action="append", default=[], metavar="FILE", help="另行保存的链头（审计页面导出的链头文件或锚定文件副本），可多次指定"
        )

    def handle(self, *args, no_files=False, head=(), **options):
        anchors = []
        for name in head:
            try:
                anchors.append(parse_head(Path(name).read_text(encoding="utf-8"), source=f"链头文件 {name}"))
            except (OSError, UnicodeDecodeError, AnchorError) as error:
                raise CommandError(f"无法读取链头文件 {name}：{error}") from error
        result = audit_verify(check_files=not no_files, anchors=anchors, actor=None)
        self.stdout.write(f"校验事件 {result.events_checked} 个，待封存 {result.unsealed} 个")
        if result.head_seq:
            self.stdout.write(f"链头：第{result.head_seq}号 {result.head_hash}")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("审计链完整，记录和证据与链上记载一致。"))
            return
        for problem in result.problems:
            self.stderr.write(self.style.ERROR(problem))
        sys.exit(1)
