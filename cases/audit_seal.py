"""The seal on the audit chain head (商用密码, GB/T 39786-2021 8.3 d): the head anchored outside the
database carries an HMAC-SM3 under a key that is not in the database either.

The anchor file alone shows a chain cut short, but whoever can write the private storage could
write a new anchor for a chain they rebuilt. With the seal they also need the key, which production
keeps elsewhere: in the environment (AUDIT_SEAL_KEY) or in a file outside the private storage
(AUDIT_SEAL_KEY_FILE, e.g. on a volume only the application's user reads). Development and tests
generate a key file in the private storage (AUDIT_SEAL_KEY_GENERATE); production settings turn that
off and a system check (cases.checks) refuses to start without a key.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import sm
from .secret_files import secret_file_create

MIN_KEY_BYTES = 32
MAC_NAME = "hmac-sm3"


class SealKeyError(Exception):
    """The sealing key cannot be had; the message says why, in Chinese, for the operator."""


def key_file_path() -> Path:
    """AUDIT_SEAL_KEY_FILE, relative to the private storage unless absolute (read on every use, so
    tests and deployments can move the private storage)."""
    return Path(settings.PRIVATE_STORAGE_ROOT) / settings.AUDIT_SEAL_KEY_FILE


def _checked(key: bytes, source: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise SealKeyError(f"审计链封存密钥（{source}）过短：至少{MIN_KEY_BYTES}字节，实际{len(key)}字节")
    return key


def seal_key() -> bytes:
    """The key: AUDIT_SEAL_KEY when set, else the key file (created with a random key when
    AUDIT_SEAL_KEY_GENERATE allows it and it does not exist). SealKeyError when neither works."""
    if settings.AUDIT_SEAL_KEY:
        return _checked(settings.AUDIT_SEAL_KEY.encode(), "环境变量 AUDIT_SEAL_KEY")
    path = key_file_path()
    try:
        return _checked(path.read_bytes().strip(), f"密钥文件 {path}")
    except FileNotFoundError:
        if not settings.AUDIT_SEAL_KEY_GENERATE:
            raise SealKeyError(f"未配置审计链封存密钥：密钥文件 {path} 不存在，且未设置环境变量 AUDIT_SEAL_KEY") from None
    except OSError as error:
        raise SealKeyError(f"无法读取审计链封存密钥文件 {path}：{error.strerror or error}") from error
    return _generate(path)


def _generate(path: Path) -> bytes:
    """A new random key in `path`, readable by its owner only; a concurrent generator's key wins."""
    key = secrets.token_hex(MIN_KEY_BYTES).encode()
    if not secret_file_create(path, key + b"\n"):
        return _checked(path.read_bytes().strip(), f"密钥文件 {path}")
    return key


def _payload(seq: int, head_hash: str, at: str) -> bytes:
    return f"{seq}\n{head_hash}\n{at}".encode()


@dataclass(frozen=True)
class Seal:
    mac: str
    key_id: str


def seal_head(seq: int, head_hash: str, at: str, *, key: bytes) -> Seal:
    """The seal of a head anchored at `at` (as written in the anchor)."""
    return Seal(mac=sm.hmac_sm3(key, _payload(seq, head_hash, at)), key_id=sm.key_id(key))


def seal_problem(seq: int, head_hash: str, at: str, *, mac: str, key_id: str, source: str) -> str | None:
    """What is wrong with a sealed head, in Chinese, or None when the seal holds under the current
    key. A key other than the sealing one is said as such (its public id differs), not as tampering."""
    try:
        key = seal_key()
    except SealKeyError as error:
        return f"无法核对{source}的链头封印：{error}"
    if key_id and key_id != sm.key_id(key):
        return (
            f"{source}的链头封印所用密钥（标识 {key_id}）与当前配置的审计链封存密钥（标识 {sm.key_id(key)}）不一致："
            "请检查 AUDIT_SEAL_KEY 或 AUDIT_SEAL_KEY_FILE 是否为封存时所用密钥"
        )
    if not sm.hmac_matches(key, _payload(seq, head_hash, at), mac):
        return f"{source}的链头封印（HMAC-SM3）不符：链头序号、哈希或锚定时间被改动"
    return None
