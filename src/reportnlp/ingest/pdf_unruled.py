"""Tables drawn without ruling lines: find them among a page's lines, cut them into a grid.

Pure functions on `pdf_layout.Line`s. A table is a run of lines cut into several
cells (segments) with numbers in it; its columns are the union of the data lines'
cells; rows are anchored on the data lines, and the wrapped lines of label cells
join the data line inside their height (see `unruled_grid`).
"""
from __future__ import annotations

import re
import statistics
from typing import Optional

from .pdf_layout import Line, Segment, join_text

# --- tolerances (em = font size) ---
# Lines of a wrapped table cell are closer than rows: within this ratio of the
# smallest pitch in the table they belong to one row.
CELL_WRAP_RATIO = 1.15
# ... but only if rows are visibly further apart than wrapped lines.
ROW_GAP_RATIO = 1.3
# A wrapped label line about as close to the row below as to the row above
# continues the row above (text wraps downwards); only a clearly nearer row below takes it.
NEXT_ROW_BIAS = 0.8
# Lines of one wrapped cell are at most this far apart (single spacing is ~1.2 em;
# body text, even in the table's size, is usually set wider).
WRAP_PITCH_EM = 1.45
# A table row's label may wrap over this many lines with no other cell beside them.
MAX_WRAPPED_LINES = 8



def find_unruled_tables(lines: list[Line]) -> list[tuple[int, int]]:
    """(start, end) line ranges that form a table: lines cut into several cells.

    A single-cell line (a wrapped label, a caption) between two multi-cell lines
    belongs to the table; a region needs two multi-cell lines and a number.
    """
    multi = [len(ln.segments) >= 2 for ln in lines]
    out = []
    i = 0
    while i < len(lines):
        if not multi[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines):
            if multi[j + 1]:
                j += 1
                continue
            # a run of single-cell lines followed by a multi-cell line, close together
            # ... in the table's own type size (a heading between two tables breaks them apart)
            k = j + 1
            while k < len(lines) and not multi[k] and k - j <= MAX_WRAPPED_LINES \
                    and abs(lines[k].size - lines[j].size) <= 1.0:
                k += 1
            if k < len(lines) and multi[k] and _close(lines, j, k):
                j = k
            else:
                break
        rows = [ln for ln in lines[i:j + 1] if len(ln.segments) >= 2]
        if len(rows) >= 2 and any(ln.numeric_count for ln in lines[i:j + 1]):
            j = _wrapped_tail(lines, i, j)
            start = _caption_above(lines, i, out[-1][1] if out else 0)
            out.extend(_split_on_columns(lines, start, j + 1))
        i = j + 1
    return out


def _split_on_columns(lines: list[Line], a: int, b: int) -> list[tuple[int, int]]:
    """Two tables set one under the other (a table continued with other column widths)
    are two regions: cut where a data line's numbers stop lining up with the one above."""
    out = []
    prev: Optional[list[float]] = None
    start = a
    for k in range(a, b):
        ln = lines[k]
        xs = [s.x0 for s in ln.segments if s.numeric]
        if len(xs) < 2:
            continue
        if prev is not None:
            tol = 0.5 * ln.size
            hits = sum(any(abs(x - y) <= tol for y in prev) for x in xs)
            if hits < 0.5 * min(len(xs), len(prev)):
                # the new table starts after the last data line of the old one
                cut = max(m for m in range(start, k) if lines[m].numeric_count) + 1
                cut = _wrapped_tail(lines, start, cut - 1) + 1
                out.append((start, cut))
                start = cut
        prev = xs
    out.append((start, b))
    return out


def _caption_above(lines: list[Line], i: int, floor: int) -> int:
    """Extend a table upwards over a caption row ("第二十条第（一）项") set in its type size,
    left-aligned with its first column and no further away than a row, and over the
    wrapped lines of a tall header cell (a line pitch apart, inside the table's width)."""
    left = min(ln.x0 for ln in lines[i:i + 3])
    right = max(ln.x1 for ln in lines[i:i + 3])
    while i - 1 >= floor:
        cap, top = lines[i - 1], lines[i]
        if abs(cap.size - top.size) > 0.5:
            break
        gap = top.base - cap.base
        caption = len(cap.segments) == 1 and abs(cap.x0 - left) <= top.size and gap <= 3.0 * top.size
        wrapped = gap <= WRAP_PITCH_EM * top.size and cap.x0 >= left - top.size \
            and cap.x1 <= right + top.size
        # a header cell centred over columns (e.g. 申请人情况): inside the table, off its left edge
        centred = gap <= 2.0 * top.size and cap.x0 > left + 2 * top.size and cap.x1 <= right + top.size
        if not (caption or wrapped or centred):
            break
        i -= 1
    return i


def _wrapped_tail(lines: list[Line], i: int, j: int) -> int:
    """Extend a table over the wrapped last lines of its last row's label."""
    first_num = min((s.x0 for ln in lines[i:j + 1] for s in ln.segments if s.numeric), default=None)
    while j + 1 < len(lines) and first_num is not None:
        nxt = lines[j + 1]
        if nxt.base - lines[j].base > WRAP_PITCH_EM * nxt.size or nxt.x1 >= first_num \
                or len(nxt.segments) != 1 or abs(nxt.size - lines[j].size) > 0.5:
            break
        j += 1
    return j


def _close(lines: list[Line], j: int, k: int) -> bool:
    pitch = min((lines[t + 1].base - lines[t].base for t in range(j, k)), default=0)
    return pitch <= 2.5 * max(ln.size for ln in lines[j:k + 1]) and \
        lines[k].base - lines[j].base <= (k - j) * 2.5 * max(ln.size for ln in lines[j:k + 1])


def _columns(lines: list[Line]) -> list[tuple[float, float]]:
    """Column extents: the union of the cells of the data lines (those holding a number)."""
    spans = sorted((s.x0, s.x1) for ln in lines if ln.numeric_count for s in ln.segments)
    if not spans:
        spans = sorted((s.x0, s.x1) for ln in lines for s in ln.segments)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 0.5:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    return [(a, b) for a, b in cols]


def _col_range(seg: Segment, cols: list[tuple[float, float]]) -> tuple[int, int]:
    hit = [i for i, (a, b) in enumerate(cols) if min(seg.x1, b) - max(seg.x0, a) > 0.5]
    if not hit:  # in a gutter: the column to its left (labels are left-aligned)
        left = [i for i, (a, _) in enumerate(cols) if a <= seg.x0]
        i = left[-1] if left else 0
        return i, i + 1
    return hit[0], hit[-1] + 1


def unruled_grid(lines: list[Line]) -> tuple[list[list[str]], list[list[bool]], list[float]]:
    """Grid, origin mask and column boundaries (x) of a table drawn without rules.

    Rows are anchored on the data lines (those holding numbers). The label columns'
    text is cut into labels (a label starts with a numbering like "（三）" or "2.", or
    after a gap wider than a wrapped line's); a label joins the first data line
    inside its vertical extent, whatever the cell's vertical alignment, and a label
    with no data line beside it (a caption) is a row of its own.
    """
    cols = _columns(lines)
    first_num = min((i for ln in lines for s in ln.segments if s.numeric
                     for i in range(*_col_range(s, cols))), default=len(cols))
    xs = [cols[0][0]] + [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:])] + [cols[-1][1]]
    anchors = [ln for ln in lines if ln.numeric_count]
    if not anchors:
        return _grid_from_bands(_row_bands(lines, cols, first_num), cols) + (xs,)

    # label columns: those holding text left of the numbers on some data line
    label_cols = set()
    for ln in anchors:
        first = next(k for k, sg in enumerate(ln.segments) if sg.numeric)
        label_cols.update(_col_range(sg, cols)[0] for sg in ln.segments[:first])

    def in_labels(s: Segment) -> bool:
        return not s.numeric and _col_range(s, cols)[0] in label_cols

    rows: list[tuple[float, list[tuple[Segment, float]]]] = []  # (base, [(segment, its line's base)])
    anchor_row: dict[int, list] = {}
    pieces: dict[int, list[tuple[float, Segment, bool, int]]] = {}  # col -> (base, seg, on anchor, line id)
    header: list[Line] = []
    for ln in lines:
        label_only = all(in_labels(s) for s in ln.segments)
        if ln.numeric_count:
            prev = anchors[anchors.index(ln) - 1] if anchors.index(ln) else None
            if prev is not None and _number_wrap(prev, ln, cols):
                # a number too wide for its cell went on: "128" / "7" is 1287
                cells = anchor_row[id(prev)]
                for s in ln.segments:
                    a = _col_range(s, cols)[0]
                    k = next(i for i, (t, _b) in enumerate(cells) if _col_range(t, cols)[0] == a)
                    t = cells[k][0]
                    cells[k] = (Segment(t.text + s.text, t.x0, max(t.x1, s.x1), t.base), cells[k][1])
                anchor_row[id(ln)] = cells
                continue
            cells = [(s, ln.base) for s in ln.segments if not in_labels(s)]
            anchor_row[id(ln)] = cells
            rows.append((ln.base, cells))
        elif not label_only:
            # a header line inside the table: its own row, wrapped header lines merged
            if header and ln.base - header[-1].base <= CELL_WRAP_RATIO * 1.25 * ln.size:
                header.append(ln)
                rows[-1][1].extend((s, ln.base) for s in ln.segments)
                continue
            header = [ln]
            rows.append((ln.base, [(s, ln.base) for s in ln.segments]))
            continue
        header = []
        for s in ln.segments:
            if in_labels(s):
                pieces.setdefault(_col_range(s, cols)[0], []).append((s.base, s, bool(ln.numeric_count), id(ln)))
    # the pitch of wrapped lines: the smallest step between label lines a line apart
    size = min(ln.size for ln in lines)
    steps = [round(b[0] - a[0] * 1.0, 0) for ps in pieces.values() for a, b in zip(ps, ps[1:])
             if b[0] - a[0] >= 0.9 * size]
    # the commonest step (wrapped lines are all one leading apart), the smaller on a tie
    lead = max(sorted(set(steps)), key=steps.count) if steps else 1.2 * size
    for col, ps in pieces.items():
        groups: list[list] = []
        for p in sorted(ps, key=lambda q: (q[0], q[1].x0)):
            # the label this line continues: the latest one starting at the same x, a line above
            g = next((g for g in reversed(groups)
                      if abs(g[0][1].x0 - p[1].x0) <= size and 0 < p[0] - g[-1][0] <= CELL_WRAP_RATIO * lead),
                     None)
            if g is None or _LABEL_START.match(p[1].text) or (p[2] and any(q[2] for q in g)):
                groups.append([p])
            else:
                g.append(p)
        for g in groups:
            lo, hi = g[0][0], g[-1][0]
            inside = [a for a in anchors if id(a) in anchor_row and lo - 0.25 * size <= _num_base(a) <= hi + 0.25 * size]
            text = ""
            for p in g:
                text = join_text(text, p[1].text)
            seg = Segment(text, min(p[1].x0 for p in g), max(p[1].x1 for p in g))
            if inside:
                anchor_row[id(inside[0])].append((seg, lo))
            else:
                rows.append((lo, [(seg, lo)]))
    rows.sort(key=lambda r: r[0])
    grid: list[list[str]] = []
    origin: list[list[bool]] = []
    for _base, cells in rows:
        # a cell's pieces in reading order: line by line, then left to right
        row, orow = _grid_row([s for s, _ in sorted(cells, key=lambda c: (round(c[1], 1), c[0].x0))], cols)
        grid.append(row)
        origin.append(orow)
    return grid, origin, xs


def _grid_row(segments: list, cols) -> tuple[list[str], list[bool]]:
    """One grid row: each segment's text in the column it starts in; the columns it spans
    beyond that are copies of a merged cell (origin False) unless they hold text of their own."""
    row = [""] * len(cols)
    orow = [True] * len(cols)
    for s in segments:
        a, b = _col_range(s, cols)
        row[a] = join_text(row[a], s.text)
        for c in range(a + 1, b):
            if not row[c]:
                orow[c] = False
    return row, orow


def _num_base(ln: Line) -> float:
    return statistics.median(s.base for s in ln.segments if s.numeric)


def _number_wrap(prev: Line, ln: Line, cols) -> bool:
    """`ln` holds only the wrapped ends of numbers of the data line just above."""
    if ln.base - prev.base > WRAP_PITCH_EM * ln.size or len(ln.segments) >= prev.numeric_count:
        return False
    above = {_col_range(s, cols)[0] for s in prev.segments if s.numeric}
    return all(s.numeric and s.text[:1].isdigit() and _col_range(s, cols)[0] in above for s in ln.segments)


# Numbering that starts a row label: 一、 （三） (3) 2. 2、
_LABEL_START = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))")


def _grid_from_bands(bands: list[list[Line]], cols) -> tuple[list[list[str]], list[list[bool]]]:
    grid: list[list[str]] = []
    origin: list[list[bool]] = []
    for band in bands:
        row, orow = _grid_row([s for ln in band for s in ln.segments], cols)
        grid.append(row)
        origin.append(orow)
    return grid, origin


def _row_bands(lines: list[Line], cols, first_num: int) -> list[list[Line]]:
    """Group the lines of a wrapped cell into one row; rows never merge two data lines."""
    pitches = [b.base - a.base for a, b in zip(lines, lines[1:])]
    if not pitches:
        return [[ln] for ln in lines]
    small = min(pitches)
    data_pitches = [b.base - a.base for a, b in zip(lines, lines[1:]) if a.numeric_count and b.numeric_count]
    row_pitch = statistics.median(data_pitches) if data_pitches else max(pitches)
    if row_pitch <= ROW_GAP_RATIO * small:
        return [[ln] for ln in lines]

    def label_only(ln: Line) -> bool:
        return not ln.numeric_count and all(_col_range(s, cols)[0] < first_num for s in ln.segments)

    bands: list[list[Line]] = []
    for i, ln in enumerate(lines):
        if bands:
            prev = bands[-1][-1]
            near = ln.base - prev.base <= CELL_WRAP_RATIO * small
            has_num = any(x.numeric_count for x in bands[-1])
            if near and (not ln.numeric_count or not has_num) and (
                    label_only(ln) or all(label_only(x) for x in bands[-1])
                    or (not ln.numeric_count and not has_num)):
                # a label-only line sits between two rows: it joins the nearer one
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                if nxt is not None and label_only(ln) and nxt.numeric_count and has_num and \
                        nxt.base - ln.base < NEXT_ROW_BIAS * (ln.base - prev.base):
                    bands.append([ln])
                    continue
                bands[-1].append(ln)
                continue
        bands.append([ln])
    return bands
