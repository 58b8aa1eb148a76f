"""Key files the application makes for itself in development (the SM4 keys, the SM2 signing key, the
audit seal's HMAC key): written whole, readable by their owner only, never over an existing one."""

import os
import threading
from pathlib import Path


def secret_file_create(path: Path, content: bytes) -> bool:
    """Create `path` (mode 0600) holding `content`, unless it exists; True when this call made it.

    Written under a name of its own, then linked into place: the link fails if another process or
    thread got there first (its key is kept), and nobody ever reads a half-written key, which an
    O_EXCL create followed by a write would let a simultaneous first request do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True
