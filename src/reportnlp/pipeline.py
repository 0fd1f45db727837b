"""Runs the stages in order on one document; records per-stage timings.

    ingest -> normalize -> segment -> tables -> meta -> narrative -> statements -> checks

Each stage reads named fields of the Report and sets named fields; nothing else
passes between them.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from . import __version__
from .errors import ReportError
from .model import Report, Source

# A document with less text than this after normalisation is not a report.
MIN_REPORT_CHARS = 40


@contextmanager
def _timed(timings: dict, name: str):
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(time.perf_counter() - t0, 6)


def extract(path: str | os.PathLike, *, ocr: bool = False) -> Report:
    """Read one report file and return its checked, structured Report.

    Raises ReportError (with a code and a one-line message) when the file cannot
    yield a report at all; anything less is a warning inside the Report.
    """
    from .ingest import read

    timings: dict[str, float] = {}
    path = str(path)
    with _timed(timings, "ingest"):
        doc = read(path, ocr=ocr)
    return build_report(doc, timings)


def build_report(doc, timings: dict | None = None) -> Report:
    from .meta import detect_meta
    from .normalize import normalize
    from .segment import segment
    from .tables import parse_tables
    from .tables.checks import run_checks

    timings = {} if timings is None else timings
    with _timed(timings, "normalize"):
        norm = normalize(doc)
    if len(norm.text.strip()) < MIN_REPORT_CHARS:
        why = f"; {doc.warnings[0]}" if doc.warnings else ""
        raise ReportError("E011", doc.path, f"only {len(norm.text.strip())} characters of text{why}"[:300])
    report = Report(
        source=Source(path=doc.path, sha256=doc.sha256, format=doc.format, pages=doc.pages,
                      page_starts=norm.page_starts, encoding=doc.encoding),
        text=norm.text,
    )
    report.warnings.extend(doc.warnings)
    with _timed(timings, "segment"):
        report.sections = segment(report.text)
    with _timed(timings, "tables"):
        tables, warnings, versions = parse_tables(report.text, report.sections)
        report.tables = tables
        report.warnings.extend(warnings)
    with _timed(timings, "meta"):
        report.meta, warnings = detect_meta(report.text, versions, norm.script)
        report.warnings.extend(warnings)
    _not_a_report(report, doc.path)
    if report.meta.template in ("2019", "2021"):
        for t in ("t2", "t3", "t4"):
            if t not in report.tables:
                report.warnings.append(f"{t}: table not found (published as an image, or not in the file)")
        found = {s.key for s in report.sections if "." not in s.key}
        lost = [k for k in ("overview", "active_disclosure", "requests", "review_litigation",
                            "problems_improvements", "other") if k not in found]
        if lost:
            report.warnings.append(f"sections not found: {', '.join(lost)}")
    with _timed(timings, "narrative"):
        from .nlp import extract_narrative
        from .nlp.tokenizer import get_tokenizer

        get_tokenizer()  # first, so jieba is silenced before spaCy warms it up

        report.quantities, report.media_outlets, warnings = extract_narrative(report.text, report.sections)
        report.warnings.extend(warnings)
    with _timed(timings, "statements"):
        from .themes import extract_statements

        report.statements = extract_statements(report.text, report.sections)
    with _timed(timings, "checks"):
        report.checks = run_checks(report)
    report.pipeline = dict(pipeline_stamp(), timings=timings)
    return report


MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"


@lru_cache(maxsize=1)
def pipeline_stamp() -> dict:
    """What produced a report: our version, the segmenter and its dictionary, the models' data hashes.

    Same stamp and same input file give the same bytes; batch uses it to know what is done.
    """
    import hashlib

    stamp: dict = {"version": __version__}
    try:
        import jieba

        from .nlp.tokenizer import user_dictionary_version

        stamp["segmenter"] = {"jieba": jieba.__version__, "user_dictionary": user_dictionary_version()}
    except ImportError:
        pass
    models = {}
    for name in ("themes", "ner"):
        # a model's meta.json records its training-data hash and metrics: its hash names the model
        try:
            models[name] = hashlib.sha256((MODELS_DIR / name / "meta.json").read_bytes()).hexdigest()[:12]
        except OSError:
            continue
    if models:
        stamp["models"] = models
    return stamp


def _not_a_report(report: Report, path: str) -> None:
    """A page with no title, no sections and no tables of the format (a news article) is not a report."""
    if report.sections or report.tables or report.meta.template not in ("unknown",):
        return
    if "信息公开" in report.text[:3000] and "报告" in report.text[:3000]:
        return
    # the reader may know why (a garbled font, a scanned page): say so in the same line
    why = f"; {report.warnings[0]}" if report.warnings else ""
    raise ReportError("E011", path, f"no annual-report title, sections or tables found{why}"[:300])
