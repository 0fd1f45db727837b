"""Invariants: random and mutated report text never crashes extraction, and every span indexes text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from reportnlp.errors import ReportError
from reportnlp.model import Block, Document
from reportnlp.pipeline import build_report

from conftest import report_text, t3_values

BASE = report_text(t3_values(4))


def _spans(r):
    out = [s.span for s in r.sections] + [q.span for q in r.quantities]
    out += [m.span for m in r.media_outlets] + [s.span for s in r.statements]
    for t in r.tables.values():
        out += [tuple(v) for v in t.get("spans", {}).values()]
    return out


def _run(text: str):
    doc = Document(path="m.txt", format="txt", sha256="0", blocks=[Block(kind="text", text=text)])
    try:
        r = build_report(doc)
    except ReportError as e:
        assert e.code in ("E011",) and "\n" not in e.message
        return None
    for s, e in _spans(r):
        assert 0 <= s <= e <= len(r.text)
    r.to_json()  # always serialisable
    return r


mutation = st.tuples(st.integers(0, len(BASE)), st.integers(0, 40),
                     st.sampled_from(["", "\t", "\n", " ", "0", "12", "/", "一、", "（三）", "五、存在问题",
                                      "總計", "\u3000", "１", "三、本年度办理结果", "\t\t\t", "件"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, max_size=8))
def test_mutated_report_never_crashes(muts):
    text = BASE
    for pos, length, ins in muts:
        text = text[:pos] + ins + text[pos + length:]
    _run(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_crashes(text):
    _run(text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(BASE.split("\n")), max_size=80))
def test_shuffled_report_lines_never_crash(lines):
    _run("\n".join(lines))
