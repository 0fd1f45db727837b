"""View models for the report page: evidence items, highlighted text segments, table grids.

Pure functions from a report dict to plain data; the templates only lay it out.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Any, Optional

from ..model import CATEGORIES, CHANNELS, THEMES
from . import layout


def _span(v: Any, n: int) -> Optional[tuple[int, int]]:
    """A valid [s, e] inside the text, else None (a bad span must not break the page)."""
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in v):
        s, e = max(0, v[0]), min(n, v[1])
        if s < e:
            return s, e
    return None


def page_of(starts: Optional[list[int]], offset: int) -> Optional[int]:
    if not starts:
        return None
    return max(1, bisect_right(starts, offset))


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def evidence(report: dict) -> dict[str, dict]:
    """id -> {label, span, page}: every extracted value that points into the text."""
    text = report.get("text") or ""
    n = len(text)
    starts = (report.get("source") or {}).get("page_starts")
    items: dict[str, dict] = {}

    def add(eid: str, label: str, span: Any, kind: str) -> None:
        sp = _span(span, n)
        if sp:
            items[eid] = {"label": label, "span": list(sp), "page": page_of(starts, sp[0]), "kind": kind}

    for i, q in enumerate(report.get("quantities") or []):
        if isinstance(q, dict):
            what = " / ".join(x for x in (q.get("channel"), q.get("category")) if x)
            add(f"q{i}", f"quantity: {q.get('label') or ''} {_fmt(q.get('value'))}{q.get('unit') or ''}"
                + (f" ({what})" if what else ""), q.get("span"), "quantity")
    for i, o in enumerate(report.get("media_outlets") or []):
        if isinstance(o, dict):
            add(f"o{i}", f"media outlet: {o.get('name')}", o.get("span"), "outlet")
    for i, s in enumerate(report.get("statements") or []):
        if isinstance(s, dict):
            add(f"s{i}", f"statement: {s.get('kind')} / {s.get('theme')}", s.get("span"), "statement")
    tables = report.get("tables") or {}
    for t in ("t2", "t3", "t4"):
        spans = (tables.get(t) or {}).get("spans") or {}
        if isinstance(spans, dict):
            for key, sp in spans.items():
                add(f"{t}-{key}", _table_label(report, t, str(key)), sp, "table")
    return items


def _table_label(report: dict, t: str, key: str) -> str:
    """'table 3 · （一）予以公开: 2 0 0 0 0 0 | 2' — the printed label and the values read from that row."""
    table = (report.get("tables") or {}).get(t) or {}
    if t == "t3":
        labels = {k: lab for k, lab, _ in layout.T3_ROWS[layout.version(report, "t3")] if k}
        rows = table.get("rows") if isinstance(table.get("rows"), dict) else {}
        row = rows.get(key) if isinstance(rows.get(key), dict) else {}
        cols = [k for k, _ in layout.T3_COLS]
        vals = " ".join(_fmt(row.get(c)) or "·" for c in cols[:-1]) + " | " + (_fmt(row.get("total")) or "·")
    elif t == "t2":
        labels = {b: lab for _, _, rows, _ in layout.T2[layout.version(report, "t2")] for b, lab in rows}
        fields = layout.t2_fields(layout.version(report, "t2")).get(key, [])
        row = table.get(key) if isinstance(table.get(key), dict) else {}
        vals = " / ".join(_fmt(row.get(f)) or "·" for f in fields)
    else:
        labels = {b: (f"{g} {sub}".strip()) for b, g, sub in layout.T4_BLOCKS}
        row = table.get(key) if isinstance(table.get(key), dict) else {}
        vals = " ".join(_fmt(row.get(f)) or "·" for f, _ in layout.T4_FIELDS[:-1]) + " | " + (_fmt(row.get("total")) or "·")
    return f"table {t[1]} · {labels.get(key, key)}: {vals}"



def segments(text: str, items: dict[str, dict], page_starts: Optional[list[int]] = None,
             anchors: tuple[int, ...] = ()) -> list[dict]:
    """Cut the text at every span boundary: [{s, e, text, ids, page}] where ids are the items covering it.

    `page` is set on the first segment of each PDF page, so the page shows where pages begin.
    """
    n = len(text)
    cuts = {0, n, *anchors}
    for it in items.values():
        cuts.update(it["span"])
    pages = {}
    for i, s in enumerate(page_starts or []):
        if isinstance(s, int) and 0 <= s <= n:
            cuts.add(s)
            pages.setdefault(s, i + 1)
    cuts = sorted(c for c in cuts if 0 <= c <= n)
    # covering ids per segment: sweep over spans sorted by start
    by_start = sorted(items.items(), key=lambda kv: kv[1]["span"][0])
    out = []
    active: list[tuple[int, str]] = []
    j = 0
    for a, b in zip(cuts, cuts[1:]):
        while j < len(by_start) and by_start[j][1]["span"][0] <= a:
            active.append((by_start[j][1]["span"][1], by_start[j][0]))
            j += 1
        active = [(e, i) for e, i in active if e > a]
        out.append({"s": a, "e": b, "text": text[a:b], "ids": " ".join(i for _, i in active), "page": pages.get(a)})
    return out


def _cell(table: dict, missing: dict, row: str, col: str, value: Any, path: str, ev: str) -> dict:
    raw = missing.get((row, col))
    return {"value": _fmt(value), "raw": raw, "path": path, "ev": ev,
            "present": value is not None}


def _missing(table: dict) -> dict[tuple[str, str], str]:
    out = {}
    for m in table.get("missing") or []:
        if isinstance(m, dict):
            out[(str(m.get("row")), str(m.get("col")))] = str(m.get("raw", ""))
    return out


def _failed_cells(checks: list[dict], prefix: str, rows: set[str], cols: set[str]) -> tuple[set[str], set[str], set[str]]:
    """Rows / columns / blocks named by failed checks of one table (rule ids like T3-1.total, T3-3.granted)."""
    frows, fcols, blocks = set(), set(), set()
    for c in checks:
        if isinstance(c, dict) and c.get("ok") is False and str(c.get("rule", "")).startswith(prefix):
            rule = str(c["rule"])
            key = rule.split(".", 1)[1] if "." in rule else ""
            if key in rows:
                frows.add(key)
            elif key in cols:
                fcols.add(key)
            elif not key:
                blocks.add(rule)
    return frows, fcols, blocks


def t2_view(report: dict) -> dict:
    ver = layout.version(report, "t2")
    t2 = (report.get("tables") or {}).get("t2") or {}
    miss = _missing(t2)
    failed_any = any(isinstance(c, dict) and c.get("ok") is False and str(c.get("rule", "")).startswith("T2")
                     for c in report.get("checks") or [])
    groups = []
    for caption, headers, rows, fields in layout.T2[ver]:
        # the grid is 3 value columns wide; a narrower sub-table's last cell spans the rest, as printed
        colspans = [1] * (len(fields) - 1) + [4 - len(fields)]
        grows = []
        for block, label in rows:
            data = t2.get(block) if isinstance(t2.get(block), dict) else {}
            cells = [_cell(t2, miss, block, f, data.get(f), f"tables/t2/{block}/{f}", f"t2-{block}") for f in fields]
            grows.append({"key": block, "label": label, "cells": cells,
                          "note": data.get("amount_unit") if block == "procurement" else None})
        groups.append({"caption": caption, "headers": list(zip(headers, colspans)), "rows": grows,
                       "colspans": colspans})
    return {"version": ver, "groups": groups, "present": bool(t2), "failed": failed_any,
            "template": t2.get("template")}


def t3_view(report: dict) -> dict:
    ver = layout.version(report, "t3")
    t3 = (report.get("tables") or {}).get("t3") or {}
    data = t3.get("rows") if isinstance(t3.get("rows"), dict) else {}
    miss = _missing(t3)
    cols = [k for k, _ in layout.T3_COLS]
    sub = layout.T3_SUBTOTAL[0]
    if any(isinstance(r, dict) and sub in r for r in data.values()):
        cols = cols[:-1] + [sub] + cols[-1:]  # the subtotal sits before 总计, as printed
    row_keys = set(layout.t3_row_keys(ver))
    frows, fcols, _ = _failed_cells(report.get("checks") or [], "T3", row_keys | set(data), set(cols))
    rows = []
    for key, label, level in layout.T3_ROWS[ver]:
        if key is None:
            rows.append({"key": None, "label": label, "level": level, "cells": []})
            continue
        r = data.get(key) if isinstance(data.get(key), dict) else {}
        cells = [_cell(t3, miss, key, c, r.get(c), f"tables/t3/rows/{key}/{c}", f"t3-{key}") for c in cols]
        for c, cell in zip(cols, cells):
            cell["failed"] = key in frows or c in fcols
        rows.append({"key": key, "label": label, "level": level, "cells": cells})
    # rows the parser found that the layout does not know: shown last, still editable
    for key in data:
        if key not in row_keys and isinstance(data[key], dict):
            r = data[key]
            cells = [_cell(t3, miss, key, c, r.get(c), f"tables/t3/rows/{key}/{c}", f"t3-{key}") for c in cols]
            rows.append({"key": key, "label": key, "level": 0, "cells": cells})
    return {"version": ver, "rows": rows, "subtotal": sub in cols, "present": bool(t3),
            "n_data_rows": len(row_keys), "template": t3.get("template")}


def t4_view(report: dict) -> dict:
    t4 = (report.get("tables") or {}).get("t4") or {}
    miss = _missing(t4)
    failed = {str(c.get("rule")) for c in report.get("checks") or []
              if isinstance(c, dict) and c.get("ok") is False and str(c.get("rule", "")).startswith("T4")}
    cells = []
    for block, _, _ in layout.T4_BLOCKS:
        data = t4.get(block) if isinstance(t4.get(block), dict) else {}
        for f, _ in layout.T4_FIELDS:
            c = _cell(t4, miss, block, f, data.get(f), f"tables/t4/{block}/{f}", f"t4-{block}")
            c["failed"] = bool(failed)
            cells.append(c)
    return {"cells": cells, "present": bool(t4), "failed": bool(failed)}


def report_view(report: dict) -> dict:
    text = report.get("text") or ""
    src = report.get("source") or {}
    items = evidence(report)
    starts = src.get("page_starts") if isinstance(src.get("page_starts"), list) else None
    checks = [c for c in report.get("checks") or [] if isinstance(c, dict)]
    sections = []
    for s in report.get("sections") or []:
        sp = _span(s.get("span") if isinstance(s, dict) else None, len(text))
        if sp:
            sections.append({"key": s.get("key"), "title": s.get("title") or s.get("key"), "start": sp[0],
                             "page": page_of(starts, sp[0])})
    quantities = []
    for i, q in enumerate(report.get("quantities") or []):
        if isinstance(q, dict):
            quantities.append({"i": i, "q": q, "value": _fmt(q.get("value")), "ev": f"q{i}",
                               "page": (items.get(f"q{i}") or {}).get("page"),
                               "part_of": q.get("part_of")})
    outlets = [{"i": i, "o": o, "ev": f"o{i}", "page": (items.get(f"o{i}") or {}).get("page")}
               for i, o in enumerate(report.get("media_outlets") or []) if isinstance(o, dict)]
    statements = [{"i": i, "s": s, "ev": f"s{i}", "page": (items.get(f"s{i}") or {}).get("page"),
                   "score": f"{float(s.get('score') or 0):.2f}"}
                  for i, s in enumerate(report.get("statements") or []) if isinstance(s, dict)]
    return {
        "evidence": items,
        "segments": segments(text, items, starts, tuple(s["start"] for s in sections)),
        "sections": sections,
        "failed": [c for c in checks if c.get("ok") is False],
        "passed": [c for c in checks if c.get("ok") is True],
        "warnings": [str(w) for w in report.get("warnings") or []],
        "t2": t2_view(report),
        "t3": t3_view(report),
        "t4": t4_view(report),
        "t4_blocks": layout.T4_BLOCKS,
        "t4_fields": layout.T4_FIELDS,
        "t3_cols": layout.T3_COLS,
        "quantities": quantities,
        "outlets": outlets,
        "statements": statements,
        "channels": CHANNELS,
        "categories": CATEGORIES,
        "themes": THEMES,
        "kinds": ("problem", "improvement"),
        "meta": report.get("meta") or {},
        "source": src,
    }
