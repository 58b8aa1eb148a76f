"""Whether a file is an authentic document of this system: its SM2 signature (cases.signing), who
signed it and when, and, for a copy someone downloaded, which download it was (the audit trail keeps
the SM3 hash of every served copy, cases.downloads). Exits non-zero unless the file is authentic."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.downloads import download_events_for
from cases.signing import format_fingerprint, verify_document


@contextmanager
def _quiet_native_stderr():
    """GmSSL prints a trace on standard error for every signature that does not verify, which on an
    altered file is the expected answer, not an error of the command."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M:%S}"


class Command(BaseCommand):
    help = "校验文件是否为本系统出具的真实文件（SM2电子签名），并在审计记录中查找该副本的下载记录（谁、何时下载）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要校验的文件（本系统出具的PDF、导出的审计记录或链头）")

    def handle(self, *args, file, **options):
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}：{error.strerror or error}") from error
        with _quiet_native_stderr():
            result = verify_document(content)
        authentic = result.authentic
        if not result.signed:
            self.stdout.write(self.style.ERROR("该文件没有本系统的SM2电子签名，不能确认是本系统出具的文件。"))
        elif not result.ok:
            self.stdout.write(self.style.ERROR("该文件已被改动：SM2电子签名与文件内容不符，不是本系统出具的原件。"))
        elif not result.ours:
            self.stdout.write(self.style.ERROR("签名有效，但签名密钥不是本系统的密钥，不能确认是本系统出具的文件。"))
        else:
            self.stdout.write(self.style.SUCCESS("该文件是本系统出具的真实文件，SM2电子签名有效，内容未被改动。"))
        if result.fingerprint:
            self.stdout.write(f"签名密钥指纹：{format_fingerprint(result.fingerprint)}")
        if result.signed_at:
            self.stdout.write(f"签名时间：{_when(result.signed_at)}")
        if result.retired_on:
            self.stdout.write(f"签名密钥为本系统已停用的密钥（最后使用日：{result.retired_on:%Y年%m月%d日}），签名时该密钥有效。")
        events, exact = download_events_for(content)
        if events:
            self.stdout.write("该副本来自以下下载：" if exact else "该文件被改动前，来自以下下载（签名行与之相同）：")
            for event in events:
                data = event.data
                who = data.get("viewer") or (event.actor.get_username() if event.actor else "")
                if data.get("username") and data.get("username") != who:
                    who = f"{who}（{data['username']}）"
                unit = f"，{data['unit']}" if data.get("unit") else ""
                self.stdout.write(f"  审计事件 {event.pk}：{who}{unit}，于 {_when(event.occurred_at)} 下载《{data.get('document') or data.get('file', '')}》")
        elif result.signed:
            self.stdout.write("审计记录中没有这份副本的下载记录。")
        if not authentic:
            sys.exit(1)
