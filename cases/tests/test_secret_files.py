"""Key files made on first use (SM4 keys, the SM2 signing key, the audit seal key): when many requests
start at once, one key is kept and nobody reads it half written (a full-suite run once caught
simultaneous quick captures reading an empty SM4 key file)."""

import stat
import threading

from cases.secret_files import secret_file_create


def test_simultaneous_first_uses_keep_one_whole_key(tmp_path):
    path = tmp_path / "keys" / "k.json"
    contents = [(f'{{"key": "{n:02d}"}}' * 2000).encode() for n in range(12)]
    barrier = threading.Barrier(len(contents) * 2)
    made, seen, errors = [], [], []

    def writer(content):
        barrier.wait()
        made.append(secret_file_create(path, content))

    def reader():
        barrier.wait()
        for _ in range(200):
            try:
                seen.append(path.read_bytes())
            except FileNotFoundError:
                continue
            except OSError as error:  # pragma: no cover - reported below
                errors.append(error)

    threads = [threading.Thread(target=writer, args=(c,)) for c in contents] + [threading.Thread(target=reader) for _ in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made.count(True) == 1 and len(made) == len(contents)
    kept = path.read_bytes()
    assert kept in contents
    assert errors == [] and all(copy == kept for copy in seen)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["k.json"]  # no temporary file left behind
    assert secret_file_create(path, b"other") is False and path.read_bytes() == kept
