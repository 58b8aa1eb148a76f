"""The embedded broker: kombu's filesystem transport without its races (issue 19).

kombu's filesystem transport (5.x) lets a reader see a half-written file, and a worker that reads one
dies with ``CRITICAL Unrecoverable error: JSONDecodeError``:

- ``_put`` creates the message file under its final name and writes it afterwards; a worker listing
  the folder in between moves the empty file away and parses ``""`` (celery/kombu#1551);
- the exchange tables under ``control_folder`` are created with ``open("wb")``, which empties the file
  before the lock is taken, and rewritten in place by every process that binds or deletes a queue, so
  concurrent pidbox/broadcast bindings leave invalid JSON behind (treeverse/dvc-task#73).

Here every file appears complete or not at all: it is written under a name no reader looks at and
renamed into place (``os.replace`` is atomic on one filesystem); a table is rewritten under a lock of
its own. A message that still cannot be decoded (a disk that filled up, a hand-edited file) is set
aside in ``damaged/`` and logged instead of stopping the worker: the broker is only a doorbell and the
database keeps what is owed (DESIGN §2), so the next sweep rings again.

The settings also keep remote control, events, mingle and gossip off on this transport (they are what
writes the pidbox/broadcast tables); with Redis nothing here is used.
"""

from __future__ import annotations

import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.transport.virtual import base as virtual_base
from kombu.utils.json import dumps, loads

log = logging.getLogger(__name__)

# A file being written carries this suffix: `<stem>.part` never ends in `.<queue>.msg`, so neither a
# worker's `_get` nor a queue count sees it.
PART_SUFFIX = ".part"


def write_atomically(path: Path | str, content: bytes) -> None:
    """Write `content` to `path` so that a reader finds the old file, no file, or the whole new one."""
    path = Path(path)
    part = path.with_name(f"~{uuid.uuid4().hex}{PART_SUFFIX}")
    with open(part, "wb") as handle:
        handle.write(content)
    os.replace(part, path)


def _queue_order(name: str) -> tuple[int, str]:
    """Oldest first: a message's name starts with the milliseconds it was put at; compared as text,
    "1234567_…" would come before "1_…"."""
    stamp, _, rest = name.partition("_")
    return (int(stamp), rest) if stamp.isdigit() else (-1, name)


def queued_messages(folder: Path | str, queue: str = "celery") -> int:
    """How many messages wait in `queue` (complete files only)."""
    ending = f".{queue}.msg"
    try:
        return sum(1 for name in os.listdir(folder) if name.endswith(ending))
    except FileNotFoundError:
        return 0


class Channel(filesystem.Channel):
    @property
    def _table_lock_path(self) -> Path:
        return self.control_folder / ".tables.lock"

    @contextmanager
    def _tables_locked(self):
        """One writer of the exchange tables at a time, across processes (readers need no lock:
        a table is replaced whole)."""
        self.control_folder.mkdir(parents=True, exist_ok=True)
        with open(self._table_lock_path, "a+b") as lock_file:
            filesystem.lock(lock_file, filesystem.LOCK_EX)
            try:
                yield
            finally:
                filesystem.unlock(lock_file)

    def get_table(self, exchange):
        file = self._exchange_file(exchange)
        try:
            content = file.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc
        try:
            return [filesystem.exchange_queue_t(*row) for row in loads(content.decode())]
        except ValueError:
            # Left by kombu's own writer before this one took over (an empty or torn file).
            log.error("exchange table %s is damaged and is ignored", file)
            return []

    def _rewrite_table(self, exchange, change) -> None:
        file = self._exchange_file(exchange)
        try:
            with self._tables_locked():
                rows = self.get_table(exchange)
                changed = change(rows)
                if changed is not None:
                    write_atomically(file, dumps(changed).encode())
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._rewrite_table(exchange, lambda rows: None if row in rows else [row, *rows])

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # The in-memory state (the base of kombu's filesystem channel), then the table on disk.
        virtual_base.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._rewrite_table(exchange, lambda rows: [kept for kept in rows if kept != row] if row in rows else None)

    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: written aside, then renamed into the queue folder."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        try:
            write_atomically(path, dumps(payload).encode())
        except OSError as exc:
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc

    def _get(self, queue):
        """Take the oldest message of `queue`. The file is renamed into the processed folder first
        (on the same filesystem, so exactly one worker wins it), then read."""
        ending = f".{queue}.msg"
        processed = Path(self.processed_folder)
        processed.mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(self.data_folder_in), key=_queue_order):
            if name.partition(".")[2] != ending[1:]:
                continue
            taken = processed / name
            try:
                os.rename(os.path.join(self.data_folder_in, name), taken)
            except OSError:
                continue  # another worker took it
            try:
                payload = taken.read_bytes()
            except OSError as exc:
                raise ChannelError(f"Cannot read file {str(taken)!r} from queue.") from exc
            try:
                message = loads(payload.decode())
            except ValueError:
                self._set_aside(taken)
                continue
            if not self.store_processed:
                taken.unlink(missing_ok=True)
            return message
        raise filesystem.Empty()

    def _set_aside(self, taken: Path) -> None:
        damaged = Path(self.data_folder_in).parent / "damaged"
        damaged.mkdir(parents=True, exist_ok=True)
        os.replace(taken, damaged / taken.name)
        log.error("broker message %s could not be decoded; kept in %s, the next sweep rings again", taken.name, damaged)

    def _size(self, queue):
        return queued_messages(self.data_folder_in, queue)


class Transport(filesystem.Transport):
    Channel = Channel
