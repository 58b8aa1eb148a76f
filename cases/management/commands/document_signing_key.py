"""The SM2 key that signs issued documents (cases.signing): create a key file, or show which key is
configured and its fingerprint (what every signed document names as its signer)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.signing import SigningKeyError, format_fingerprint, generate_key_file, key_path, retired_keys, signing_key


class Command(BaseCommand):
    help = "创建公文SM2签名密钥文件，或显示当前配置的签名密钥及其指纹。"

    def add_arguments(self, parser):
        parser.add_argument("--create", metavar="PATH", help="在该路径新建密钥文件（权限0600，已存在则拒绝覆盖）")

    def handle(self, *args, create=None, **options):
        if create:
            try:
                key = generate_key_file(Path(create))
            except FileExistsError as error:
                raise CommandError(f"{create} 已存在，不覆盖已有密钥。") from error
            except OSError as error:
                raise CommandError(f"无法写入 {create}：{error.strerror or error}") from error
            self.stdout.write(self.style.SUCCESS(f"已创建SM2签名密钥：{create}"))
            self.stdout.write(f"密钥指纹：{format_fingerprint(key.fingerprint)}")
            self.stdout.write("请设置 DOCUMENT_SIGNING_KEY_FILE 指向该文件，并妥善备份（不要放入数据库备份）。")
            return
        try:
            key = signing_key()
        except SigningKeyError as error:
            raise CommandError(f"签名密钥不可用：{error}") from error
        self.stdout.write(f"签名密钥文件：{key_path()}")
        self.stdout.write(f"密钥指纹：{format_fingerprint(key.fingerprint)}")
        for fingerprint, last_day in sorted(retired_keys().items(), key=lambda item: item[1]):
            self.stdout.write(f"已停用的密钥：{format_fingerprint(fingerprint)}，最后使用日 {last_day:%Y-%m-%d}")
        # Replacing the key: the old one must stay trusted for what it signed.
        self.stdout.write(
            "更换密钥时，将下列一项加入 DOCUMENT_SIGNING_RETIRED_KEYS，此前签发的文件仍可校验为本系统出具："
            f"{key.fingerprint}@{timezone.localdate():%Y-%m-%d}"
        )
