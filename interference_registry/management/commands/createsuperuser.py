"""Django's createsuperuser, refused in production for any account but the break-glass one
(三员分立, issue 23: a superuser bypasses the separation of the three administrators), and audited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError

from cases.audit import audit
from cases.vocabulary import AccountEvent


class Command(createsuperuser.Command):
    help = "创建超级用户；生产环境只允许创建 BREAK_GLASS_USERNAME 指定的应急账号。"

    def handle(self, *args, **options):
        User = get_user_model()
        username = options.get(User.USERNAME_FIELD) or ""
        if not settings.SUPERUSERS_ALLOWED:
            if not settings.BREAK_GLASS_USERNAME:
                raise CommandError("生产环境不允许创建超级用户：未设置应急账号（BREAK_GLASS_USERNAME）。三员分立下请分别创建系统管理员、安全保密管理员和安全审计员账号。")
            if username != settings.BREAK_GLASS_USERNAME:
                raise CommandError(
                    f"生产环境只允许创建应急账号 {settings.BREAK_GLASS_USERNAME}（BREAK_GLASS_USERNAME），请用 --username {settings.BREAK_GLASS_USERNAME}。"
                )
        before = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in User.objects.filter(is_superuser=True).exclude(pk__in=before):
            audit(type=AccountEvent.SUPERUSER_CREATED, actor=None, obj=user, data={"username": user.get_username(), "via": "createsuperuser"})
