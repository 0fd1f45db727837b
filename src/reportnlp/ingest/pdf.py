"""PDF reports -> Document: paragraphs and table grids in reading order, with pages.

Two sources of glyphs give the same blocks (tests/test_pdf_paths.py checks it):

* fast (default): pypdfium2 for the glyphs of every page; pdfplumber (pdfminer)
  only on pages that draw enough ruling lines to hold a table, for the cell boxes;
* reference (``backend="pdfminer"``): pdfplumber's glyphs and tables on every page.

Layout (lines, page artefacts, paragraphs, tables without rulings) is computed
from the glyphs alone by `pdf_layout` and `pdf_unruled`, so the backend only
decides where glyphs come from. Failures are `ReportError`s: E006 corrupt,
E007 encrypted, E008 no text layer, E009 too large.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Optional

from ..errors import ReportError
from ..model import Block, Document
from ..util import sha256_bytes
from . import pdf_layout as L
from . import pdf_unruled as U
from .pdf_layout import Char

# Annual reports run to a few dozen pages; anything longer is a compilation or a
# wrong file, and reading it would hold a worker for minutes.
MAX_PAGES = 300
# Same bound as ingest.read: the largest real reports are a few MB.
MAX_BYTES = 100 * 1024 * 1024
# A page that strokes fewer path objects than this cannot hold a ruled table
# (a 2x2 grid needs at least 6 rules), so pdfplumber is not run on it.
MIN_RULE_OBJECTS = 6
# Fewer real glyphs than this on every page: the PDF is a scan.
MIN_TEXT_CHARS = 10
# Share of a page's glyphs that map to nothing readable above which the page is garbled.
GARBLED_SHARE = 0.3
# Tail of the file searched for the end-of-file marker of a complete PDF.
EOF_TAIL = 2048

for _name in ("pdfminer", "pdfplumber"):
    # pdfminer logs per glyph on fonts without a ToUnicode map
    logging.getLogger(_name).setLevel(logging.ERROR)


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char]
    unmapped: int = 0  # glyphs with no usable Unicode value
    rotated: bool = False  # /Rotate set: the two backends see different frames
    problem: str = ""  # what could not be read on this page
    images: int = 0  # image objects drawn (a page of a scan is one image and no glyphs)
    tables: list[tuple[tuple[float, float, float, float], list]] = field(default_factory=list)


def read_pdf(path: str, *, ocr: bool = False, backend: str = "auto") -> Document:
    data = _read_checked(path)
    if backend == "pdfminer":
        pages = _pages_pdfminer(path, data)
    else:
        pages = _pages_pdfium(path, data)
    n_text = sum(len(p.chars) for p in pages)
    scanned = [p for p in pages if len(p.chars) < MIN_TEXT_CHARS and (p.images or n_text < MIN_TEXT_CHARS)]
    if scanned and ocr:
        from .pdf_ocr import ocr_pages

        ocr_pages(path, data, scanned)
    elif all(len(p.chars) < MIN_TEXT_CHARS for p in pages):
        raise ReportError("E008", path, f"{n_text} glyphs on {len(pages)} pages; try --ocr")
    doc = Document(path=path, format="pdf", sha256=sha256_bytes(data),
                   blocks=layout(pages), pages=len(pages))
    garbled = [p.number for p in pages if _garbled(p)]
    if garbled:
        doc.warnings.append("garbled text: font without ToUnicode map on pages "
                            + ", ".join(map(str, garbled)))
    if scanned and not ocr:
        doc.warnings.append("no text layer (scanned?) on pages " + ", ".join(str(p.number) for p in scanned))
    for p in pages:
        if p.problem:
            doc.warnings.append(f"page {p.number}: {p.problem}")
    rotated = [p.number for p in pages if p.rotated]
    if rotated:
        # Text is read in the page's own frame; content drawn sideways so that /Rotate
        # shows it upright (a landscape table on a portrait page) is not turned back yet.
        doc.warnings.append("rotated pages (/Rotate): text read in the page's own orientation on pages "
                            + ", ".join(map(str, rotated)))
    return doc


def _read_checked(path: str) -> bytes:
    try:
        size = os.path.getsize(path)
    except OSError:
        raise ReportError("E001", path)
    if size > MAX_BYTES:
        raise ReportError("E009", path, f"{size // (1024 * 1024)} MB > {MAX_BYTES // (1024 * 1024)} MB")
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        raise ReportError("E002", path)
    if b"%PDF-" not in data[:1024]:
        raise ReportError("E006", path, "no PDF header")
    if b"%%EOF" not in data[-EOF_TAIL:]:
        raise ReportError("E006", path, "truncated: no end-of-file marker")
    return data


def _check_pages(path: str, n: int) -> None:
    if n == 0:
        raise ReportError("E006", path, "no pages")
    if n > MAX_PAGES:
        raise ReportError("E009", path, f"{n} pages > {MAX_PAGES}")


# --- fast path: pypdfium2 glyphs, pdfplumber only where rulings are -----------------


def _pages_pdfium(path: str, data: bytes) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        # pdfium's last-error code can be stale from an earlier file: confirm with the trailer
        if getattr(e, "err_code", None) == R.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
            raise ReportError("E007", path, "needs a password")
        raise _diagnose(path, data)
    try:
        _check_pages(path, len(pdf))
        pages: list[Page] = []
        ruled: list[int] = []
        for i in range(len(pdf)):
            page = pdf[i]
            # page space, not display space: /Rotate only turns the page on screen
            rotation = page.get_rotation()
            left, bottom, right, top = page.get_mediabox()
            w, h = right - left, top - bottom
            tp = page.get_textpage()
            chars: list[Char] = []
            unmapped = 0
            raw = tp.raw
            n_chars = tp.count_chars()
            skip = -1
            for k in range(n_chars):
                if k == skip or R.FPDFText_IsGenerated(raw, k):
                    continue
                u = R.FPDFText_GetUnicode(raw, k)
                if 0xD800 <= u <= 0xDFFF:
                    # a character beyond the BMP (CJK Extension B names) comes as a UTF-16 pair
                    low = R.FPDFText_GetUnicode(raw, k + 1) if k + 1 < n_chars else 0
                    if u <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                        skip = k + 1
                    else:
                        u = 0xFFFD
                t = chr(u) if u else ""
                if not t.strip():
                    continue
                if R.FPDFText_HasUnicodeMapError(raw, k) or _unreadable(t):
                    unmapped += 1
                x0, _y0, x1, _y1 = tp.get_charbox(k, loose=True)
                ox, oy = _origin(R, raw, k)
                size = R.FPDFText_GetFontSize(raw, k)
                chars.append(Char(t, x0 - left, x1 - left, top - oy, size))
            paths, images = _count_objects(R, page)
            if paths >= MIN_RULE_OBJECTS:
                ruled.append(i)
            tp.close()
            page.close()
            pages.append(Page(i + 1, w, h, chars, unmapped, rotated=rotation != 0, images=images))
    finally:
        pdf.close()
    if ruled:
        try:
            _ruled_tables_pdfplumber(path, data, pages, ruled)
        except ReportError as e:  # pdfium reads it, pdfminer does not: keep the text
            for i in ruled:
                pages[i].problem = f"ruled tables not read ({e.detail or e.reason})"
    return pages


def _origin(R, raw, k):
    import ctypes

    x, y = ctypes.c_double(), ctypes.c_double()
    R.FPDFText_GetCharOrigin(raw, k, ctypes.byref(x), ctypes.byref(y))
    return x.value, y.value


def _diagnose(path: str, data: bytes) -> ReportError:
    """Why pdfium refused a file (its own message can be stale): ask pdfminer."""
    try:
        pdf = _open_plumber(path, data)
    except ReportError as e:
        return e
    try:
        n = len(pdf.pages)
    except Exception as e:
        return ReportError("E006", path, f"{type(e).__name__}: {str(e)[:120]}")
    finally:
        pdf.close()
    return ReportError("E006", path, "no pages" if n == 0 else "PDFium cannot load it")


def _count_objects(R, page) -> tuple[int, int]:
    """Path and image objects at the top level of the page's content."""
    paths = images = 0
    for j in range(R.FPDFPage_CountObjects(page.raw)):
        kind = R.FPDFPageObj_GetType(R.FPDFPage_GetObject(page.raw, j))
        paths += kind == R.FPDF_PAGEOBJ_PATH
        images += kind == R.FPDF_PAGEOBJ_IMAGE
    return paths, images


# --- reference path: pdfminer (via pdfplumber) on every page ----------------------


def _open_plumber(path: str, data: bytes):
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data), password="")
    except PDFPasswordIncorrect:
        raise ReportError("E007", path, "needs a password")
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        inner = e.args[0] if e.args else None
        if isinstance(inner, PDFPasswordIncorrect) or type(inner).__name__.startswith("PDFEncrypt"):
            raise ReportError("E007", path, str(e)[:120])
        raise ReportError("E006", path, f"{type(e).__name__}: {str(e)[:120]}")


def _pages_pdfminer(path: str, data: bytes) -> list[Page]:
    pdf = _open_plumber(path, data)
    try:
        try:
            n = len(pdf.pages)
        except Exception as e:
            raise ReportError("E006", path, f"{type(e).__name__}: {str(e)[:120]}")
        _check_pages(path, n)
        pages = []
        for i, p in enumerate(pdf.pages):
            try:
                pages.append(_page_pdfminer(i, p))
            except ReportError:
                raise
            except Exception as e:  # pdfminer raises many unrelated types for broken content
                raise ReportError("E006", path, f"page {i + 1}: {type(e).__name__}: {str(e)[:100]}")
    finally:
        pdf.close()
    return pages


def _page_pdfminer(i: int, p) -> Page:
    chars = []
    unmapped = 0
    rot = _Unrotate(p)
    for c in p.chars:
        t = c["text"]
        if not t.strip():
            continue
        if t.startswith("(cid:") or _unreadable(t):
            unmapped += 1
        m = c["matrix"]
        x0, _t, x1, _b = rot.box((c["x0"], c["top"], c["x1"], c["bottom"]))
        base = rot.point(m[4], p.height - m[5] + p.bbox[1])[1]
        chars.append(Char(t, x0, x1, base, c["size"]))
    page = Page(i + 1, rot.w, rot.h, chars, unmapped, rotated=bool(p.rotation), images=len(p.images))
    page.tables = _plumber_tables(p)
    p.flush_cache()
    return page


# --- ruled tables (pdfplumber's lines strategy) ----------------------------------

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


class _Unrotate:
    """pdfplumber reports a page turned by /Rotate in the turned frame; the glyphs from
    pdfium are in the page's own frame. Map pdfplumber's (x, top) back to the page frame."""

    def __init__(self, p):
        self.rot = int(p.rotation or 0) % 360
        self.wd, self.hd = p.width, p.height  # as displayed
        self.w, self.h = (self.hd, self.wd) if self.rot in (90, 270) else (self.wd, self.hd)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rot == 90:
            return y, self.h - x
        if self.rot == 180:
            return self.w - x, self.h - y
        if self.rot == 270:
            return self.w - y, x
        return x, y

    def box(self, b) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(b[0], b[1]), self.point(b[2], b[3])
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _plumber_tables(p) -> list:
    rot = _Unrotate(p)
    out = []
    for t in p.find_tables(TABLE_SETTINGS):
        cells = [rot.box(c) for c in t.cells]
        # a single box is a frame around text, not a table
        if len(cells) >= 2:
            out.append((rot.box(t.bbox), cells))
    return out


def _ruled_tables_pdfplumber(path: str, data: bytes, pages: list[Page], which: list[int]) -> None:
    pdf = _open_plumber(path, data)
    try:
        for i in which:
            p = pdf.pages[i]
            # The glyphs come from pdfium: let pdfminer lay out the rules only (most of
            # its time on a page of Chinese text goes into building glyph objects).
            try:
                p._layout = _rules_only_layout(pdf, p)
                pages[i].tables = _plumber_tables(p)
            except Exception as e:  # a page pdfminer cannot lay out keeps its text, loses its ruled tables
                pages[i].problem = f"ruled tables not read ({type(e).__name__})"
            p.flush_cache()
    finally:
        pdf.close()


def _rules_only_layout(pdf, p):
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent
    from pdfplumber.utils.exceptions import PdfminerException

    class RulesOnly(PDFPageAggregatorWithMarkedContent):
        def render_string(self, textstate, seq, ncs, graphicstate):
            return None

    device = RulesOnly(pdf.rsrcmgr, pageno=p.page_number, laparams=pdf.laparams)
    try:
        PDFPageInterpreter(pdf.rsrcmgr, device).process_page(p.page_obj)
    except Exception as e:  # the same wrapping pdfplumber applies
        raise PdfminerException(e)
    return device.get_result()


# --- garbled glyphs --------------------------------------------------------------


def _unreadable(t: str) -> bool:
    o = ord(t[0])
    return o < 0x20 or 0xE000 <= o <= 0xF8FF or o >= 0xFFFD and o <= 0xFFFF or 0x80 <= o < 0xA0


def _garbled(p: Page) -> bool:
    if len(p.chars) < MIN_TEXT_CHARS:
        return False
    if p.unmapped / len(p.chars) > GARBLED_SHARE:
        return True
    # Chinese reports are mostly CJK; Latin-1 letters where CJK should be are a
    # font whose codes were read as single bytes.
    cjk = sum(1 for c in p.chars if _is_cjk(c.text))
    latin1 = sum(1 for c in p.chars if 0xA0 <= ord(c.text[0]) <= 0x24F)
    return cjk / len(p.chars) < 0.1 and (latin1 + p.unmapped) / len(p.chars) > GARBLED_SHARE


def _is_cjk(t: str) -> bool:
    o = ord(t[0])
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF


# --- layout ----------------------------------------------------------------------


@dataclass
class _Item:
    top: float
    block: Block
    first: Optional[L.Line] = None
    last: Optional[L.Line] = None
    xs: list = field(default_factory=list)  # column boundaries of a table
    bbox: Optional[tuple] = None  # a ruled table's box


def layout(pages: list[Page]) -> list[Block]:
    page_lines: list[list[L.Line]] = []
    ruled: list[list[_Item]] = []
    for p in pages:
        items = []
        for bbox, cells in p.tables:
            inside = [c for c in p.chars if _inside(c, bbox)]
            grid, origin, xs = L.ruled_grid(cells, inside)
            if L.is_layout_grid(grid):
                continue  # a frame around the page or a text box: its text is prose
            items.append(_Item(bbox[1], Block("table", grid=grid, origin=origin, page=p.number), xs=xs,
                               bbox=bbox))
        boxes = [it.bbox for it in items]
        free = [c for c in p.chars if not any(_inside(c, b) for b in boxes)]
        page_lines.append(L.group_lines(free))
        ruled.append(items)
    page_lines = L.strip_artefacts(page_lines, [p.height for p in pages])
    staged = []
    for p, lines, items in zip(pages, page_lines, ruled):
        regions = U.find_unruled_tables(lines)
        used = set()
        for a, b in regions:
            grid, origin, xs = U.unruled_grid(lines[a:b])
            items.append(_Item(lines[a].base - lines[a].size,
                               Block("table", grid=grid, origin=origin, page=p.number), xs=xs))
            used.update(range(a, b))
        text_lines = [ln for i, ln in enumerate(lines) if i not in used]
        staged.append((p, lines, regions, text_lines, items))
    # The text block's edges are measured over all pages of one size: a page holding
    # only indented one-line paragraphs would otherwise look unindented.
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    for p, _lines, _r, text_lines, _i in staged:
        key = (round(p.width), round(p.height))
        lo, hi = edges.get(key, (float("inf"), float("-inf")))
        edges[key] = (min([lo] + [ln.x0 for ln in text_lines]), max([hi] + [ln.x1 for ln in text_lines]))
    per_page: list[list[_Item]] = []
    margins = []
    for p, lines, regions, text_lines, items in staged:
        left, right = edges[(round(p.width), round(p.height))]
        if left > right:
            left, right = 0.0, p.width
        margins.append((left, right))
        # paragraphs never run across a table
        chunk: list[L.Line] = []
        bounds = sorted([(lines[a].base, lines[b - 1].base) for a, b in regions])
        for ln in text_lines:
            if chunk and any(chunk[-1].base < lo and ln.base > hi for lo, hi in bounds):
                items.extend(_para_items(chunk, left, right, p.number))
                chunk = []
            chunk.append(ln)
        items.extend(_para_items(chunk, left, right, p.number))
        items.sort(key=lambda it: it.top)
        per_page.append(items)
    return _join_pages(per_page, margins)


def _para_items(lines, left, right, page) -> list[_Item]:
    return [_Item(pa.top, Block("text", text=pa.text, page=page), pa.first_line, pa.bottom_line)
            for pa in L.paragraphs(lines, left, right)]


def _inside(c: Char, bbox) -> bool:
    x0, top, x1, bottom = bbox
    cx = (c.x0 + c.x1) / 2
    cy = c.base - 0.3 * c.size
    return x0 <= cx <= x1 and top <= cy <= bottom


def _join_pages(per_page: list[list[_Item]], margins) -> list[Block]:
    """A paragraph or a table broken by a page break becomes one block again."""
    blocks: list[Block] = []
    last: Optional[_Item] = None
    prev_right = 0.0
    for items, (left, right) in zip(per_page, margins):
        for k, it in enumerate(items):
            if k == 0 and last is not None and blocks:
                prev = blocks[-1]
                if prev.kind == "text" and it.block.kind == "text" and last.last is not None \
                        and it.first is not None and _para_continues(last, it, left, prev_right):
                    prev.text = L.join_text(prev.text, it.block.text)
                    last = it
                    continue
                if prev.kind == "table" and it.block.kind == "table" and L.same_columns(last.xs, it.xs):
                    _append_rows(prev, last, it)
                    continue
            blocks.append(it.block)
            last = it
        prev_right = right
    return blocks


def _para_continues(prev: _Item, it: _Item, left: float, prev_right: float) -> bool:
    a, b = prev.last, it.first
    em = max(a.size, b.size)
    prev_text = prev.block.text.rstrip()
    # the same test as between two lines of a page, without the vertical gap
    return (not prev_text.endswith(("。", "！", "？", "：", ":"))
            and b.x0 <= left + L.INDENT_EM * em
            and L.continues(a, b, left, prev_right, 0.0))


def _append_rows(a: Block, last: _Item, it: _Item) -> None:
    """Join the part of a table on the next page to the part before it (template.md M12)."""
    b = it.block
    xs = L.merged_xs(last.xs, it.xs)
    if xs != last.xs:
        a.grid, a.origin = L.regrid(a.grid, a.origin, last.xs, xs)
    bg, bo = (b.grid, b.origin) if xs == it.xs else L.regrid(b.grid, b.origin, it.xs, xs)
    # a header repeated at the top of the next page is dropped
    k = 0
    for n in range(min(4, len(a.grid), len(bg) - 1), 0, -1):
        if a.grid[:n] == bg[:n] and any(any(r) for r in bg[:n]):
            k = n
            break
    bg, bo = bg[k:], bo[k:]
    # a row broken by the page break: its tail has label text only, no numbers
    if bg and a.grid and _row_tail(a.grid[-1], bg[0]):
        a.grid[-1] = [L.join_text(x, y) for x, y in zip(a.grid[-1], bg[0])]
        bg, bo = bg[1:], bo[1:]
    a.grid.extend(bg)
    a.origin.extend(bo)
    last.xs = xs
    last.last = it.last


def _row_tail(prev_row: list[str], row: list[str]) -> bool:
    if not any(row) or any(any(ch.isdigit() for ch in x) for x in row):
        return False
    if not any(any(ch.isdigit() for ch in x) for x in prev_row):
        return False
    return all(not y or x for x, y in zip(prev_row, row))

