"""Encryption at rest with SM4 (商用密码, GB/T 39786-2021: 存储数据的机密性).

Record content fields (``EncryptedTextField``) and evidence files (``cases.storage.EncryptedPrivateStorage``)
are stored as SM4-GCM ciphertext under keys kept outside the database:

- ``keys``: where keys come from (a key file, an environment variable, or a hardware key manager's
  provider named by ``FIELD_ENCRYPTION_KEY_PROVIDER``); every ciphertext names its key id, so old
  and new keys work side by side during a rotation;
- ``cipher``: the value and file formats;
- ``fields``: the model field (ciphertext in the database, plaintext in Python);
- ``rotation``: making a new key current and re-encrypting in the background
  (``manage.py encryption_rotate``, ``cases.tasks.encryption_reencrypt``).
"""

from .keys import EncryptionError, EncryptionKeyError

__all__ = ["EncryptionError", "EncryptionKeyError"]
