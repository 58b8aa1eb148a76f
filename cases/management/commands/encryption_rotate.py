"""Rotate the SM4 data-encryption key (商用密码: 密钥更新) and re-encrypt in the background.

    manage.py encryption_rotate --create-key-file   # first install: write FIELD_ENCRYPTION_KEY_FILE
    manage.py encryption_rotate --new-key   # key file: generate a new key and make it current
    manage.py encryption_rotate             # env / key manager: the operator made a new key current
    manage.py encryption_rotate --status    # what is under which key
    manage.py encryption_rotate --now       # re-encrypt here instead of in the worker (small sites, tests)

Old keys stay usable until the re-encryption has finished (its end is in the audit log); only then
may an old key be removed from its source.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.encryption import EncryptionError
from cases.encryption.keys import FileKeyProvider
from cases.encryption.rotation import Progress, encryption_rotation_start, encryption_status, reencrypt_pass, rotation_finish


class Command(BaseCommand):
    # The key checks would stop --create-key-file, which is what makes them pass.
    requires_system_checks = []
    help = "更换数据加密密钥（SM4）：使新密钥成为当前密钥，并在后台把旧密钥加密的记录内容和证据文件重新加密。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-key-file", action="store_true", help="首次部署：生成 FIELD_ENCRYPTION_KEY_FILE 指定的密钥文件（已存在时拒绝）"
        )
        parser.add_argument(
            "--new-key", action="store_true", help="生成新密钥写入密钥文件并设为当前密钥（仅适用于 FIELD_ENCRYPTION_KEY_FILE）"
        )
        parser.add_argument("--status", action="store_true", help="只显示各字段、文件在当前密钥、旧密钥下和未加密的数量")
        parser.add_argument("--now", action="store_true", help="在本进程中立即重新加密（不交给后台任务）")

    def handle(self, *args, create_key_file=False, new_key=False, status=False, now=False, **options):
        try:
            if create_key_file:
                if not settings.FIELD_ENCRYPTION_KEY_FILE:
                    raise CommandError("未设置 FIELD_ENCRYPTION_KEY_FILE。")
                key_id = FileKeyProvider(Path(settings.FIELD_ENCRYPTION_KEY_FILE)).initialise()
                self.stdout.write(
                    f"已生成密钥文件 {settings.FIELD_ENCRYPTION_KEY_FILE}（当前密钥 {key_id}）。请另行安全备份该文件：丢失则密文无法恢复。"
                )
                return
            if status:
                self.stdout.write(json.dumps(encryption_status(), ensure_ascii=False, indent=2))
                return
            key_id = encryption_rotation_start(new_key=new_key, actor=None)
            self.stdout.write(f"当前数据加密密钥：{key_id}")
            if not now:
                self.stdout.write("已通知后台任务重新加密；进度见工作进程日志，完成时记入审计日志。可用 --status 查看。")
                return
            progress = reencrypt_pass(Progress(key_id), budget_seconds=float("inf"))
        except EncryptionError as error:
            raise CommandError(str(error)) from error
        rotation_finish(progress)
        self.stdout.write(f"重新加密 {progress.done} 项，失败 {progress.failed} 项。")
        if progress.failed:
            raise CommandError("部分数据无法用现有密钥解密，详见日志；旧密钥在处理完之前不得删除。")
