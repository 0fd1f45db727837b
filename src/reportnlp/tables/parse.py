"""Flattened table lines -> the contract's t2/t3/t4 (template.md §10).

Each line of `text` that carries table cells is TAB-separated (normalize makes
it so for text, HTML, DOCX and PDF alike). Rows are found by their labels, never
by line number; columns by count and position. When cells were dropped (a PDF
extractor skips empty cells, pipes collapse), every placement of the numbers
that were read is a candidate, and the template's identities choose.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..model import Section
from . import spec
from .spec import compact, compact_cells

NUM = re.compile(r"^[+＋-]?\d+(?:,\d{3})*(?:\.\d+)?$")
NUM_WITH_UNIT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(?:件|个|项|条|次|万元|元)$")
NULL_MARKS = {"/", "-", "—", "–", "无", "－", "——", "\\", "--", "／", "×", "x"}
# Beyond this many joint alignments the search stops and takes the best so far.
MAX_COMBINATIONS = 4096
# A label followed by at least this many empty cells is a blank table row.
MIN_BLANK_ROW_CELLS = 5


@dataclass
class Row:
    label: str  # compact label
    cells: list[str]  # the data cells as written ('' for blank), in order
    span: tuple[int, int]
    line_no: int
    raw_cells: list[str] = field(default_factory=list)


@dataclass
class Cell:
    value: Optional[float] = None  # None: absent from the grid
    raw: str = ""
    unreadable: bool = False


def parse_cell(raw: str) -> Cell:
    s = raw.strip().replace("＋", "+")
    if not s:
        return Cell(None, "")
    if NUM.match(s):
        v = float(s.replace(",", ""))
        return Cell(int(v) if v.is_integer() and "." not in s else v, s)
    if s in NULL_MARKS:
        return Cell(None, s)
    m = NUM_WITH_UNIT.match(s)
    if m:
        v = float(m.group(1))
        return Cell(int(v) if v.is_integer() and "." not in m.group(1) else v, s)
    return Cell(None, s, unreadable=True)


def _is_data(cell: str) -> bool:
    s = cell.strip()
    return not s or bool(NUM.match(s)) or s in NULL_MARKS or bool(NUM_WITH_UNIT.match(s)) or (
        bool(re.search(r"\d", s)) and len(s) <= 6 and not re.search(r"[\u4e00-\u9fff]{2}", s))


def table_rows(text: str, start: int = 0, end: Optional[int] = None) -> list[Row]:
    """Every line in text[start:end] that has at least one number, split into label and data cells."""
    end = len(text) if end is None else end
    rows = []
    pos = start
    for n, line in enumerate(text[start:end].split("\n")):
        line_start = pos
        pos += len(line) + 1
        if "\t" not in line:
            continue
        cells = line.split("\t")
        first = next((i for i, c in enumerate(cells) if c.strip() and _is_data(c) and re.search(r"\d|/|-|—|无", c)), None)
        if first is None:
            # a row left entirely blank still has its label and its empty cells (HTML grids)
            last = max((i for i, c in enumerate(cells) if c.strip()), default=-1)
            if last < 0 or len(cells) - last - 1 < MIN_BLANK_ROW_CELLS:
                continue
            first = last + 1
        data_end = first
        while data_end < len(cells) and _is_data(cells[data_end]):
            data_end += 1
        label_cells = cells[:first]
        rows.append(Row(label=compact_cells(label_cells), cells=cells[first:data_end],
                        span=(line_start, line_start + len(line)), line_no=n, raw_cells=cells))
    return rows


# --- shared helpers -------------------------------------------------------------


def _trim(cells: list[str], width: int) -> list[str]:
    """Drop empty cells at the ends (extractors add them) but never below `width` cells."""
    cells = list(cells)
    while len(cells) > width and not cells[-1].strip():
        cells.pop()
    while len(cells) > width and not cells[0].strip():
        cells.pop(0)
    return cells


def _placements(tokens: list[str], width: int) -> list[list[str]]:
    """All ways to put the tokens that were read into `width` slots, order kept; the rest blank."""
    if len(tokens) >= width:
        return [tokens[:width]]
    out = []
    for pos in itertools.combinations(range(width), len(tokens)):
        row = [""] * width
        for p, t in zip(pos, tokens):
            row[p] = t
        out.append(row)
    return out


def _candidates(cells: list[str], width: int) -> list[list[str]]:
    cells = _trim(cells, width)
    if len(cells) == width:
        return [cells]
    tokens = [c for c in cells if c.strip()]
    if len(tokens) == width + 1:
        # one number split in two ("1 2" for 12) by the extractor: every fusion is a candidate
        return [tokens[:i] + [tokens[i] + tokens[i + 1]] + tokens[i + 2:] for i in range(width)
                if NUM.match(tokens[i]) and NUM.match(tokens[i + 1])] or [tokens[:width]]
    if len(tokens) > width:
        return [tokens[:width]]
    if len(cells) > width:
        return [cells[:width]]
    out = _placements(tokens, width)
    if len(tokens) == width - 1:
        # or two numbers fused into one ("20" for 2 and 0): every split is a candidate too
        for i, t in enumerate(tokens):
            if re.fullmatch(r"\d{2,}", t):
                out += [tokens[:i] + [t[:k], t[k:]] + tokens[i + 1:] for k in range(1, len(t))
                        if t[k:] == "0" or not t[k:].startswith("0")]
    return out


class _Grid:
    """Values and missing marks for one table, written in template order."""

    def __init__(self, name: str):
        self.name = name
        self.missing: list[dict[str, str]] = []
        self.warnings: list[str] = []

    def put(self, target: dict, row: str, col: str, raw: str) -> None:
        c = parse_cell(raw)
        if c.value is not None:
            target[col] = c.value
        elif c.unreadable:
            self.warnings.append(f"{self.name}: unreadable cell {row}.{col}: {raw!r}")
        else:
            self.missing.append({"row": row, "col": col, "raw": c.raw})


# --- Table 3 ------------------------------------------------------------------------


def detect_t3_version(text: str) -> Optional[str]:
    c = compact(text)
    if any(m in c for m in spec.T3_MARKERS_2021):
        return "2021"
    if "其他处理" in c and "总计" in c:
        return "2019"
    return None


def _match_t3_row(row: Row, rows: list[tuple[str, str]], after: int) -> Optional[int]:
    label = row.label
    last_cell = next((compact(c) for c in reversed(row.raw_cells[: len(row.raw_cells) - len(row.cells)])
                      if c.strip()), "")
    best = None
    for i, (key, canon) in enumerate(rows):
        if not canon or canon not in label:
            continue
        # "其他"/"总计" also occur in header cells: only the whole last label cell counts,
        # and "3.其他" only right after the rows it follows
        if len(canon) <= 2 and (last_cell != canon or (key == "other_other" and after < i - 2)):
            continue
        score = (len(canon), i > after, -abs(i - after - 1))
        if best is None or score > best[0]:
            best = (score, i)
    return None if best is None else best[1]


def parse_t3(text: str, start: int, end: int, version: str) -> tuple[Optional[dict], list[str]]:
    canon = spec.T3_ROWS[version]
    found: dict[str, Row] = {}
    after = -1
    for row in table_rows(text, start, end):
        i = _match_t3_row(row, canon, after)
        if i is None:
            continue
        key = canon[i][0]
        if key in found:
            continue
        found[key] = row
        after = i
    if len(found) < 3:
        return None, []
    # an 8th numeric column is a 法人或其他组织 subtotal (template.md §4.1)
    n_tokens = [len([c for c in r.cells if c.strip()]) for r in found.values()]
    width = 8 if sum(1 for n in n_tokens if n == 8) > len(n_tokens) / 2 else 7
    options: dict[str, list[list[str]]] = {k: _candidates(r.cells, width) for k, r in found.items()}
    if width == 8:
        options = {k: [_drop_subtotal(c) for c in v] for k, v in options.items()}
    chosen, ok = _choose(options, version)
    g = _Grid("t3")
    rows_out: dict[str, dict[str, Any]] = {}
    spans: dict[str, list[int]] = {}
    for key, _ in canon:
        if key not in chosen:
            continue
        vals = chosen[key]
        cols = spec.T3_COLS + ([spec.SUBTOTAL_COL] if len(vals) == 8 else [])
        out: dict[str, Any] = {}
        for col, raw in zip(cols, vals):
            g.put(out, key, col, raw)
        rows_out[key] = out
        spans[key] = list(found[key].span)
    warnings = g.warnings
    missing_rows = [k for k, _ in canon if k not in found]
    if missing_rows:
        warnings.append(f"t3: rows not found: {', '.join(missing_rows)}")
    if not ok:
        ambiguous = [k for k, v in options.items() if len(v) > 1]
        warnings.append("t3: no alignment of the cells satisfies the table's identities"
                        + (f" (ambiguous rows: {', '.join(ambiguous)})" if ambiguous else ""))
    return {"template": version, "rows": rows_out, "missing": g.missing, "spans": spans}, warnings


def _drop_subtotal(cells: list[str]) -> list[str]:
    """Reorder 8 cells to the 7 standard ones followed by the 法人或其他组织 subtotal.

    The subtotal usually stands first under 法人或其他组织 (before 商业企业); some
    publishers put it after the five organisation columns: the sum decides.
    """
    if len(cells) != 8:
        return cells
    v = [parse_cell(c).value for c in cells]
    after_orgs = v[6] is not None and all(x is not None for x in v[1:6]) and abs(v[6] - sum(v[1:6])) < 1e-9
    if after_orgs:
        return cells[:6] + [cells[7], cells[6]]
    return [cells[0]] + cells[2:8] + [cells[1]]


def _num(raw: str) -> Optional[float]:
    return parse_cell(raw).value


def t3_violations(rows: dict[str, list[str]], version: str) -> int:
    """How many identities fail when blank cells count as 0 (for choosing alignments only)."""
    val = {k: [(_num(c) or 0) for c in v] for k, v in rows.items()}
    bad = 0
    for k, v in val.items():
        if len(v) >= 7 and abs(v[6] - sum(v[:6])) > 1e-9:
            bad += 1
    outcome = [k for k in spec.T3_OUTCOME_ROWS[version] if k in val]
    for c in range(7):
        if all(k in val for k in ("new_received", "carried_over", "results_total", "carried_forward")):
            if abs(val["new_received"][c] + val["carried_over"][c]
                   - val["results_total"][c] - val["carried_forward"][c]) > 1e-9:
                bad += 1
        if "results_total" in val and outcome:
            if abs(val["results_total"][c] - sum(val[k][c] for k in outcome)) > 1e-9:
                bad += 1
    return bad


def _choose(options: dict[str, list[list[str]]], version: str) -> tuple[dict[str, list[str]], bool]:
    """Pick one placement per row. ok=False when no joint placement fits every identity, or several do."""
    fixed = {k: v[0] for k, v in options.items() if len(v) == 1}
    loose = {k: v for k, v in options.items() if len(v) > 1}
    if not loose:
        return fixed, t3_violations(fixed, version) == 0
    # a placement that fits its own row total (T3-3) beats one that does not
    pruned = {}
    for k, cands in loose.items():
        own = [c for c in cands if t3_violations({k: c}, version) == 0]
        pruned[k] = own or cands
    keys = sorted(pruned, key=lambda k: len(pruned[k]))
    best = None
    fits: list[dict[str, list[str]]] = []
    for n, combo in enumerate(itertools.product(*(pruned[k] for k in keys))):
        if n >= MAX_COMBINATIONS:
            break
        trial = dict(fixed)
        trial.update(zip(keys, combo))
        bad = t3_violations(trial, version)
        if best is None or bad < best[0]:
            best = (bad, trial)
        if bad == 0:
            fits.append(trial)
            if len(fits) > 1:
                break
    if len(fits) == 1:
        return fits[0], True
    return (fits[0] if fits else best[1]), False


# --- Table 4 ------------------------------------------------------------------------


def parse_t4(text: str, start: int, end: int) -> tuple[Optional[dict], list[str]]:
    seg = text[start:end]
    anchor = seg.find("行政复议")
    base = start + (anchor if anchor >= 0 else 0)
    rows = [r for r in table_rows(text, base, end)]
    picked: list[str] = []
    span = None
    for r in rows:
        tokens = _trim(r.cells, 15)
        if len(tokens) >= 15 and not r.label:
            picked = tokens[:15]
            span = r.span
            break
    if not picked:
        # 5 + 10 split over lines, or a label cell in front ("数量")
        acc: list[str] = []
        first_span = None
        for r in rows:
            toks = [c for c in r.cells if c.strip()]
            if not toks:
                continue
            first_span = first_span or r.span
            acc.extend(_trim(r.cells, len(toks)) if len(r.cells) > 15 else toks)
            if len(acc) >= 15:
                break
        if len(acc) >= 15:
            picked = acc[:15]
            span = (first_span[0], r.span[1])
        elif acc:
            return None, [f"t4: found {len(acc)} cells, expected 15"]
    if not picked:
        return None, []
    g = _Grid("t4")
    out: dict[str, Any] = {"template": None}
    for b, block in enumerate(spec.T4_BLOCKS):
        d: dict[str, Any] = {}
        for f, field_ in enumerate(spec.T4_FIELDS):
            g.put(d, block, field_, picked[b * 5 + f])
        out[block] = d
    out["missing"] = g.missing
    out["spans"] = {b: list(span) for b in spec.T4_BLOCKS}
    del out["template"]
    return out, g.warnings


# --- Table 2 ------------------------------------------------------------------------


def detect_t2_version(block_text: str) -> Optional[str]:
    c = compact(block_text)
    votes = {v: sum(1 for m in ms if m in c) for v, ms in spec.T2_MARKERS.items()}
    if not any(votes.values()):
        return None
    return max(votes, key=lambda v: (votes[v], v))


def parse_t2(text: str, start: int, end: int, version: str) -> tuple[Optional[dict], list[str]]:
    blocks = spec.T2_BLOCKS[version]
    g = _Grid("t2")
    out: dict[str, Any] = {}
    spans: dict[str, list[int]] = {}
    warnings: list[str] = []
    for row in table_rows(text, start, end):
        label = row.label
        key = None
        for k, (labels, _) in blocks.items():
            if any(label == lab or (label.startswith(lab) and len(label) - len(lab) > 3) for lab in labels):
                key = k
                break
        if key is None or key in out:
            continue
        fields = blocks[key][1]
        cells = _trim(row.cells, len(fields))
        if len(cells) > len(fields):
            tokens = [c for c in cells if c.strip()]
            cells = tokens[: len(fields)] if len(tokens) >= len(fields) else (cells[: len(fields)])
        if len(cells) < len(fields):
            tokens = [c for c in cells if c.strip()]
            if len(tokens) == 1 and len(fields) > 1 and version == "2019":
                # one number under three headers: only the decision count is certain in practice
                warnings.append(f"t2: {key} has 1 of {len(fields)} cells; placed under {fields[-1]}")
                cells = [""] * (len(fields) - 1) + tokens
            else:
                warnings.append(f"t2: {key} has {len(tokens)} of {len(fields)} cells")
                cells = tokens + [""] * (len(fields) - len(tokens))
        d: dict[str, Any] = {}
        for f, raw in zip(fields, cells):
            g.put(d, key, f, raw)
        if key == "procurement":
            d["amount_unit"] = _amount_unit(text[start:end])
        out[key] = d
        spans[key] = list(row.span)
    if not out:
        return None, []
    missing_blocks = [k for k in blocks if k not in out]
    if missing_blocks:
        warnings.append(f"t2: rows not found: {', '.join(missing_blocks)}")
    ordered = {k: out[k] for k in blocks if k in out}
    ordered["template"] = version
    ordered["missing"] = g.missing
    ordered["spans"] = spans
    return ordered, warnings + g.warnings


def _amount_unit(block: str) -> Optional[str]:
    m = re.search(r"采购总金额[^\n\t]*?(万元|元)", block)
    return m.group(1) if m else None


# --- entry point -------------------------------------------------------------------


def _region(text: str, sections: list[Section], key: str) -> Optional[tuple[int, int]]:
    for s in sections:
        if s.key == key:
            return s.span
    return None


def parse_tables(text: str, sections: list[Section]) -> tuple[dict[str, dict], list[str], dict[str, Optional[str]]]:
    """-> (tables, warnings, versions per table)."""
    tables: dict[str, dict] = {}
    warnings: list[str] = []
    versions: dict[str, Optional[str]] = {"t2": None, "t3": None}

    r2 = _region(text, sections, "active_disclosure") or _fallback(text, "第二十条", "本年新收")
    r3 = _region(text, sections, "requests") or _fallback(text, "本年新收", "行政复议")
    r4 = _region(text, sections, "review_litigation") or _fallback(text, "行政复议", None)

    if r2:
        v2 = detect_t2_version(text[r2[0]:r2[1]])
        versions["t2"] = v2
        if v2:
            t2, w = parse_t2(text, r2[0], r2[1], v2)
            warnings += w
            if t2:
                tables["t2"] = t2
    if r3:
        v3 = detect_t3_version(text[r3[0]:r3[1]])
        if v3 is None and "本年新收" in compact(text[r3[0]:r3[1]]):
            v3 = versions["t2"] or "2021"
        versions["t3"] = v3
        if v3:
            t3, w = parse_t3(text, r3[0], r3[1], v3)
            warnings += w
            if t3:
                tables["t3"] = t3
    if r4:
        t4, w = parse_t4(text, r4[0], r4[1])
        warnings += w
        if t4:
            tables["t4"] = t4
    return tables, warnings, versions


def _fallback(text: str, start_marker: str, end_marker: Optional[str]) -> Optional[tuple[int, int]]:
    s = text.find(start_marker)
    if s < 0:
        return None
    s = text.rfind("\n", 0, s) + 1
    e = text.find(end_marker, s + 1) if end_marker else -1
    if e < 0:
        e = len(text)
    else:
        e = text.rfind("\n", 0, e) + 1 or e
    return s, e
