"""Password history (issue 23). Accounts that already have a local password start their history with
it, set now and not temporary: their 90 days run from this migration, and nobody is asked to change a
password at the next sign-in merely because the history is new."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def record_current_passwords(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    PasswordHistory = apps.get_model("cases", "PasswordHistory")
    now = django.utils.timezone.now()
    # An unusable password starts with "!" (django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX).
    rows = User.objects.exclude(password="").exclude(password__startswith="!").values_list("pk", "password")
    PasswordHistory.objects.bulk_create([PasswordHistory(user_id=pk, password=encoded, set_at=now) for pk, encoded in rows.iterator()], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0024_role_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PasswordHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='密码散列')),
                ('set_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='设置时间')),
                ('temporary', models.BooleanField(default=False, verbose_name='须在登录后修改')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='password_history', to=settings.AUTH_USER_MODEL, verbose_name='账户')),
            ],
            options={
                'verbose_name': '历史密码',
                'verbose_name_plural': '历史密码',
                'ordering': ['-set_at', '-id'],
                'indexes': [models.Index(fields=['user', '-set_at'], name='password_history_user_idx')],
            },
        ),
        migrations.RunPython(record_current_passwords, migrations.RunPython.noop),
    ]
