"""The batch output folder: per-report JSON, the done-index, errors.jsonl, Parquet, summary.

Layout (docs/performance.md has the full description):
  OUT/json/<name>.json    one contract JSON per report
  OUT/state/<name>.json   done-index record: source sha256, pipeline version, limits, status,
                          timings (the only place per-run timings live)
  OUT/errors.jsonl, OUT/*.parquet, OUT/summary.json  rebuilt at the end of every run

Every file is written under a temporary name and renamed. A report's JSON is written
before its state record, so a run killed between the two redoes that report (same bytes).
"""
from __future__ import annotations

import bisect
import fcntl
import json
import os
from pathlib import Path
from typing import Any, Iterator, Optional

import pyarrow as pa
import pyarrow.parquet as pq

from ..util import atomic_write_text
from .inputs import Item

# Pipeline fields that differ from run to run; kept out of OUT/json (they go to the
# state record) so that a resumed run writes the same bytes as an uninterrupted one.
VOLATILE_PIPELINE_KEYS = ("timings", "seconds", "started", "finished", "host", "hostname", "pid", "rss_mb")
# Reports per Parquet row group (and per write): bounds memory on large corpora.
ROWS_FLUSH_REPORTS = 2000
STATE_SCHEMA = "reportnlp/batch-state@1"
SUMMARY_SCHEMA = "reportnlp/batch-summary@1"
PARQUET_TABLES = ("reports", "quantities", "outlets", "statements", "checks", "tables")

S, I32, I64, F64, B = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_()
SCHEMAS = {
    "reports": pa.schema([
        ("name", S), ("path", S), ("sha256", S), ("format", S), ("pages", I32),
        ("agency", S), ("year", I32), ("template", S), ("scope", S), ("script", S), ("title", S),
        ("t3_new_received_total", I64), ("t3_results_total_total", I64),
        ("quantities", I32), ("outlets", I32), ("statements", I32), ("checks", I32),
        ("failed_checks", I32), ("warnings", I32), ("text_chars", I64), ("pipeline_version", S),
    ]),
    "quantities": pa.schema([
        ("report", S), ("i", I32), ("channel", S), ("category", S), ("label", S), ("value", F64),
        ("unit", S), ("qualifier", S), ("period", S), ("scope", S), ("verb", S), ("part_of", I32),
        ("start", I64), ("end", I64), ("page", I32),
    ]),
    "outlets": pa.schema([
        ("report", S), ("i", I32), ("name", S), ("source", S), ("start", I64), ("end", I64), ("page", I32),
    ]),
    "statements": pa.schema([
        ("report", S), ("i", I32), ("kind", S), ("theme", S), ("score", F64), ("text", S),
        ("start", I64), ("end", I64), ("page", I32),
    ]),
    "checks": pa.schema([
        ("report", S), ("i", I32), ("rule", S), ("ok", B), ("expected", F64), ("actual", F64),
        ("severity", S), ("message", S),
    ]),
    "tables": pa.schema([
        ("report", S), ("table", S), ("row", S), ("column", S), ("value", F64), ("raw", S),
    ]),
}
# keys of a table dict that are not data rows (spec/output.md)
TABLE_META_KEYS = {"missing", "spans", "template", "rows", "warnings"}


class OutError(Exception):
    """OUT cannot be used (batch exits 2)."""


def _num(v: Any) -> Optional[float]:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _int(v: Any) -> Optional[int]:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None


def report_json_bytes(report: dict[str, Any], overrides: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The JSON text written for a report, and the volatile pipeline fields taken out of it."""
    pipeline = dict(report.get("pipeline") or {})
    volatile = {k: pipeline.pop(k) for k in VOLATILE_PIPELINE_KEYS if k in pipeline}
    report = dict(report, pipeline=pipeline)
    if overrides:
        report["meta"] = dict(report.get("meta") or {}, **overrides)
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n", volatile


class Store:
    def __init__(self, out: str):
        self.out = Path(out)
        self.json_dir = self.out / "json"
        self.state_dir = self.out / "state"
        self._lock_fd: Optional[int] = None

    # --- setup ------------------------------------------------------------------

    def open(self) -> None:
        if self.out.exists() and not self.out.is_dir():
            raise OutError(f"{self.out}: exists and is not a folder")
        try:
            self.json_dir.mkdir(parents=True, exist_ok=True)
            self.state_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.state_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise OutError(f"{self.out}: cannot write ({e.strerror or e})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutError(f"{self.out}: another batch is writing to this folder") from None
        self._lock_fd = fd
        # leftovers of a run killed mid-write: never a finished file, always safe to remove
        for d in (self.out, self.json_dir, self.state_dir):
            for p in d.glob(".*.tmp"):
                try:
                    p.unlink()
                except OSError:
                    pass

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    @property
    def worker_log(self) -> str:
        return str(self.state_dir / "workers.log")

    # --- done-index ------------------------------------------------------------

    def _state_path(self, name: str) -> Path:
        return self.state_dir / f"{name}.json"

    def json_path(self, name: str) -> Path:
        return self.json_dir / f"{name}.json"

    def record(self, name: str) -> Optional[dict[str, Any]]:
        try:
            rec = json.loads(self._state_path(name).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return rec if isinstance(rec, dict) and rec.get("schema") == STATE_SCHEMA else None

    def is_done(self, item: Item, version: str, now: dict[str, Any]) -> Optional[dict[str, Any]]:
        """The record if this file (same bytes, same pipeline version, same overrides) is done."""
        rec = self.record(item.name)
        if (rec is None or item.sha256 is None or rec.get("sha256") != item.sha256
                or rec.get("version") != version or rec.get("overrides", {}) != item.overrides
                or rec.get("path") != item.path):
            return None
        if rec["status"] == "ok":
            return rec if self.json_path(item.name).is_file() else None
        if rec.get("transient"):
            return None
        code = rec.get("error", {}).get("code")
        then = rec.get("limits", {})
        # a failure due to a limit is retried when the limit is raised (0 = no limit),
        # a PDF without a text layer when OCR is now on
        if code == "E010" and (not now["timeout"] or now["timeout"] > then.get("timeout", 0)):
            return None
        if code == "E012" and (not now["memory_mb"] or now["memory_mb"] > then.get("memory_mb", 0)):
            return None
        if code == "E008" and now.get("ocr") and not then.get("ocr"):
            return None
        return rec

    def save(self, item: Item, version: str, result: dict[str, Any], limits: dict[str, Any]) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "schema": STATE_SCHEMA, "name": item.name, "path": item.path, "sha256": item.sha256,
            "version": version, "overrides": item.overrides, "limits": limits,
            "status": "ok" if result.get("ok") else "error",
            "seconds": round(result.get("seconds", 0.0), 4),
            "cpu_seconds": round(result.get("cpu_seconds", 0.0), 4),
            "peak_rss_mb": result.get("peak_rss_mb"),
        }
        if result.get("ok"):
            text, volatile = report_json_bytes(result["report"], item.overrides)
            rec["timings"] = volatile.get("timings")
            rec["format"] = (result["report"].get("source") or {}).get("format")
            atomic_write_text(self.json_path(item.name), text)
            atomic_write_text(self._state_path(item.name), json.dumps(rec, ensure_ascii=False))
        else:
            rec["error"] = result["error"]
            if result.get("transient"):
                rec["transient"] = True
            atomic_write_text(self._state_path(item.name), json.dumps(rec, ensure_ascii=False))
            try:
                self.json_path(item.name).unlink()  # a stale success of older bytes
            except FileNotFoundError:
                pass
        return rec

    def records(self) -> Iterator[dict[str, Any]]:
        for p in sorted(self.state_dir.glob("*.json")):
            if p.name.startswith("."):
                continue
            rec = self.record(p.name[: -len(".json")])
            if rec is not None:
                yield rec

    # --- tables ----------------------------------------------------------------

    def rebuild(self) -> dict[str, int]:
        """errors.jsonl and the Parquet tables from the done-index and OUT/json, in name order."""
        errors, ok_names = [], []
        for rec in self.records():
            if rec["status"] == "ok":
                if self.json_path(rec["name"]).is_file():
                    ok_names.append(rec["name"])
            else:
                e = rec.get("error", {})
                errors.append(json.dumps({"file": rec["path"], "name": rec["name"], "code": e.get("code"),
                                          "kind": e.get("kind"), "message": e.get("message")},
                                         ensure_ascii=False))
        atomic_write_text(self.out / "errors.jsonl", "".join(line + "\n" for line in errors))

        counts = {t: 0 for t in PARQUET_TABLES}
        tmp = {t: self.out / f".{t}.parquet.tmp" for t in PARQUET_TABLES}
        writers = {t: pq.ParquetWriter(tmp[t], SCHEMAS[t]) for t in PARQUET_TABLES}
        try:
            buf: dict[str, list[dict]] = {t: [] for t in PARQUET_TABLES}

            def flush() -> None:
                for t, rows in buf.items():
                    writers[t].write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[t]))
                    counts[t] += len(rows)
                    rows.clear()

            for n, name in enumerate(ok_names, 1):
                report = json.loads(self.json_path(name).read_text("utf-8"))
                for t, rows in report_rows(name, report).items():
                    buf[t].extend(rows)
                if n % ROWS_FLUSH_REPORTS == 0:
                    flush()
            flush()
        finally:
            for w in writers.values():
                w.close()
        for t in PARQUET_TABLES:
            with open(tmp[t], "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp[t], self.out / f"{t}.parquet")
        counts["errors"] = len(errors)
        return counts

    def write_summary(self, summary: dict[str, Any]) -> None:
        atomic_write_text(self.out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=1) + "\n")


def report_rows(name: str, r: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One report's rows for each Parquet table."""
    src, meta = r.get("source") or {}, r.get("meta") or {}
    starts = src.get("page_starts") or None

    def page(span: Any) -> Optional[int]:
        if not starts or not span:
            return None
        return max(1, bisect.bisect_right(starts, span[0]))

    def span(x: dict) -> tuple[Optional[int], Optional[int]]:
        s = x.get("span") or [None, None]
        return s[0], s[1]

    t3rows = ((r.get("tables") or {}).get("t3") or {}).get("rows") or {}
    checks = r.get("checks") or []
    pipeline = r.get("pipeline") or {}
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in PARQUET_TABLES}
    out["reports"].append({
        "name": name, "path": src.get("path"), "sha256": src.get("sha256"), "format": src.get("format"),
        "pages": _int(src.get("pages")), "agency": meta.get("agency"), "year": _int(meta.get("year")),
        "template": meta.get("template"), "scope": meta.get("scope"), "script": meta.get("script"),
        "title": meta.get("title"),
        "t3_new_received_total": _int((t3rows.get("new_received") or {}).get("total")),
        "t3_results_total_total": _int((t3rows.get("results_total") or {}).get("total")),
        "quantities": len(r.get("quantities") or []), "outlets": len(r.get("media_outlets") or []),
        "statements": len(r.get("statements") or []), "checks": len(checks),
        "failed_checks": sum(1 for c in checks if not c.get("ok")),
        "warnings": len(r.get("warnings") or []), "text_chars": len(r.get("text") or ""),
        "pipeline_version": str(pipeline.get("version")) if pipeline.get("version") is not None else None,
    })
    for i, q in enumerate(r.get("quantities") or []):
        s, e = span(q)
        out["quantities"].append({
            "report": name, "i": i, "channel": q.get("channel"), "category": q.get("category"),
            "label": q.get("label"), "value": _num(q.get("value")), "unit": q.get("unit"),
            "qualifier": q.get("qualifier"), "period": q.get("period"), "scope": q.get("scope"),
            "verb": q.get("verb"), "part_of": _int(q.get("part_of")), "start": s, "end": e, "page": page(q.get("span")),
        })
    for i, m in enumerate(r.get("media_outlets") or []):
        s, e = span(m)
        out["outlets"].append({"report": name, "i": i, "name": m.get("name"), "source": m.get("source"),
                               "start": s, "end": e, "page": page(m.get("span"))})
    for i, st in enumerate(r.get("statements") or []):
        s, e = span(st)
        out["statements"].append({
            "report": name, "i": i, "kind": st.get("kind"), "theme": st.get("theme"),
            "score": _num(st.get("score")), "text": st.get("text"), "start": s, "end": e, "page": page(st.get("span")),
        })
    for i, c in enumerate(checks):
        out["checks"].append({
            "report": name, "i": i, "rule": c.get("rule"), "ok": bool(c.get("ok")),
            "expected": _num(c.get("expected")), "actual": _num(c.get("actual")),
            "severity": c.get("severity"), "message": c.get("message"),
        })
    for tname, t in (r.get("tables") or {}).items():
        if not isinstance(t, dict):
            continue
        data = t["rows"] if isinstance(t.get("rows"), dict) else {k: v for k, v in t.items() if k not in TABLE_META_KEYS}
        for row, cols in data.items():
            if not isinstance(cols, dict):
                cols = {None: cols}
            for col, v in cols.items():
                num = _num(v)
                if num is None and not isinstance(v, str):
                    continue
                out["tables"].append({"report": name, "table": tname, "row": row, "column": col,
                                      "value": num, "raw": v if num is None else None})
    return out
