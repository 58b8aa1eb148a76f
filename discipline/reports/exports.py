"""The ledger (台账, R-LEDGER) and the dashboard's tables as .xlsx (openpyxl): Chinese headers,
dates as real dates (Asia/Shanghai), frozen header row, column widths, the filter on top.
Rows are streamed from the database in chunks (write-only workbook). Every cell is written through
`_cell`, so text typed by users (an interferer's name, a matter) is never a live formula."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from cases.formats import cn_date
from records.calendar.dates import local_date

LEDGER_COLUMNS = [
    ("登记编号", 16), ("过问日期", 12), ("记录单位", 22), ("过问人", 14), ("过问人职务", 16), ("过问人类别", 20),
    ("领导干部（幕后）", 14), ("过问方式", 16), ("定性", 12), ("涉及案件或事项", 36), ("过问内容", 48), ("处置情况", 24),
    ("状态", 10), ("报送期限", 12), ("报送日期", 12), ("按时报送", 10), ("核实结论", 14), ("核实情况", 48), ("处理方式", 16),
    ("处理情况", 48),
]  # fmt: skip
# 处置情况 is the recorder's response as the 登记表 names it (拒绝, 告知依程序办理…, as on the record's
# page); 处理情况 is what the discipline body decided and how its notice went.
MAX_ROWS = 100_000
# A text beginning with one of these is read as a formula by Excel or WPS when typed, pasted or saved as
# CSV (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(ws, value, *, font: Font | None = None) -> WriteOnlyCell:
    """A cell holding `value` as what it is. Text is stored as a string (openpyxl would store
    `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` as a formula) and, when it begins like a formula, with
    Excel's quote prefix: shown verbatim without a visible apostrophe, and still text when the reader
    edits the cell. Control characters the file format cannot hold are dropped (openpyxl refuses
    them). Dates get a date format."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif hasattr(value, "isoformat"):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    return cell


def _header(ws, columns, title: str, filters: list[tuple[str, str]]):
    bold = Font(bold=True)
    ws.freeze_panes = "A5"  # the header row (row 4) stays visible; write-only sheets need it first
    for i, (_name, width) in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append([_cell(ws, title, font=Font(bold=True, size=14))])
    ws.append([_cell(ws, "筛选条件：" + ("；".join(f"{k}：{v}" for k, v in filters) if filters else "无（全部）"))])
    ws.append([])
    ws.append([_cell(ws, name, font=bold) for name, _w in columns])


def handling_text(handling) -> str:
    """处理情况 of a ledger row: the decision, the internal notice or the notice letter and how far it went."""
    parts = [handling.decision.strip()]
    if handling.internal_notice.strip():
        parts.append(f"通报：{handling.internal_notice.strip()}" + (f"（{cn_date(handling.internal_notice_on)}）" if handling.internal_notice_on else ""))
    letter = getattr(handling, "letter", None)
    if letter is not None:
        steps = [f"{label}{cn_date(day)}" for label, day in (("发出", letter.sent_on), ("签收", letter.acknowledged_on), ("收到处理结果", letter.outcome_received_on)) if day]
        parts.append(f"通报函{letter.number}，主送{letter.addressee}" + (f"，{'，'.join(steps)}" if steps else "，尚未发出"))
        if letter.outcome.strip():
            parts.append(f"对方处理结果：{letter.outcome.strip()}")
    return "；".join(p for p in parts if p)


def ledger_xlsx(qs, filters: list[tuple[str, str]], title: str) -> tuple[bytes, int]:
    """The ledger rows of `qs` (already filtered and scoped) as an .xlsx; returns (bytes, rows)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    _header(ws, LEDGER_COLUMNS, title, filters)
    n = 0
    for r in qs.iterator(chunk_size=2000):
        if n >= MAX_ROWS:
            break
        review = getattr(r, "review", None)
        handling = getattr(r, "handling", None)
        case = f"{r.case.number} {r.case.title}" if r.case_id else r.matter
        submitted = local_date(r.submitted_at) if r.submitted_at else None
        on_time = None if not r.submitted_at else ("是" if r.submitted_at <= r.due_at else "否（逾期）")
        row = [
            r.serial, local_date(r.occurred_at), r.recorder_unit.name, r.interferer_name, r.interferer_position,
            r.get_interferer_kind_display(), r.behind_name, r.get_channel_display(), r.get_nature_display(), case, r.content,
            "：".join(filter(None, (r.get_response_display() if r.response else "", r.response_note.strip()))),
            r.get_status_display(), local_date(r.due_at), submitted, on_time,
            review.get_conclusion_display() if review and review.conclusion else "", review.findings if review else "",
            handling.get_kind_display() if handling else "", handling_text(handling) if handling else "",
        ]  # fmt: skip
        ws.append([_cell(ws, value) for value in row])
        n += 1
    out = BytesIO()
    wb.save(out)
    return out.getvalue(), n


def tables_xlsx(tables: list[tuple[str, list]], filters: list[tuple[str, str]], title: str) -> bytes:
    """The dashboard's tables: one sheet per table (label, count)."""
    wb = Workbook(write_only=True)
    for name, figures in tables:
        ws = wb.create_sheet(name[:31])
        _header(ws, [(name.removeprefix("按") or "项目", 36), ("条数", 10)], f"{title} · {name}", filters)
        for f in figures:
            ws.append([_cell(ws, f.label), _cell(ws, f.count)])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
