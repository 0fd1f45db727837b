"""Page geometry -> lines, paragraphs and table grids (pure functions, no PDF library).

The PDF reader hands every page over as `Char`s (one glyph: text, left/right x,
baseline y measured from the top of the page, font size), whichever backend
produced them (pypdfium2 on the fast path, pdfminer via pdfplumber on the
reference path). Everything below works on those tuples only, so both paths
give the same blocks as long as the glyph positions agree to within the
tolerances named here.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import NamedTuple, Optional


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    base: float  # baseline, distance from the top of the page
    size: float


# --- tolerances (in units of the font size, "em", unless said otherwise) ---
# Two glyphs whose baselines differ by less than this are on the same line
# (superscripts and mixed fonts shift baselines a little).
SAME_LINE_EM = 0.45
# A horizontal gap wider than this separates two cells of a table row; justified
# Chinese prose spreads glyphs by far less.
SEGMENT_GAP_EM = 0.8
# A gap wider than this between two ASCII letters/digits is a space.
SPACE_GAP_EM = 0.2
# A line ending this far left of the text block's right edge ends its paragraph.
SHORT_LINE_EM = 1.5
# A line starting this far right of the left edge is indented (a new paragraph).
INDENT_EM = 0.9
# A vertical gap this many times the usual line pitch starts a new paragraph.
PARA_GAP_RATIO = 1.6
# Lines of a wrapped table cell are closer than rows: within this ratio of the
# smallest pitch in the table they belong to one row.
CELL_WRAP_RATIO = 1.15
# A wrapped label line about as close to the row below as to the row above
# continues the row above (text wraps downwards); only a clearly nearer row below takes it.
NEXT_ROW_BIAS = 0.8
# ... but only if rows are visibly further apart than wrapped lines.
ROW_GAP_RATIO = 1.3
# Lines of one wrapped cell are at most this far apart (single spacing is ~1.2 em;
# body text, even in the table's size, is usually set wider).
WRAP_PITCH_EM = 1.45
# A glyph repeated closer than this to its previous copy is overprinting (fake bold).
FAKE_BOLD_EM = 0.3
# A table row's label may wrap over this many lines with no other cell beside them.
MAX_WRAPPED_LINES = 8
# Page artefacts are looked for in this share of the page height at top and bottom.
MARGIN_SHARE = 0.12

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
NUMERIC_CELL = re.compile(r"^[-+]?\d[\d,，]*(?:\.\d+)?%?$|^[-—–/／无]$")
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·•\s]*\d{1,4}[-—–－_~·•\s]*"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+"
    r"|(?:P\.|Page)\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r")$",
    re.I,
)


def join_text(a: str, b: str) -> str:
    """Concatenate two pieces of one sentence: no space unless both sides are ASCII words."""
    if a and b and _ASCII_WORD.match(a[-1]) and _ASCII_WORD.match(b[0]) and not (a[-1].isdigit() and b[0].isdigit()):
        return a + " " + b
    return a + b


@dataclass
class Segment:
    text: str
    x0: float
    x1: float
    base: float = 0.0  # its own baseline (a line gathers glyphs a little above or below)

    @property
    def numeric(self) -> bool:
        return bool(NUMERIC_CELL.match(self.text))


@dataclass
class Line:
    chars: list[Char]
    base: float
    size: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def text(self) -> str:
        return "".join(s.text if i == 0 else _seg_join(self.segments[i - 1], s)
                       for i, s in enumerate(self.segments))

    @property
    def numeric_count(self) -> int:
        return sum(s.numeric for s in self.segments)


def _seg_join(prev: Segment, s: Segment) -> str:
    # Inside a text line a wide gap is still one sentence: keep a space only between ASCII words.
    return join_text("x" if _ASCII_WORD.match(prev.text[-1]) else "一", s.text)[1:]


def chars_text(chars: list[Char]) -> str:
    out = ""
    prev: Optional[Char] = None
    for c in chars:
        if prev is not None and c.x0 - prev.x1 > SPACE_GAP_EM * max(c.size, prev.size) \
                and _ASCII_WORD.match(prev.text[-1]) and _ASCII_WORD.match(c.text[0]):
            out += " "
        out += c.text
        prev = c
    return out


def make_segments(chars: list[Char]) -> list[Segment]:
    segs: list[list[Char]] = []
    for c in chars:
        if segs and c.x0 - segs[-1][-1].x1 <= SEGMENT_GAP_EM * max(c.size, segs[-1][-1].size):
            segs[-1].append(c)
        else:
            segs.append([c])
    return [Segment(chars_text(s), s[0].x0, s[-1].x1, statistics.median(c.base for c in s)) for s in segs]


def group_lines(chars: list[Char]) -> list[Line]:
    """Glyphs -> lines, top to bottom, each sorted left to right and cut into segments."""
    lines: list[Line] = []
    for c in sorted(chars, key=lambda c: (c.base, c.x0)):
        if lines and abs(c.base - lines[-1].base) <= SAME_LINE_EM * min(c.size, lines[-1].size):
            lines[-1].chars.append(c)
            lines[-1].size = max(lines[-1].size, c.size)
        else:
            lines.append(Line([c], c.base, c.size))
    for ln in lines:
        ln.chars = dedupe(sorted(ln.chars, key=lambda c: c.x0))
        ln.segments = make_segments(ln.chars)
    return lines


def dedupe(chars: list[Char]) -> list[Char]:
    """Drop the second copy of a glyph drawn twice at almost the same place (the fake
    bold of WPS and Word: "河河西西" would otherwise come out of a bold title)."""
    out: list[Char] = []
    for c in chars:
        if out and c.text == out[-1].text and abs(c.x0 - out[-1].x0) < FAKE_BOLD_EM * c.size \
                and abs(c.base - out[-1].base) < FAKE_BOLD_EM * c.size:
            continue
        out.append(c)
    return out


# --- page artefacts --------------------------------------------------------------


def _artefact_key(ln: Line) -> str:
    # Running headers repeat with a changing page number: compare without digits. The
    # size is part of the key: a header repeating the title must not remove the title.
    return f"{round(ln.size)}:" + re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))


def strip_artefacts(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Drop page numbers and running headers/footers from the top and bottom margins."""
    in_margin: list[list[int]] = []
    counts: dict[str, int] = {}
    for lines, h in zip(pages, heights):
        idx = [i for i, ln in enumerate(lines)
               if ln.base < h * MARGIN_SHARE or ln.base > h * (1 - MARGIN_SHARE)]
        in_margin.append(idx)
        for key in {_artefact_key(lines[i]) for i in idx}:
            counts[key] = counts.get(key, 0) + 1
    # A margin line repeated on most pages is a running header or footer.
    repeated = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, 0.5 * len(pages))}
    out = []
    for lines, idx in zip(pages, in_margin):
        drop = {i for i in idx
                if PAGE_NUMBER.match(lines[i].text.strip()) or _artefact_key(lines[i]) in repeated}
        out.append([ln for i, ln in enumerate(lines) if i not in drop])
    return out


# --- tables without ruling lines -------------------------------------------------


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
        row = [""] * len(cols)
        orow = [True] * len(cols)
        # a cell's pieces in reading order: line by line, then left to right
        for s, _ in sorted(cells, key=lambda c: (round(c[1], 1), c[0].x0)):
            a, b = _col_range(s, cols)
            row[a] = join_text(row[a], s.text)
            for c in range(a + 1, b):
                if not row[c]:
                    orow[c] = False
        grid.append(row)
        origin.append(orow)
    return grid, origin, xs


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
        row = [""] * len(cols)
        orow = [True] * len(cols)
        for ln in band:
            for s in ln.segments:
                a, b = _col_range(s, cols)
                row[a] = join_text(row[a], s.text)
                for c in range(a + 1, b):
                    if not row[c]:
                        orow[c] = False
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


# --- tables with ruling lines ----------------------------------------------------

def _snap(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(snapped: list[float], v: float, tol: float) -> int:
    for i, s in enumerate(snapped):
        if abs(s - v) <= tol:
            return i
    return min(range(len(snapped)), key=lambda i: abs(snapped[i] - v))


def ruled_grid(cells: list[tuple[float, float, float, float]], chars: list[Char],
               tol: float = 2.0) -> tuple[list[list[str]], list[list[bool]], list[float]]:
    """Cell boxes (x0, top, x1, bottom) of one table + its glyphs -> grid and origin.

    A box covering several grid columns/rows is a merged cell: its text goes to its
    top-left position, the positions it covers are empty copies (origin False).
    """
    xs = _snap([v for c in cells for v in (c[0], c[2])], tol)
    ys = _snap([v for c in cells for v in (c[1], c[3])], tol)
    nr, nc = max(len(ys) - 1, 1), max(len(xs) - 1, 1)
    grid = [[""] * nc for _ in range(nr)]
    origin = [[True] * nc for _ in range(nr)]
    boxes = []
    for x0, top, x1, bottom in cells:
        c0, c1 = _index(xs, x0, tol), max(_index(xs, x1, tol), _index(xs, x0, tol) + 1)
        r0, r1 = _index(ys, top, tol), max(_index(ys, bottom, tol), _index(ys, top, tol) + 1)
        boxes.append((x0, top, x1, bottom, r0, min(r1, nr), c0, min(c1, nc)))
    owned: dict[int, list[Char]] = {}
    for ch in chars:
        cx = (ch.x0 + ch.x1) / 2
        cy = ch.base - 0.3 * ch.size
        for bi, (x0, top, x1, bottom, *_r) in enumerate(boxes):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                owned.setdefault(bi, []).append(ch)
                break
    for bi, (_x0, _t, _x1, _b, r0, r1, c0, c1) in enumerate(boxes):
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0):
                    origin[r][c] = False
        grid[r0][c0] = cell_text(owned.get(bi, []))
    return grid, origin, xs


# A ruled "table" whose cell holds this much text is a frame drawn around prose.
LAYOUT_CELL_CHARS = 200


def is_layout_grid(grid: list[list[str]]) -> bool:
    """A box around the page, a text box, a one-column frame: not a data table."""
    cells = [c for row in grid for c in row if c]
    if not cells:
        return True
    return len(grid[0]) == 1 or max(len(c) for c in cells) > LAYOUT_CELL_CHARS


# --- a table continued on the next page -------------------------------------------

# Column boundaries of two parts of one table agree to this many points.
COLUMN_TOL = 3.0


def regrid(grid, origin, xs: list[float], new_xs: list[float]):
    """Spread a grid over finer column boundaries: a column covering several new
    columns keeps its text in the first, the others become empty copies."""
    def cover(c: int) -> list[int]:
        a, b = xs[c], xs[c + 1]
        return [k for k in range(len(new_xs) - 1)
                if new_xs[k] >= a - COLUMN_TOL and new_xs[k + 1] <= b + COLUMN_TOL] or \
            [min(range(len(new_xs) - 1), key=lambda k: abs(new_xs[k] - a))]
    maps = [cover(c) for c in range(len(xs) - 1)]
    g2, o2 = [], []
    for row, orow in zip(grid, origin):
        r = [""] * (len(new_xs) - 1)
        o = [False] * (len(new_xs) - 1)
        for c, ks in enumerate(maps):
            if c >= len(row):
                break
            if not r[ks[0]]:
                r[ks[0]] = row[c]
            o[ks[0]] = o[ks[0]] or orow[c]
        g2.append(r)
        o2.append(o)
    return g2, o2


def same_columns(xs_a: list[float], xs_b: list[float]) -> bool:
    """Two parts of one table: same outer edges, and one's column boundaries contain the other's."""
    if not xs_a or not xs_b:
        return False
    if abs(xs_a[0] - xs_b[0]) > COLUMN_TOL or abs(xs_a[-1] - xs_b[-1]) > COLUMN_TOL:
        return False
    small, big = sorted((xs_a, xs_b), key=len)
    return all(any(abs(x - y) <= COLUMN_TOL for y in big) for x in small)


def merged_xs(xs_a: list[float], xs_b: list[float]) -> list[float]:
    return _snap(xs_a + xs_b, COLUMN_TOL)


def cell_text(chars: list[Char]) -> str:
    text = ""
    for ln in group_lines(chars):
        text = join_text(text, ln.text)
    return text


# --- paragraphs ------------------------------------------------------------------

@dataclass
class Para:
    text: str
    top: float
    bottom_line: Line
    first_line: Line


def paragraphs(lines: list[Line], left: float, right: float) -> list[Para]:
    """Re-join hard-wrapped lines: a paragraph ends at a short line, an indent, a gap or a size change."""
    out: list[Para] = []
    pitches = [b.base - a.base for a, b in zip(lines, lines[1:]) if b.base > a.base]
    pitch = statistics.median(pitches) if pitches else 0
    prev: Optional[Line] = None
    for ln in lines:
        text = ln.text
        if not text.strip():
            continue
        cont = prev is not None and continues(prev, ln, left, right, pitch)
        if cont:
            out[-1].text = join_text(out[-1].text, text)
            out[-1].bottom_line = ln
        else:
            out.append(Para(text, ln.base - ln.size, ln, ln))
        prev = ln
    return out


def _centred_wrap(prev: Line, ln: Line, left: float, right: float, em: float) -> bool:
    # a centred title wrapped onto a second, shorter centred line
    mid = (left + right) / 2
    return abs((prev.x0 + prev.x1) / 2 - mid) < em and abs((ln.x0 + ln.x1) / 2 - mid) < em \
        and ln.x0 > left + 2 * em and ln.x1 < right - 2 * em and ln.base - prev.base < 2.0 * em


_UNBREAKABLE = re.compile(r"[A-Za-z0-9.,%@/:_\-]+|.[，。、；：！？）》”’」』〕】,.;:!?)]*")


def _first_token_width(ln: Line) -> float:
    """Width of what could not have fitted at the end of the line before: a number or
    word is never split by the layout program, and closing punctuation stays with its character."""
    m = _UNBREAKABLE.match(ln.text)
    n = len(m.group(0)) if m else 1
    chars = ln.chars[:n]
    return chars[-1].x1 - chars[0].x0 if chars else 0.0


def continues(prev: Line, ln: Line, left: float, right: float, pitch: float) -> bool:
    em = max(prev.size, ln.size)
    if abs(prev.size - ln.size) > 1.0:
        return False
    if right - prev.x1 > SHORT_LINE_EM * em + _first_token_width(ln):
        return False
    if ln.x0 > left + INDENT_EM * em and not _centred_wrap(prev, ln, left, right, em):
        return False
    if pitch and ln.base - prev.base > PARA_GAP_RATIO * max(pitch, 1.2 * em):
        return False
    return True
