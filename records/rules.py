"""Pure rules about a record's content (no ORM, no clock)."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

# R-CONTENT (赤峰 002 第五条): "通过口头、电话过问的，应如实记录文字材料，有条件录音的，应当电话录音；
# 通过电子信息过问的，应当提供电子信息；通过纸质文字过问的，应当提供纸质材料。"
# The written account (文字材料) is the record's own `content`, required for every channel. Beyond it,
# each channel expects one of these evidence kinds; an organisation's letter (广元 001 第五条 "如实记录
# 并留存相关材料") is paper or electronic. Oral and meeting channels need nothing beyond the account.
EXPECTED_EVIDENCE: dict[str, frozenset[str]] = {
    "oral": frozenset(),
    "meeting": frozenset(),
    "phone": frozenset({"recording"}),
    "electronic": frozenset({"electronic"}),
    "paper": frozenset({"paper_scan"}),
    "org_letter": frozenset({"paper_scan", "electronic"}),
}

_EXPECTED_LABEL = {
    "phone": "电话录音",
    "electronic": "电子信息（截图或导出文件）",
    "paper": "纸质材料扫描件",
    "org_letter": "来文来函（扫描件或电子文件）",
}


def missing_evidence(channel: str, evidence_kinds: Iterable[str], reason: str) -> str | None:
    """Return an error message when the channel's expected evidence is absent and no reason is given
    (R-CONTENT, 002 第五条), else None."""
    expected = EXPECTED_EVIDENCE.get(channel, frozenset())
    if not expected or expected & set(evidence_kinds) or reason.strip():
        return None
    return _("以“%(channel)s”方式过问的，应当留存%(what)s；无法提供的，请在“未留存材料说明”中写明原因。") % {
        "channel": {"phone": "电话", "electronic": "电子信息", "paper": "纸质书面", "org_letter": "组织发文发函"}[
            channel
        ],
        "what": _EXPECTED_LABEL[channel],
    }


def expected_evidence_hint(channel: str) -> str:
    """What the officer should keep for a channel, shown next to the evidence inputs."""
    return _EXPECTED_LABEL.get(channel, "")


def norm_name(name: str) -> str:
    """A written name without any white space (ASCII or ideographic): "王 刚" and "王　刚" are 王刚."""
    return "".join(name.split())


def is_party_to(
    *, person_id: int | None, person_name: str, interferer_id: int | None, interferer_name: str, behind_id: int | None, behind_name: str
) -> bool:
    """Whether a person is the interferer of a record or the leader behind it. Such a person never
    learns of the record, not even of its being overdue (000 第七条, 001 第六条: recorders are
    protected; "领导干部不得对报告人员打击报复"). Matched by registry link, or by the written name when
    the record has no link (a false match only withholds a notice, never shows one)."""
    if person_id is not None and person_id in (interferer_id, behind_id):
        return True
    name = norm_name(person_name)
    return bool(name) and name in (norm_name(interferer_name), norm_name(behind_name))
