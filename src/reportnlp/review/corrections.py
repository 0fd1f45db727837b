"""Corrections: what a reviewer may change, and how a history of changes applies to a report.

A correction is an entry {op, path, old, new, time, reviewer}; a report's
corrections are an append-only history. `apply(original, history)` replays the
history on the extractor's JSON and gives the reviewed report; the original is
never modified. Paths are '/'-separated keys into the report dict:

    tables/t3/rows/<ROW>/<COL>    set   int >= 0, or null (cell absent)
    tables/t2/<BLOCK>/<FIELD>     set   number (per the table's template), or null
    tables/t4/<BLOCK>/<FIELD>     set   int >= 0, or null
    quantities/<i>/<FIELD>        set   value (number), unit, label, channel, category
    statements/<i>/kind|theme     set   from the contract's lists / the theme taxonomy
    media_outlets                 add   {"name": str}  (span: first occurrence in the text)
    media_outlets/<i>             remove
    (empty)                       status  "reviewed" | "unreviewed"
"""
from __future__ import annotations

import copy
import math
from typing import Any, Optional

from ..model import CATEGORIES, CHANNELS, THEMES
from . import layout

OPS = ("set", "add", "remove", "status")
STATUSES = ("reviewed", "unreviewed")
KINDS = ("problem", "improvement")
MAX_TEXT = 200


class CorrectionError(Exception):
    """A correction the reviewer sent cannot be accepted. `code` is for the error shape."""

    def __init__(self, message: str, code: str = "bad_correction", status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


# --- reading and writing by path -----------------------------------------------------


def split(path: str) -> list[str]:
    return [p for p in path.split("/")] if path else []


def get(doc: Any, path: str) -> Any:
    cur = doc
    for part in split(path):
        if isinstance(cur, list):
            if not part.isdigit() or int(part) >= len(cur):
                return None
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            if part not in cur:
                return None
            cur = cur[part]
        else:
            return None
    return cur


def _set(doc: dict, path: str, value: Any) -> None:
    parts = split(path)
    cur: Any = doc
    for part in parts[:-1]:
        if isinstance(cur, list):
            cur = cur[int(part)]
        else:
            if not isinstance(cur.get(part), (dict, list)):
                cur[part] = {}
            cur = cur[part]
    last = parts[-1]
    if isinstance(cur, list):
        cur[int(last)] = value
    elif value is None:
        cur.pop(last, None)
    else:
        cur[last] = value


# --- validation ------------------------------------------------------------------------


def _number(new: Any, *, integer: bool, signed: bool, path: str) -> Optional[float]:
    if new is None or new == "":
        return None
    if isinstance(new, str):
        s = new.strip().replace(",", "")
        try:
            new = float(s)
        except ValueError:
            raise CorrectionError(f"{path}: {new!r} is not a number") from None
    if isinstance(new, bool) or not isinstance(new, (int, float)) or not math.isfinite(new):
        raise CorrectionError(f"{path}: {new!r} is not a number")
    if not signed and new < 0:
        raise CorrectionError(f"{path}: must not be negative")
    if integer:
        if float(new) != int(new):
            raise CorrectionError(f"{path}: must be a whole number")
        return int(new)
    return int(new) if float(new).is_integer() else float(new)


def _text(new: Any, path: str, *, allow_empty: bool = True) -> str:
    if not isinstance(new, str):
        raise CorrectionError(f"{path}: must be text")
    new = " ".join(new.split())
    if len(new) > MAX_TEXT:
        raise CorrectionError(f"{path}: longer than {MAX_TEXT} characters")
    if not new and not allow_empty:
        raise CorrectionError(f"{path}: must not be empty")
    return new


def _choice(new: Any, allowed, path: str, *, nullable: bool = False):
    if nullable and new in (None, ""):
        return None
    if new not in allowed:
        raise CorrectionError(f"{path}: {new!r} is not one of {', '.join(allowed)}")
    return new


def normalize(report: dict, op: str, path: str, new: Any) -> tuple[str, str, Any]:
    """Check one requested correction against the (current, reviewed) report; return (op, path, new) cleaned."""
    if op not in OPS:
        raise CorrectionError(f"unknown op {op!r} (one of {', '.join(OPS)})")
    if not isinstance(path, str) or len(path) > 200:
        raise CorrectionError("path must be text")
    parts = split(path)
    if op == "status":
        return op, "", _choice(new, STATUSES, "status")
    if op == "add":
        if path != "media_outlets":
            raise CorrectionError(f"{path}: only media_outlets can be added to")
        name = new.get("name") if isinstance(new, dict) else new
        return op, path, {"name": _text(name, "media_outlets name", allow_empty=False)}
    if op == "remove":
        if len(parts) != 2 or parts[0] != "media_outlets" or not parts[1].isdigit():
            raise CorrectionError(f"{path}: only media_outlets/<i> can be removed")
        if get(report, path) is None:
            raise CorrectionError(f"{path}: no such outlet", "conflict", 409)
        return op, path, None
    # op == "set"
    tables = report.get("tables") or {}
    if len(parts) == 5 and parts[:3] == ["tables", "t3", "rows"]:
        row, col = parts[3], parts[4]
        ver = layout.version(report, "t3")
        rows = set(layout.t3_row_keys(ver)) | set((tables.get("t3") or {}).get("rows") or {})
        if row not in rows or col not in layout.t3_col_keys():
            raise CorrectionError(f"{path}: no such cell in table 3")
        return op, path, _number(new, integer=True, signed=False, path=path)
    if len(parts) == 4 and parts[:2] == ["tables", "t2"]:
        block, fld = parts[2], parts[3]
        fields = layout.t2_fields(layout.version(report, "t2"))
        if fld not in fields.get(block, ()):
            raise CorrectionError(f"{path}: no such cell in table 2")
        decimal = fld in layout.T2_DECIMAL
        return op, path, _number(new, integer=not decimal, signed=fld in layout.T2_SIGNED, path=path)
    if len(parts) == 4 and parts[:2] == ["tables", "t4"]:
        if parts[2] not in [b for b, _, _ in layout.T4_BLOCKS] or parts[3] not in [f for f, _ in layout.T4_FIELDS]:
            raise CorrectionError(f"{path}: no such cell in table 4")
        return op, path, _number(new, integer=True, signed=False, path=path)
    if len(parts) == 3 and parts[0] == "quantities" and parts[1].isdigit():
        if get(report, f"quantities/{parts[1]}") is None:
            raise CorrectionError(f"{path}: no such quantity")
        fld = parts[2]
        if fld == "value":
            v = _number(new, integer=False, signed=False, path=path)
            if v is None:
                raise CorrectionError(f"{path}: a quantity needs a value")
            return op, path, v
        if fld in ("unit", "label"):
            return op, path, _text(new, path)
        if fld == "channel":
            return op, path, _choice(new, CHANNELS, path, nullable=True)
        if fld == "category":
            return op, path, _choice(new, CATEGORIES, path, nullable=True)
        raise CorrectionError(f"{path}: this field of a quantity cannot be corrected here")
    if len(parts) == 3 and parts[0] == "statements" and parts[1].isdigit():
        if get(report, f"statements/{parts[1]}") is None:
            raise CorrectionError(f"{path}: no such statement")
        if parts[2] == "kind":
            return op, path, _choice(new, KINDS, path)
        if parts[2] == "theme":
            return op, path, _choice(new, THEMES, path)
    raise CorrectionError(f"{path}: cannot be corrected")


# --- applying a history ------------------------------------------------------------------


def _outlet_span(text: str, name: str, outlets: list[dict]) -> list[int]:
    """Evidence for an outlet the reviewer added: its first occurrence not already marked."""
    taken = {tuple(o.get("span") or ()) for o in outlets}
    start = text.find(name)
    while start >= 0:
        span = (start, start + len(name))
        if span not in taken:
            return list(span)
        start = text.find(name, start + 1)
    return [0, 0]


def _drop_missing(report: dict, path: str) -> None:
    """A cell the reviewer filled in is no longer missing."""
    parts = split(path)
    table = (report.get("tables") or {}).get(parts[1]) or {}
    missing = table.get("missing")
    if not isinstance(missing, list):
        return
    row, col = (parts[3], parts[4]) if parts[1] == "t3" else (parts[2], parts[3])
    table["missing"] = [m for m in missing if not (isinstance(m, dict) and m.get("row") == row and m.get("col") == col)]


def apply_one(report: dict, entry: dict) -> None:
    op, path, new = entry.get("op"), entry.get("path", ""), entry.get("new")
    if op == "set":
        _set(report, path, copy.deepcopy(new))
        if path.startswith("tables/") and new is not None:
            _drop_missing(report, path)
    elif op == "add":
        outlets = report.setdefault("media_outlets", [])
        item = dict(new)
        item.setdefault("span", _outlet_span(report.get("text", ""), item["name"], outlets))
        item["source"] = "review"
        outlets.append(item)
    elif op == "remove":
        # by value, not index: two reviewers removing different outlets at once
        # must each remove the one they saw
        outlets = report.get("media_outlets") or []
        old = entry.get("old")
        for i, o in enumerate(outlets):
            if o == old:
                del outlets[i]
                break


def data_changed(history: list[dict]) -> bool:
    return any(e.get("op") in ("set", "add", "remove") for e in history)


def apply(original: dict, history: list[dict]) -> dict:
    """The reviewed report: the history replayed on a copy of the original; checks re-run if data changed."""
    report = copy.deepcopy(original)
    for entry in history:
        apply_one(report, entry)
    if any(e.get("op") == "set" and e.get("path", "").startswith(("tables/", "quantities/")) for e in history):
        rerun_checks(report)
    return report


def rerun_checks(report: dict) -> None:
    """Recompute the checks on corrected data, so a fixed cell shows its check pass."""
    try:
        from ..model import Report
        from ..tables.checks import run_checks

        checks = run_checks(Report.model_validate(report))
        report["checks"] = [c.model_dump(mode="json") for c in checks]
    except Exception as e:  # checks are advisory here; the corrections themselves stand
        note = f"review: checks not re-run after corrections ({type(e).__name__})"
        if note not in report.setdefault("warnings", []):
            report["warnings"].append(note)
