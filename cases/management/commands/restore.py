"""Restore a backup made by `backup`: checks it first (signature, digests, migrations, an empty
target unless --force), replaces the database and the private storage, then verifies the restored
audit chain against the backup's head and exits non-zero when it does not verify."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from cases.backup import BackupError, backup_created_local, backup_restore


class Command(BaseCommand):
    help = (
        "从 backup 命令生成的备份目录恢复数据库和私有存储，然后校验审计链。恢复会替换现有的全部数据："
        "目标数据库不是空的时须加 --force。恢复前请停止网站、后台任务和定时任务。"
    )

    def execute(self, *args, **options):
        # The operator reads the system's language (LANGUAGE_CODE), whatever was active in the process.
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", metavar="DIR", help="备份目录")
        parser.add_argument("--input", metavar="DIR", help="备份目录（与位置参数二选一）")
        parser.add_argument("--force", action="store_true", help="目标数据库不是空的也恢复（替换其中的全部数据）")

    def handle(self, *args, directory=None, input=None, force=False, **options):
        if bool(directory) == bool(input):
            raise CommandError(_("请指定一个备份目录：restore DIR 或 restore --input DIR。"))
        source = Path(directory or input)
        try:
            result = backup_restore(source=source, force=force, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(_("恢复被拒绝，未做任何更改：%(error)s") % {"error": error}) from error
        manifest, verification = result.manifest, result.verification
        self.stdout.write(_("已恢复 %(created)s 的备份：数据库（%(engine)s）和私有存储的 %(count)s 个文件") % {
            "created": backup_created_local(manifest), "engine": manifest["engine"], "count": len(manifest["storage_files"])})  # fmt: skip
        if result.migrated:
            self.stdout.write(_("备份的数据库迁移早于本程序，已执行 migrate。"))
        for difference in result.count_differences:
            self.stdout.write(_("行数与备份时不同：%(difference)s") % {"difference": difference})
        self.stdout.write(_("校验事件 %(checked)s 个；链头：第%(seq)s号 %(hash)s") % {
            "checked": verification.events_checked, "seq": verification.head_seq or 0, "hash": verification.head_hash or "—"})  # fmt: skip
        if not verification.ok:
            for problem in verification.problems:
                self.stderr.write(self.style.ERROR(problem))
            raise CommandError(_("恢复已完成，但审计链校验未通过（见上）：恢复的数据与备份的链头不一致，请勿投入使用，先查明原因。"))
        self.stdout.write(self.style.SUCCESS(_("恢复完成，审计链校验通过：与备份的链头一致，记录和证据与链上记载一致。")))
