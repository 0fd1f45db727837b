"""Page geometry -> lines, paragraphs and ruled-table grids (pure functions, no PDF library).

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
# A glyph repeated closer than this to its previous copy is overprinting (fake bold).
FAKE_BOLD_EM = 0.3
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
