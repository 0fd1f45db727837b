"""Arithmetic identities of the format and narrative cross-checks (template.md §6).

A failing check is data for the reviewer; nothing here raises. An identity with
a missing (blank) cell is undetermined and is not reported as failed.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from ..model import Check, Report
from . import spec

TOL_COUNT = 1e-9


def _sum(values: Iterable[Optional[float]]) -> Optional[float]:
    total = 0.0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _eq(rule: str, expected: Optional[float], actual: Optional[float], message: str,
        severity: str = "hard", tol: float = TOL_COUNT) -> Optional[Check]:
    if expected is None or actual is None:
        return None
    ok = abs(expected - actual) <= tol
    return Check(rule=rule, ok=ok, expected=_n(expected), actual=_n(actual),
                 message=message if not ok else message.split(":")[0] + ": ok", severity=severity)


def _n(v: float) -> float:
    return int(v) if float(v).is_integer() else v


def t3_checks(t3: dict[str, Any]) -> list[Check]:
    rows = t3.get("rows", {})
    version = t3.get("template") or "2021"
    out: list[Optional[Check]] = []
    g = lambda r, c: rows.get(r, {}).get(c)  # noqa: E731
    for c in spec.T3_COLS:
        if all(r in rows for r in ("new_received", "carried_over", "results_total", "carried_forward")):
            lhs = _sum([g("new_received", c), g("carried_over", c)])
            rhs = _sum([g("results_total", c), g("carried_forward", c)])
            out.append(_eq(f"T3-1.{c}", lhs, rhs,
                           f"T3-1 {c}: 新收+上年结转 = {_fmt(lhs)} but 办理结果总计+结转下年度 = {_fmt(rhs)}"))
        outcome = [r for r in spec.T3_OUTCOME_ROWS.get(version, []) if r in rows]
        if "results_total" in rows and outcome:
            parts = _sum([g(r, c) for r in outcome])
            out.append(_eq(f"T3-2.{c}", g("results_total", c), parts,
                           f"T3-2 {c}: (七)总计 = {_fmt(g('results_total', c))} but the outcome rows sum to {_fmt(parts)}"))
    for r, cols in rows.items():
        parts = _sum([cols.get(c) for c in spec.T3_APPLICANT_COLS])
        out.append(_eq(f"T3-3.{r}", cols.get("total"), parts,
                       f"T3-3 {r}: 总计 = {_fmt(cols.get('total'))} but the applicant columns sum to {_fmt(parts)}"))
        if spec.SUBTOTAL_COL in cols:
            orgs = _sum([cols.get(c) for c in spec.T3_ORG_COLS])
            out.append(_eq(f"T3-4.{r}", cols.get(spec.SUBTOTAL_COL), orgs,
                           f"T3-4 {r}: 法人或其他组织小计 = {_fmt(cols.get(spec.SUBTOTAL_COL))} but its columns sum to {_fmt(orgs)}"))
    bad = [f"{r}.{c}" for r, cols in rows.items() for c, v in cols.items()
           if not (isinstance(v, int) or float(v).is_integer()) or v < 0]
    if rows:
        out.append(Check(rule="T3-5", ok=not bad, message="T3-5: all cells are integers >= 0"
                         if not bad else f"T3-5: not a non-negative integer: {', '.join(bad[:6])}"))
    return [c for c in out if c]


def t4_checks(t4: dict[str, Any]) -> list[Check]:
    out: list[Optional[Check]] = []
    for i, block in enumerate(spec.T4_BLOCKS, start=1):
        d = t4.get(block) or {}
        parts = _sum([d.get(f) for f in spec.T4_FIELDS[:4]])
        out.append(_eq(f"T4-{i}", d.get("total"), parts,
                       f"T4-{i} {block}: 总计 = {_fmt(d.get('total'))} but 维持+纠正+其他+尚未审结 = {_fmt(parts)}"))
    bad = [f"{b}.{f}" for b in spec.T4_BLOCKS for f, v in (t4.get(b) or {}).items()
           if not float(v).is_integer() or v < 0]
    out.append(Check(rule="T4-4", ok=not bad, message="T4-4: all cells are integers >= 0" if not bad
                     else f"T4-4: not a non-negative integer: {', '.join(bad)}"))
    return [c for c in out if c]


def t2_checks(t2: dict[str, Any]) -> list[Check]:
    out: list[Check] = []
    bad = []
    for block, d in t2.items():
        if not isinstance(d, dict) or block in ("missing", "spans"):
            continue
        for f, v in d.items():
            if not isinstance(v, (int, float)):
                continue
            if f in spec.T2_SIGNED:
                ok = float(v).is_integer()
            elif f in spec.T2_DECIMAL:
                ok = v >= 0
            else:
                ok = v >= 0 and float(v).is_integer()
            if not ok:
                bad.append(f"{block}.{f}")
    out.append(Check(rule="T2-1", ok=not bad, message="T2-1: counts are integers >= 0" if not bad
                     else f"T2-1: invalid value: {', '.join(bad)}"))
    if t2.get("template") == "2019":
        for block in ("regulations", "normative_documents"):
            d = t2.get(block) or {}
            if d.get("new_published") is not None and d.get("total_published") is not None:
                ok = d["new_published"] <= d["total_published"]
                out.append(Check(rule=f"T2-5.{block}", ok=ok, expected=_n(d["total_published"]),
                                 actual=_n(d["new_published"]), severity="soft",
                                 message=f"T2-5 {block}: 本年新公开 <= 对外公开总数量" + ("" if ok else " fails")))
    return out


def narrative_checks(report: Report) -> list[Check]:
    out: list[Optional[Check]] = []
    qs = report.quantities
    parts: dict[int, list[int]] = {}
    for i, q in enumerate(qs):
        if q.part_of is not None and 0 <= q.part_of < len(qs):
            parts.setdefault(q.part_of, []).append(i)
    for total_i, members in parts.items():
        if len(members) < 2:
            continue  # a lone "其中X" names a subset, not a breakdown that must add up
        total = qs[total_i]
        s = sum(qs[m].value for m in members)
        label = total.label or total.category or "total"
        out.append(_eq(f"N-1.{label}", total.value, s,
                       f"N-1 {label}: {_fmt(total.value)}{total.unit}, but the 其中 parts sum to {_fmt(s)}",
                       severity="soft"))
    t3 = report.tables.get("t3", {}).get("rows", {})
    new_req = next((q for q in qs if q.category == "requests_new" and q.period == "annual"
                    and q.scope is None and q.part_of is None), None)
    if new_req is not None and "new_received" in t3 and t3["new_received"].get("total") is not None:
        out.append(_eq("X-1", t3["new_received"]["total"], new_req.value,
                       f"X-1: the text says {_fmt(new_req.value)} new requests, t3 new_received.total = "
                       f"{_fmt(t3['new_received']['total'])}", severity="soft"))
    t2 = report.tables.get("t2", {})
    nd = t2.get("normative_documents") or {}
    issued = nd.get("issued", nd.get("new_made"))
    norm = _normative_docs_stated(report)
    if norm and issued is not None:
        # several counts may be stated (issued, printed in the gazette…): one must agree with t2
        hit = next((q for q in norm if abs(q.value - issued) < TOL_COUNT), norm[0])
        out.append(_eq("X-2", issued, hit.value,
                       f"X-2: the text says {_fmt(hit.value)} normative documents, t2 says {_fmt(issued)}",
                       severity="soft"))
    t4 = report.tables.get("t4")
    if t4 and re.search(r"(未|没有)(收到|发生|出现|产生)[^。\n]{0,12}(行政复议|行政诉讼)|(行政复议|行政诉讼)[^。\n]{0,10}(均为|为)0",
                        report.text):
        vals = [v for b in spec.T4_BLOCKS for v in (t4.get(b) or {}).values()]
        nonzero = sum(1 for v in vals if v)
        out.append(Check(rule="X-3", ok=nonzero == 0, expected=0, actual=nonzero, severity="soft",
                         message="X-3: the text says no review or litigation" +
                         ("" if nonzero == 0 else f", but t4 has {nonzero} non-zero cells")))
    return [c for c in out if c]


def _normative_docs_stated(report: Report) -> list:
    """Normative-document counts the narrative states for the year, 一(三) first (template.md T2-4)."""
    qs = [q for q in report.quantities if q.category == "normative_docs" and q.period == "annual"
          and q.channel not in ("gazette", "media") and q.part_of is None]
    mgmt = next((s.span for s in report.sections if s.key == "overview.management"), None)
    if mgmt:
        inside = [q for q in qs if mgmt[0] <= q.span[0] < mgmt[1]]
        if inside:
            return inside
    return qs


def run_checks(report: Report) -> list[Check]:
    out: list[Check] = []
    t = report.tables
    if "t2" in t:
        out += t2_checks(t["t2"])
    if "t3" in t:
        out += t3_checks(t["t3"])
    if "t4" in t:
        out += t4_checks(t["t4"])
    out += narrative_checks(report)
    return out


def _fmt(v: Optional[float]) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"
