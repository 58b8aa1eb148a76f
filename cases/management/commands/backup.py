"""Back up the database, the private storage and the audit chain's head into a new directory with a
signed manifest (cases.backup). Run it regularly (cron or a systemd timer); restore with `restore`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from cases.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库、私有存储（证据、报告、导入文件、审计链锚定文件）和审计链链头到一个新目录，附带签名的备份清单。"

    def execute(self, *args, **options):
        # The operator reads the system's language (LANGUAGE_CODE), whatever was active in the process.
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="DIR", help="备份目录（新目录或空目录）")

    def handle(self, *args, output, **options):
        try:
            manifest = backup_create(output=Path(output))
        except BackupError as error:
            raise CommandError(_("备份失败：%(error)s") % {"error": error}) from error
        head = manifest["audit_head"]
        self.stdout.write(_("数据库（%(engine)s）：%(tool)s") % {"engine": manifest["engine"], "tool": manifest["database"]["tool"]})
        self.stdout.write(_("私有存储：%(count)s 个文件") % {"count": len(manifest["storage_files"])})
        self.stdout.write(
            _("数据：%(rows)s 行，其中审计事件 %(events)s 个")
            % {"rows": sum(manifest["counts"].values()), "events": manifest["counts"].get("cases.auditevent", 0)}
        )
        if head:
            self.stdout.write(_("审计链链头：第%(seq)s号 %(hash)s") % head)
        self.stdout.write(
            self.style.SUCCESS(
                _("备份完成：%(path)s（清单以 %(algorithm)s 签名）")
                % {"path": Path(output).absolute(), "algorithm": manifest["signature"]["algorithm"]}
            )
        )
