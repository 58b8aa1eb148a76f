"""The embedded broker (interference_registry.broker, issue 19): kombu's filesystem transport let a
worker read a message file before it was written and die with "Unrecoverable error: JSONDecodeError".
Here several processes put and take at once, as web, beat and worker do, and every message arrives
whole, exactly once; a damaged file is set aside instead of stopping the worker; exchange tables
bound from several processes at once stay valid and complete."""

from __future__ import annotations

import json
import multiprocessing
import queue
import time
import uuid
from pathlib import Path

import pytest
from kombu import Connection

from interference_registry.broker import PART_SUFFIX, queued_messages, write_atomically

TRANSPORT = "interference_registry.broker:Transport"


def _channel(folder: str):
    options = {
        "data_folder_in": f"{folder}/queue", "data_folder_out": f"{folder}/queue",
        "processed_folder": f"{folder}/processed", "control_folder": f"{folder}/control",
    }  # fmt: skip
    return Connection("filesystem://", transport=TRANSPORT, transport_options=options).default_channel


def _writer(folder: str, seconds: float, sent) -> None:
    channel, deadline, ids = _channel(folder), time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        ids.append(uuid.uuid4().hex)
        # A body of some size: kombu's writer left such files empty for a moment.
        channel._put("celery", {"id": ids[-1], "body": "x" * 4000})
        time.sleep(0.002)
    sent.put(ids)


def _reader(folder: str, seconds: float, received) -> None:
    channel, deadline, ids, errors = _channel(folder), time.monotonic() + seconds, [], []
    while time.monotonic() < deadline + 2:
        try:
            ids.append(channel._get("celery")["id"])
        except queue.Empty:
            if time.monotonic() > deadline + 1:
                break
        except ValueError as exc:  # what killed the worker
            errors.append(repr(exc))
    received.put((ids, errors))


@pytest.fixture
def folder(tmp_path) -> str:
    for name in ("queue", "processed", "control"):
        (tmp_path / name).mkdir()
    return str(tmp_path)


def test_concurrent_writers_and_readers_see_every_message_whole_and_once(folder):
    context = multiprocessing.get_context("spawn")
    sent, received = context.Queue(), context.Queue()
    writers = [context.Process(target=_writer, args=(folder, 4, sent)) for _ in range(3)]
    readers = [context.Process(target=_reader, args=(folder, 4, received)) for _ in range(2)]
    for process in writers + readers:
        process.start()
    written = [message for _ in writers for message in sent.get(timeout=60)]
    taken = [received.get(timeout=60) for _ in readers]
    for process in writers + readers:
        process.join(30)
    read = [message for ids, _errors in taken for message in ids]
    errors = [error for _ids, errors in taken for error in errors]
    assert len(written) > 500
    assert errors == []
    assert sorted(read) == sorted(written), "a message was lost or delivered twice"
    assert queued_messages(f"{folder}/queue") == 0


def test_a_damaged_message_is_set_aside_and_the_next_one_is_delivered(folder, caplog):
    channel = _channel(folder)
    (Path(folder) / "queue" / f"1_{uuid.uuid4()}.celery.msg").write_bytes(b"")  # left by kombu's own writer
    channel._put("celery", {"id": "good"})
    assert channel._get("celery") == {"id": "good"}
    damaged = list((Path(folder) / "damaged").iterdir())
    assert len(damaged) == 1 and damaged[0].read_bytes() == b""
    assert "could not be decoded" in caplog.text
    with pytest.raises(queue.Empty):
        channel._get("celery")


def test_messages_are_taken_oldest_first_whatever_the_length_of_their_stamp(folder):
    # Named by the milliseconds they were put at: as text "1234567_" sorts before "1_" and "99_".
    queue_folder = Path(folder) / "queue"
    for stamp in ("1234567", "1", "99"):
        (queue_folder / f"{stamp}_{uuid.uuid4()}.celery.msg").write_text(json.dumps({"id": stamp}))
    channel = _channel(folder)
    assert [channel._get("celery")["id"] for _ in range(3)] == ["1", "99", "1234567"]


def _binder(folder: str, names: list[str]) -> None:
    channel = _channel(folder)
    for name in names:
        channel._queue_bind("celery.pidbox", "", "", name)


def test_exchange_tables_bound_from_several_processes_stay_valid_and_complete(folder):
    context = multiprocessing.get_context("spawn")
    names = [[f"worker{p}-{i}.celery.pidbox" for i in range(40)] for p in range(4)]
    processes = [context.Process(target=_binder, args=(folder, chunk)) for chunk in names]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    table = json.loads((Path(folder) / "control" / "celery.pidbox.exchange").read_text())
    assert sorted(row[2] for row in table) == sorted(name for chunk in names for name in chunk)
    channel = _channel(folder)
    channel._delete(names[0][0], "celery.pidbox", "", "")
    assert names[0][0] not in {row.queue for row in channel.get_table("celery.pidbox")}
    assert len(channel.get_table("celery.pidbox")) == 159


def test_files_being_written_are_not_counted_and_a_replaced_file_is_whole(tmp_path):
    (tmp_path / f"~{uuid.uuid4().hex}{PART_SUFFIX}").write_bytes(b"{")
    (tmp_path / f"1_{uuid.uuid4()}.celery.msg").write_bytes(b"{}")
    (tmp_path / f"2_{uuid.uuid4()}.other.msg").write_bytes(b"{}")
    assert queued_messages(tmp_path) == 1 and queued_messages(tmp_path, "other") == 1
    assert queued_messages(tmp_path / "missing") == 0
    target = tmp_path / "table.exchange"
    write_atomically(target, b"[1]")
    write_atomically(target, b"[1, 2]")
    assert target.read_bytes() == b"[1, 2]"
