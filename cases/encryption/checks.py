"""System checks of the encryption keys: production must name a key source outside the database and
the application must be able to read it (else every record page would show its notice)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning

from . import keys


@register()
def encryption_keys(app_configs=None, **kwargs):
    if not keys.is_configured() and not settings.FIELD_ENCRYPTION_DEV_KEY:
        return [
            Error(
                "未配置数据加密密钥（SM4）。",
                hint="设置 FIELD_ENCRYPTION_KEY_FILE（密钥文件）、FIELD_ENCRYPTION_KEYS（环境变量）或 FIELD_ENCRYPTION_KEY_PROVIDER（密码机/密钥管理系统）。",
                id="registry.E030",
            )
        ]
    try:
        keys.current_key()
    except keys.EncryptionError as error:
        return [Error(f"无法取得当前数据加密密钥：{error}", id="registry.E031")]
    except Exception as error:  # noqa: BLE001 - a key manager's hook may fail in its own way
        return [Error(f"密钥管理接口出错：{type(error).__name__}: {error}", id="registry.E031")]
    key_file = settings.FIELD_ENCRYPTION_KEY_FILE
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    if key_file and Path(key_file).resolve().is_relative_to(root):
        return [
            CheckWarning(
                "数据加密密钥文件位于私有存储目录中，备份私有存储时会把密钥和密文放在一起。",
                hint="把 FIELD_ENCRYPTION_KEY_FILE 放到 PRIVATE_STORAGE_ROOT 之外，并单独保管其备份。",
                id="registry.W030",
            )
        ]
    return []
