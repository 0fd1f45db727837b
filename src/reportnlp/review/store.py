"""The batch output folder as the review app sees it.

Reads OUT/json/<name>.json (never writes there) and OUT/errors.jsonl; keeps each
report's corrections in OUT/corrections/<name>.json. Every write to a
corrections file happens under an exclusive fcntl lock on a side file, reads the
latest history inside the lock, appends and renames atomically: two reviewers
(threads or processes) saving the same report at once both keep their change.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

from ..util import atomic_write_text
from . import corrections as corr

CORRECTIONS_SCHEMA = "reportnlp/corrections@1"
MAX_NAME = 200
STATUS_ORDER = {"unreviewed": 0, "in_progress": 1, "reviewed": 2}


class OutError(Exception):
    """OUT is missing or is not a batch output folder (the CLI prints it as one `Error:` line)."""


class ReviewError(Exception):
    """A request the app cannot serve; `code` and `status` give the error shape."""

    def __init__(self, code: str, message: str, status: int):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def valid_name(name: str) -> bool:
    """A report name is a file stem inside OUT/json: no separators, no dot-files, no control characters."""
    return (
        isinstance(name, str)
        and 0 < len(name) <= MAX_NAME
        and not name.startswith(".")
        and not any(c in name for c in "/\\")
        and all(ord(c) >= 32 and ord(c) != 127 for c in name)
    )


class Corpus:
    def __init__(self, out_dir: str | os.PathLike):
        p = Path(out_dir)
        if not p.exists():
            raise OutError(f"{out_dir}: no such folder")
        if not p.is_dir():
            raise OutError(f"{out_dir}: not a folder")
        if not (p / "json").is_dir():
            raise OutError(f"{out_dir}: not a batch output folder (no json/ folder; run `reportnlp batch ... -o {out_dir}`)")
        self.root = p.resolve()
        self.json_dir = self.root / "json"
        self.corr_dir = self.root / "corrections"
        self._cache: dict[str, tuple[tuple, dict]] = {}
        self._cache_lock = threading.Lock()

    # --- files ---------------------------------------------------------------------

    def names(self) -> list[str]:
        out = []
        for entry in os.scandir(self.json_dir):
            if entry.name.endswith(".json") and entry.is_file() and valid_name(entry.name[:-5]):
                out.append(entry.name[:-5])
        return sorted(out)

    def json_path(self, name: str) -> Path:
        if not valid_name(name):
            raise ReviewError("bad_name", f"not a report name: {name[:80]!r}", 404)
        path = self.json_dir / f"{name}.json"
        # the name cannot leave OUT/json (checked above); a symlink pointing out is refused too
        if not path.is_file() or path.resolve().parent != self.json_dir.resolve():
            raise ReviewError("not_found", f"no report named {name!r} in {self.json_dir}", 404)
        return path

    def corrections_path(self, name: str) -> Path:
        return self.corr_dir / f"{name}.json"

    def load_original(self, name: str) -> dict:
        path = self.json_path(name)
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as e:
            raise ReviewError("bad_report", f"{path.name}: unreadable JSON ({str(e).splitlines()[0]})", 422) from None
        if not isinstance(data, dict) or not isinstance(data.get("text", ""), str):
            raise ReviewError("bad_report", f"{path.name}: not a report JSON (no object with a text field)", 422)
        return data

    def load_corrections(self, name: str) -> dict:
        path = self.corrections_path(name)
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {"schema": CORRECTIONS_SCHEMA, "report": name, "history": []}
        except (OSError, ValueError) as e:
            raise ReviewError("bad_corrections", f"{path}: unreadable ({str(e).splitlines()[0]})", 500) from None
        if not isinstance(data, dict) or not isinstance(data.get("history"), list):
            raise ReviewError("bad_corrections", f"{path}: not a corrections file", 500)
        return data

    def errors(self) -> list[dict]:
        """OUT/errors.jsonl: one object per file the batch could not turn into a report."""
        out = []
        try:
            lines = (self.root / "errors.jsonl").read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return out
        for line in lines:
            line = line.strip()
            if not line:
                continue
            try:
                item = json.loads(line)
            except ValueError:
                item = {"message": line[:300], "code": "?"}
            if isinstance(item, dict):
                out.append(item)
        return out

    # --- reviewed view ---------------------------------------------------------------

    def reviewed(self, name: str) -> tuple[dict, dict, list[dict]]:
        """(reviewed report, review info, history)."""
        original = self.load_original(name)
        state = self.load_corrections(name)
        history = state["history"]
        info = review_info(history, state, original)
        base = state.get("base_sha256")
        # the batch was re-run since the first correction: the history was replayed on a new extraction
        info["base_changed"] = bool(base) and base != _sha256_file(self.json_path(name))
        # `original` was just read from disk and is ours: no need to copy it when there is nothing to apply
        return (corr.apply(original, history) if history else original), info, history

    @contextlib.contextmanager
    def _locked(self, name: str) -> Iterator[None]:
        self.corr_dir.mkdir(parents=True, exist_ok=True)
        # hashed: a long name plus a suffix could pass the file system's 255-byte limit
        lock_path = self.corr_dir / f".lock-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:24]}"
        with open(lock_path, "a+b") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)

    def add_corrections(self, name: str, requests: list[dict], reviewer: str) -> tuple[list[dict], dict, dict]:
        """Validate and append corrections; returns (new entries, review info, reviewed report).

        Each request is {op, path, new} and optionally `expect`: the value the
        reviewer saw; if the report now holds something else (another reviewer
        changed it meanwhile) the whole request is refused with a conflict and
        nothing is written.
        """
        if not isinstance(requests, list) or not requests:
            raise ReviewError("bad_correction", "no corrections sent", 400)
        if len(requests) > 500:
            raise ReviewError("bad_correction", "too many corrections in one request (max 500)", 400)
        original = self.load_original(name)
        with self._locked(name):
            state = self.load_corrections(name)
            history = state["history"]
            current = corr.apply(original, history)
            added = []
            for req in requests:
                if not isinstance(req, dict):
                    raise ReviewError("bad_correction", "each correction must be an object", 400)
                try:
                    op, path, new = corr.normalize(current, req.get("op"), req.get("path", ""), req.get("new"))
                except corr.CorrectionError as e:
                    raise ReviewError(e.code, e.message, e.status) from None
                old = corr.get(current, path) if op in ("set", "remove") else None
                if op == "status":
                    old = review_info(history + added, state, original)["status"]
                if "expect" in req and not _same(req["expect"], old, op):
                    raise ReviewError(
                        "conflict",
                        f"{path or 'status'} changed meanwhile (now {json.dumps(old, ensure_ascii=False)[:80]}); reload the page",
                        409,
                    )
                entry = {"op": op, "path": path, "old": old, "new": new, "time": now(), "reviewer": reviewer}
                corr.apply_one(current, entry)
                added.append(entry)
            if not state.get("base_sha256"):
                state["base_sha256"] = _sha256_file(self.json_path(name))
            state["history"] = history + added
            atomic_write_text(self.corrections_path(name), json.dumps(state, ensure_ascii=False, indent=1) + "\n")
        reviewed = corr.apply(original, state["history"])
        return added, review_info(state["history"], state, original), reviewed

    # --- corpus listing ----------------------------------------------------------------

    def summary(self, name: str) -> dict:
        jp = self.json_dir / f"{name}.json"
        cp = self.corrections_path(name)
        key = (_stat(jp), _stat(cp))
        with self._cache_lock:
            hit = self._cache.get(name)
        if hit and hit[0] == key:
            return hit[1]
        try:
            report, info, _ = self.reviewed(name)
            s = _summarize(name, report, info)
        except ReviewError as e:
            s = {"name": name, "agency": None, "year": None, "template": "?", "title": None,
                 "failed": 0, "failed_rules": [], "warnings": 0, "status": "unreadable",
                 "reviewer": None, "time": None, "error": e.message}
        with self._cache_lock:
            self._cache[name] = (key, s)
        return s

    def summaries(self) -> list[dict]:
        return [self.summary(n) for n in self.names()]


def _stat(p: Path) -> Optional[tuple[int, int]]:
    try:
        st = p.stat()
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


def _sha256_file(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _same(expect: Any, old: Any, op: str) -> bool:
    if op == "remove" and isinstance(old, dict):
        # the client names the outlet it saw
        return expect == old.get("name") or expect == old
    if isinstance(expect, (int, float)) and isinstance(old, (int, float)) and not isinstance(expect, bool):
        return float(expect) == float(old)
    return expect == old


def review_info(history: list[dict], state: dict, original: dict) -> dict:
    status, reviewer, time = "unreviewed", None, None
    edits = [e for e in history if e.get("op") != "status"]
    if edits:
        status = "in_progress"
    for e in history:
        if e.get("op") == "status":
            status = "reviewed" if e.get("new") == "reviewed" else ("in_progress" if edits else "unreviewed")
    if history:
        reviewer, time = history[-1].get("reviewer"), history[-1].get("time")
    info = {"status": status, "reviewer": reviewer, "time": time, "corrections": len(edits)}
    return info


def _summarize(name: str, report: dict, info: dict) -> dict:
    meta = report.get("meta") or {}
    checks = [c for c in report.get("checks") or [] if isinstance(c, dict)]
    failed = [c.get("rule", "?") for c in checks if c.get("ok") is False]
    return {
        "name": name,
        "agency": meta.get("agency"),
        "year": meta.get("year"),
        "template": meta.get("template") or "unknown",
        "title": meta.get("title"),
        "format": (report.get("source") or {}).get("format"),
        "failed": len(failed),
        "failed_rules": failed,
        "warnings": len(report.get("warnings") or []),
        "status": info["status"],
        "reviewer": info["reviewer"],
        "time": info["time"],
        "error": None,
    }


# --- sorting and filtering the corpus ------------------------------------------------------

SORTS = ("failed", "name", "agency", "year", "template", "warnings", "status")


def select(rows: list[dict], *, sort: str = "failed", desc: Optional[bool] = None, status: str = "",
           template: str = "", q: str = "") -> list[dict]:
    """Filter and sort corpus rows. Default: most failed checks first, then most warnings, then name."""
    if status:
        rows = [r for r in rows if r["status"] == status]
    if template:
        rows = [r for r in rows if str(r["template"]) == template]
    if q:
        ql = q.casefold()
        rows = [r for r in rows if any(ql in str(r.get(k) or "").casefold() for k in ("name", "agency", "title", "year"))]
    if sort not in SORTS:
        sort = "failed"
    if desc is None:
        desc = sort in ("failed", "warnings")

    def key(r):
        if sort == "failed":
            return (r["failed"], r["warnings"])
        if sort == "status":
            return (STATUS_ORDER.get(r["status"], -1),)
        v = r.get(sort)
        return (v is None, v if v is not None else "") if not desc else (v is not None, v if v is not None else "")

    rows = sorted(rows, key=lambda r: r["name"])  # stable tie-break by name
    return sorted(rows, key=key, reverse=desc)
