"""The audit log (全程留痕，有据可查): writing events, sealing them into a hash chain, verifying it.

Events are written by services and access helpers inside their transaction, never by signals, so
Celery tasks and management commands are audited too, and `QuerySet.update()` or `bulk_create` in a
service cannot slip past a save() hook.

Sealing is separate from writing: `seal_chain` gives unsealed events their place (`seq`), the
previous event's hash and their own, in the order they became visible (committed). Writers never
wait for one another on a chain lock; the sealer runs every minute (Celery beat) and before every
verification. Once sealed, an event cannot be changed or deleted (a PostgreSQL trigger refuses it),
and a change made anyway by whoever owns the database breaks the chain from that event on.

A chain can be cut short without breaking a link (its newest events deleted, or all of them), so
each seal also writes the head it reached to a file outside the database (`anchor_path`), and
verification checks that the anchored head is still in the chain, with the same hash. A head
exported by discipline staff (views.audit_head_export) is the same kind of anchor, kept further
away, and can be checked the same way (`verify_audit_chain --head FILE`).

商用密码 (issue 23): new links are SM3, older ones keep SHA-256; each event says which
(`hash_algorithm`) and verification recomputes each link with its own (cases.sm). The anchored head
is sealed with HMAC-SM3 under a key kept outside the database (cases.audit_seal), so a rebuilt chain
with a rewritten anchor file is caught too.
"""

import datetime as dt
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import sm
from .audit_seal import MAC_NAME, SealKeyError, seal_head, seal_key, seal_problem
from .hooks import Hook
from .middleware import current_client_ip, current_request_id
from .models import AuditEvent, AuditVerification
from .vocabulary import audit_event_types

log = logging.getLogger(__name__)

GENESIS = "0" * 64
FINDINGS_PER_CHECK = 100
# Any constant: the key of the PostgreSQL advisory lock that lets one sealer run at a time.
_SEAL_LOCK_KEY = 7_202_611


def audit(*, type: str, actor, obj: models.Model | None = None, data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one audit event for `actor` doing `type` to `obj`, with the request id and address of
    the current request (empty for tasks and commands). `type` must be declared in a vocabulary
    (cases.vocabulary): an undeclared one would show without a label for ever."""
    if type not in audit_event_types:
        raise ValueError(f"audit event type {type!r} is not declared in any app's vocabulary (cases.vocabulary)")
    return AuditEvent.objects.create(
        type=type,
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
        request_id=current_request_id(),
        ip=current_client_ip() or None,
    )


def canonical(event: AuditEvent) -> bytes:
    """The bytes an event's hash covers: every field but the chain's own, in a fixed form."""
    return json.dumps(
        {
            "type": event.type,
            "actor": event.actor_id,
            "at": event.occurred_at.isoformat(timespec="microseconds"),
            "object_type": event.object_type,
            "object_id": event.object_id,
            "data": event.data,
            "request_id": event.request_id,
            "ip": event.ip or "",
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    """The event's link, under the algorithm the event records (SM3 for new events, SHA-256 for those
    sealed before the switch). An unknown algorithm raises ValueError."""
    return sm.digest(event.hash_algorithm, prev_hash.encode() + b"\n" + canonical(event))


def _lock_sealer() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])


@contextmanager
def sealing_paused() -> Iterator[tuple[int, str] | None]:
    """Hold the sealers' lock in a transaction and yield the chain head: while inside, no event is
    sealed and the anchor file does not move, so a copy of the database taken inside (a backup) holds
    exactly this head and the anchor on file. On SQLite the transaction is an immediate one, which
    holds every writer off: keep it short."""
    with transaction.atomic():
        _lock_sealer()
        yield chain_head()


def seal_chain(*, batch: int = 5000) -> int:
    """Seal every committed unsealed event, oldest first, then anchor the head outside the database.
    Returns how many were sealed."""
    # Only the seal that starts a chain may create the anchor file (see _advance_anchor).
    fresh = not AuditEvent.objects.filter(seq__isnull=False).exists()
    sealed = 0
    while True:
        with transaction.atomic():
            _lock_sealer()
            head = chain_head()
            seq, prev = head if head else (0, GENESIS)
            # Re-read from the database so the hash covers exactly what is stored (JSON, timestamps).
            pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not pending:
                break
            for event in pending:
                seq += 1
                event.seq = seq
                event.prev_hash = prev
                event.hash = link_hash(prev, event)
                prev = event.hash
            AuditEvent.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
            sealed += len(pending)
    # After the commit, under the sealers' lock: the head written is committed, and two sealers
    # cannot write an older head over a newer one.
    with transaction.atomic():
        _lock_sealer()
        _advance_anchor(fresh=fresh)
    return sealed


class AnchorError(ValueError):
    """An anchor that cannot be read as a chain head."""


@dataclass(frozen=True)
class Anchor:
    """A chain head kept outside the database: the chain must still hold it, with this hash."""

    seq: int
    hash: str
    at: str = ""  # when it was anchored, as written (ISO for the anchor file)
    source: str = "链外锚定文件"  # what kept it, for findings
    mac: str = ""  # HMAC-SM3 of (seq, hash, at) under the sealing key (cases.audit_seal); empty before sealing existed
    key_id: str = ""  # the public id of the key that sealed it

    def seal_problem(self) -> str | None:
        """What is wrong with the seal, or None when it holds (or there is none to check)."""
        if not self.mac:
            return None
        return seal_problem(self.seq, self.hash, self.at, mac=self.mac, key_id=self.key_id, source=self.source)

    def as_line(self) -> str:
        """The sealed head on one line without quotes or commas, so it survives a CSV cell and a
        printout and `parse_head` finds it in any text."""
        return f"seq={self.seq};hash={self.hash};anchored_at={self.at};{MAC_NAME}={self.mac};key_id={self.key_id}"


def anchor_path() -> Path:
    """The anchor file (settings.AUDIT_ANCHOR_FILE, relative to the private storage unless absolute).
    Read on every use, so tests and deployments can move the private storage."""
    return Path(settings.PRIVATE_STORAGE_ROOT) / settings.AUDIT_ANCHOR_FILE


def write_anchor(seq: int, head_hash: str, *, now: dt.datetime) -> None:
    """Replace the anchor file with this head, sealed with HMAC-SM3 (SealKeyError without a key).

    One small file replaced atomically (written beside it, then renamed: a crash leaves the old head
    or the new one, never half a file) rather than an append-only log: the newest head vouches for
    the whole chain before it, verification reads one line instead of a line per minute since
    installation, and the history of heads is kept further away anyway (exported heads, the annual
    reports). The sealer never writes over a head the chain no longer holds (_advance_anchor), so
    replacing loses no evidence."""
    at = now.isoformat()
    seal = seal_head(seq, head_hash, at, key=seal_key())
    payload = json.dumps({"seq": seq, "hash": head_hash, "anchored_at": at, "mac": MAC_NAME, "hmac": seal.mac, "key_id": seal.key_id}) + "\n"
    replace_anchor(payload.encode())


def replace_anchor(content: bytes) -> None:
    """Replace the anchor file with `content`: written beside it, synced, then renamed over it."""
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _export_seq_labels() -> set[str]:
    """How the exported head labels its sequence line, in every language it may be exported in."""
    labels = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.add(gettext("链头序号：%(seq)s").split("%(seq)s")[0].strip())
    return labels


_SEALED_LINE = re.compile(
    rf"seq=(?P<seq>\d+);hash=(?P<hash>[0-9a-f]{{64}});anchored_at=(?P<at>[^;\s]*);{MAC_NAME}=(?P<mac>[0-9a-f]{{64}});key_id=(?P<key_id>[0-9a-f]*)"
)


def parse_head(text: str, *, source: str) -> Anchor:
    """A chain head from an anchor file (JSON) or from a head exported by views.audit_head_export."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        try:
            return Anchor(
                seq=int(data["seq"]), hash=str(data["hash"]), at=str(data.get("anchored_at", "")), source=source,
                mac=str(data.get("hmac", "")), key_id=str(data.get("key_id", "")),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as error:
            raise AnchorError(f"缺少链头序号或哈希（{error}）") from error
    sealed = _SEALED_LINE.search(text)
    if sealed:
        return Anchor(seq=int(sealed["seq"]), hash=sealed["hash"], at=sealed["at"], source=source, mac=sealed["mac"], key_id=sealed["key_id"])
    labels = _export_seq_labels()
    seq = next(
        (line.strip()[len(label) :].strip() for line in text.splitlines() for label in labels if line.strip().startswith(label)),
        None,
    )
    found_hash = re.search(r"\b[0-9a-f]{64}\b", text)
    if seq is None or not seq.isdigit() or found_hash is None:
        raise AnchorError("找不到链头序号和哈希")
    return Anchor(seq=int(seq), hash=found_hash.group(0), source=source)


def read_anchor() -> Anchor | None:
    """The anchored head, or None when no anchor file exists. Raises AnchorError when unreadable."""
    try:
        text = anchor_path().read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise AnchorError(str(error)) from error
    return parse_head(text, source="链外锚定文件")


def _advance_anchor(*, fresh: bool) -> None:
    """Anchor the current head, unless the anchor on file says the chain was tampered with: a head
    the chain no longer holds (its tail deleted, or rebuilt from an earlier event on) stays on file
    for verification to report, and a missing anchor is recreated only by the seal that started the
    chain (a fresh installation), not by every later one."""
    head = chain_head()
    if head is None:
        return
    try:
        anchor = read_anchor()
    except AnchorError:
        log.error("audit chain anchor %s is unreadable; left as it is for verification", anchor_path())
        return
    if anchor is None and not fresh:
        log.error("audit chain anchor %s is missing; not recreated, verification reports it", anchor_path())
        return
    if anchor is not None:
        if anchor.seq >= head[0]:
            return
        if not anchor.mac or anchor.seal_problem():
            log.error("the audit chain anchor's seal does not hold (or it has none); anchor kept for verification")
            return
        if AuditEvent.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first() != anchor.hash:
            log.error("the audit chain no longer holds the anchored head %s; anchor kept for verification", anchor.seq)
            return
    try:
        write_anchor(head[0], head[1], now=timezone.now())
    except SealKeyError as error:
        log.error("audit chain anchor not written: %s", error)
    except OSError:
        # The events are sealed all the same; the anchor catches up at the next seal that can write.
        log.exception("could not write the audit chain anchor %s", anchor_path())


def _described(anchor: Anchor) -> str:
    """Where an anchor came from and, when known, when it was anchored (local time)."""
    try:
        moment = dt.datetime.fromisoformat(anchor.at)
    except ValueError:
        return anchor.source
    if timezone.is_naive(moment):
        return anchor.source
    return f"{anchor.source}（{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}锚定）"


@dataclass
class ChainReport:
    """What a verification found. `problems` holds human-readable findings, first broken link first."""

    events_checked: int = 0
    unsealed: int = 0
    head_seq: int | None = None
    head_hash: str = ""
    problems: list[str] = field(default_factory=list)
    # A link does not verify: the events after it vouch for nothing. (A chain that is only cut short
    # still vouches for what it holds.)
    broken: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def add_findings(self, problems: Iterable[str]) -> None:
        """Add one check's findings: the first FINDINGS_PER_CHECK and how many more (a database loaded
        in bulk without events must not yield a stored report of millions of lines)."""
        count = 0
        for problem in problems:
            count += 1
            if count <= FINDINGS_PER_CHECK:
                self.problems.append(problem)
        if count > FINDINGS_PER_CHECK:
            self.problems.append(f"……同类问题另有{count - FINDINGS_PER_CHECK}项")


def verify_chain(*, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Walk the sealed chain in order and recompute every link (stops at the first broken one), and
    check that it still holds the anchored head and any other `anchors` (exported heads)."""
    report = ChainReport(unsealed=AuditEvent.objects.filter(seq__isnull=True).count())
    # Read before the walk: a seal during the walk can only anchor a head the walk may not reach.
    anchor_problem = ""
    try:
        stored = read_anchor()
    except AnchorError as error:
        stored, anchor_problem = None, f"链外锚定文件（{anchor_path()}）无法读取：{error}"
    checkpoints: dict[int, list[Anchor]] = {}
    for anchor in [stored, *anchors] if stored else anchors:
        checkpoints.setdefault(anchor.seq, []).append(anchor)
    seal_problems = [problem for anchor in [stored, *anchors] if anchor for problem in [anchor.seal_problem()] if problem]
    if stored is not None and not stored.mac:
        seal_problems.append(f"链外锚定文件（{anchor_path()}）没有链头封印（HMAC-SM3）：可能被替换为未封印的链头")
    expected_seq, prev = 1, GENESIS
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        report.events_checked += 1
        if event.seq != expected_seq:
            report.problems.append(f"审计链在第{expected_seq}号断开：缺失或插入了事件（实际为第{event.seq}号，事件ID {event.pk}）")
            report.broken = True
            break
        if event.prev_hash != prev:
            report.problems.append(f"审计链在第{event.seq}号断开：前一事件哈希不符（事件ID {event.pk}）")
            report.broken = True
            break
        try:
            recomputed = link_hash(prev, event)
        except ValueError:
            recomputed = None
        if recomputed != event.hash:
            report.problems.append(f"审计链在第{event.seq}号断开：事件内容被修改（事件ID {event.pk}，{event.get_type_display()}）")
            report.broken = True
            break
        report.problems.extend(
            f"审计链第{event.seq}号的哈希与{_described(anchor)}记载的链头不符：此前的事件被改写或链被重建"
            for anchor in checkpoints.get(event.seq, ())
            if anchor.hash != event.hash
        )
        prev = event.hash
        expected_seq += 1
    report.head_seq = expected_seq - 1 if expected_seq > 1 else None
    report.head_hash = prev if expected_seq > 1 else ""
    if not report.broken:
        report.problems.extend(
            f"审计链在第{report.head_seq or 0}号后缺失事件：{_described(anchor)}记载的链头为第{anchor.seq}号，链尾被删除"
            for seq, kept in sorted(checkpoints.items())
            if seq > (report.head_seq or 0)
            for anchor in kept
        )
    report.problems.extend(seal_problems)
    if anchor_problem:
        report.problems.append(anchor_problem)
    elif stored is None and report.events_checked:
        report.problems.append(f"链外锚定文件（{anchor_path()}）缺失，而审计链已有{report.events_checked}个封存事件：无法确认链尾未被删除")
    return report


def chain_head() -> tuple[int, str] | None:
    """(seq, hash) of the last sealed event, for anchoring outside the database."""
    return AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()


# Checks of the content the chain vouches for (records: submitted records, amendments, evidence;
# discipline: review conclusions, handling decisions, sanctions, tolerance evidence). The apps that own
# that content register their checks in AppConfig.ready(), in INSTALLED_APPS order (records first);
# each is called as verifier(report, check_files=...), check_files saying whether stored files are re-hashed.
content_verifiers = Hook("content_verifiers")


def audit_verify(*, check_files: bool = True, anchors: Sequence[Anchor] = (), actor) -> AuditVerification:
    """Seal pending events, verify the chain (against the anchored head and any exported heads in
    `anchors`) and the content it vouches for (`content_verifiers`), and store the result (shown to
    discipline staff)."""
    seal_chain()
    report = verify_chain(anchors=anchors)
    # Content is compared unless a link is broken: a chain cut short (anchor findings) still vouches
    # for the events it holds, and the content checks then tell what the missing events covered.
    if not report.broken:
        content_verifiers.run(report=report, check_files=check_files)
    return AuditVerification.objects.create(
        ran_at=timezone.now(),
        ok=report.ok,
        events_checked=report.events_checked,
        unsealed=report.unsealed,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        problems=report.problems,
        actor=actor if getattr(actor, "pk", None) else None,
    )
