"""Failures are exceptions with a code and a one-line message; findings are data.

A `ReportError` means no report could be produced for a file (empty, corrupt,
encrypted, not a report...). Anything short of that is a warning in the report.
"""
from __future__ import annotations

# code -> short reason; the code is stable, batch writes it to errors.jsonl
CODES = {
    "E001": "file not found",
    "E002": "empty file",
    "E003": "unsupported format",
    "E004": "cannot decode text",
    "E005": "binary data, not a document",
    "E006": "corrupt file",
    "E007": "encrypted",
    "E008": "no text layer (scanned?)",
    "E009": "file too large",
    "E010": "timed out",
    "E011": "not a report",
    "E012": "out of memory",
    "E013": "worker crashed",
    "E020": "bad configuration",
    "E030": "model missing or unreadable",
}


class ReportError(Exception):
    """A file could not be turned into a report. str() is the one-line message."""

    def __init__(self, code: str, path: str | None = None, detail: str | None = None):
        self.code = code
        self.path = path
        self.reason = CODES.get(code, "error")
        self.detail = detail
        super().__init__(self.message)

    @property
    def kind(self) -> str:
        return self.reason

    @property
    def message(self) -> str:
        where = f"{self.path}: " if self.path else ""
        extra = f" ({self.detail})" if self.detail else ""
        return f"{where}{self.reason}{extra} [{self.code}]".replace("\n", " ")
