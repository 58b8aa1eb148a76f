"""python manage.py api_system {save,rotate,revoke,list} — the calling systems of the API (/api/v1/)
and their keys. A key is printed once, when issued; only its hash is kept.

  api_system save CODE --name NAME --units U1,U2 --actor ADMIN   create (prints the first key) or change
  api_system rotate CODE --actor ADMIN                             new key; old keys stop after the grace period
  api_system revoke PREFIX --actor ADMIN                           stop one key at once
  api_system list
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.api import services
from cases.models import ApiKey, ApiSystem, Unit


class Command(BaseCommand):
    help = "管理接口接入系统及其密钥（签发、轮换、吊销）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["save", "rotate", "revoke", "list"])
        parser.add_argument("target", nargs="?", help="系统代码（save、rotate）或密钥前缀（revoke）")
        parser.add_argument("--name", help="系统名称")
        parser.add_argument("--units", help="授权单位代码，逗号分隔（含其下级单位）")
        parser.add_argument("--inactive", action="store_true", help="停用该系统")
        parser.add_argument("--actor", help="操作的管理员账号（记入审计日志）")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            for system in ApiSystem.objects.prefetch_related("units", "keys"):
                units = ",".join(unit.code for unit in system.units.all())
                self.stdout.write(f"{system.code}\t{system.name}\t{'启用' if system.is_active else '停用'}\t{units}")
                for key in system.keys.all():
                    state = "已吊销" if key.revoked else (f"{key.expires_at:%Y-%m-%d %H:%M} 失效" if key.expires_at else "有效")
                    self.stdout.write(f"  {key.prefix}\t{key.created_at:%Y-%m-%d %H:%M}\t{state}")
            return
        if not opts["target"]:
            raise CommandError("请指定系统代码或密钥前缀。")
        actor = get_user_model().objects.filter(username=opts["actor"] or "", is_active=True).first()
        if actor is None:
            raise CommandError("请用 --actor 指定一个有效的管理员账号。")
        try:
            self._act(opts, actor)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None

    def _act(self, opts, actor) -> None:
        target = opts["target"]
        if opts["action"] == "save":
            codes = [code.strip() for code in (opts["units"] or "").split(",") if code.strip()]
            units = list(Unit.objects.filter(code__in=codes))
            missing = sorted(set(codes) - {unit.code for unit in units})
            if missing:
                raise CommandError(f"找不到单位：{'、'.join(missing)}")
            existing = ApiSystem.objects.filter(code=target).first()
            name = opts["name"] or (existing.name if existing else "")
            if not name:
                raise CommandError("请用 --name 指定系统名称。")
            system, issued = services.api_system_save(code=target, name=name, units=units, is_active=not opts["inactive"], actor=actor)
            self.stdout.write(f"已保存接入系统 {system.code}（{system.name}）。")
            if issued:
                self.stdout.write(f"密钥（只显示这一次，请妥善交给对方系统）：{issued.raw}")
        elif opts["action"] == "rotate":
            system = ApiSystem.objects.filter(code=target).first()
            if system is None:
                raise CommandError(f"找不到接入系统：{target}")
            issued = services.api_key_rotate(system=system, actor=actor, now=timezone.now())
            self.stdout.write(f"新密钥（只显示这一次）：{issued.raw}")
            self.stdout.write(f"旧密钥将于 {timezone.localtime(issued.replaced_until):%Y-%m-%d %H:%M} 失效。" if issued.replaced_until else "")
        else:
            key = ApiKey.objects.filter(prefix=target).first()
            if key is None:
                raise CommandError(f"找不到密钥：{target}")
            services.api_key_revoke(key=key, actor=actor)
            self.stdout.write(f"密钥 {key.prefix} 已吊销。")
