"""The officer-entered fields of a record, shared by services and the integrity check."""

# Fields an officer fills in on the 登记表; everything else is set by services.
RECORD_FIELDS: tuple[str, ...] = (
    "case", "matter", "occurred_at", "place", "channel",
    "interferer", "interferer_name", "interferer_position", "interferer_unit", "interferer_kind",
    "proxy_relation", "behind_person", "behind_name", "behind_position",
    "letter_organization", "letter_number",
    "content", "nature", "response", "response_note", "missing_evidence_reason",
)  # fmt: skip
