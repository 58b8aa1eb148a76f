"""`manage.py seed_demo`: the demo organisation (discipline.demo.seed), then the logins."""

from django.core.management.base import BaseCommand

from discipline.demo.seed import DEMO_PASSWORD, USERS, seed_demo


class Command(BaseCommand):
    help = "创建演示单位、每个角色一个账号、案件和若干记录，并打印登录信息（可重复运行）。"

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。登录地址 http://127.0.0.1:8000/ ，各账号密码均为：{DEMO_PASSWORD}"))
        for username, name, position, _unit_code, role, *_ in USERS:
            self.stdout.write(f"  {role:<13} {username:<10} {name}（{position}）")
