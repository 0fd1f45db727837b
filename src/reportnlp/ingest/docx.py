"""DOCX reports -> Document: paragraphs and tables in body order, merged cells expanded.

The body's children are walked directly (w:p, w:tbl, and the w:sdt content
controls that wrap them), so tables sit between the paragraphs they sit between
in the file. A merged cell (w:gridSpan across, w:vMerge down) fills every grid
position it covers: the first holds its text, the rest are empty copies with
origin False, the same shape as HTML tables and PDF tables.
"""
from __future__ import annotations

import zipfile

from ..errors import ReportError
from ..model import Block, Document
from ..util import sha256_bytes
from .pdf_layout import join_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# A table this small whose cell holds this much text frames the page (same rule as html.py).
LAYOUT_MAX_CELLS = 3
LAYOUT_CELL_CHARS = 200


def read_docx(path: str) -> Document:
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        raise ReportError("E002", path)
    if data.startswith(OLE_MAGIC):
        raise ReportError("E003", path, "legacy .doc/.wps (OLE) file; save it as .docx or PDF")
    if not data.startswith(b"PK"):
        raise ReportError("E006", path, "not a ZIP container, so not a DOCX")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as e:
        raise ReportError("E006", path, f"broken ZIP: {e}")
    if "word/document.xml" not in names:
        raise ReportError("E006", path, "a ZIP without word/document.xml (renamed archive?)")
    import docx  # python-docx

    try:
        d = docx.Document(path)
    except Exception as e:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise ReportError("E006", path, f"{type(e).__name__}: {str(e)[:120]}")
    from .docx_numbering import Numbering

    blocks = list(_walk(d.element.body, Numbering(d)))
    return Document(path=path, format="docx", sha256=sha256_bytes(data), blocks=blocks)


def _walk(parent, numbering):
    for el in parent.iterchildren():
        tag = el.tag
        if tag == W + "p":
            # the number Word draws ("一、", "（二）") is not in the text: put it back
            label = numbering.label(el)
            text = paragraph_text(el).strip()
            if text:
                yield Block("text", text=label + text if label and not text.startswith(label) else text)
        elif tag == W + "tbl":
            if is_layout_table(el):
                # a table used to lay out the page: its cells are the document
                for tc in el.iter(W + "tc"):
                    if _owner(tc) is el:
                        yield from _walk(tc, numbering)
                continue
            grid, origin = table_grid(el)
            if grid:
                yield Block("table", grid=grid, origin=origin)
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
            inner = el.find(W + "sdtContent") if tag == W + "sdt" else el
            yield from _walk(inner if inner is not None else el, numbering)


def _owner(tc):
    """The table a cell belongs to (cells of nested tables belong to the inner one)."""
    node = tc.getparent()
    while node is not None and node.tag != W + "tbl":
        node = node.getparent()
    return node


def is_layout_table(tbl) -> bool:
    """A table holding the report rather than data: it nests another table, or it has
    at most LAYOUT_MAX_CELLS cells and one of them holds a long text."""
    cells = [tc for tc in tbl.iter(W + "tc") if _owner(tc) is tbl]
    if any(_owner(inner) is not tbl for inner in tbl.iter(W + "tc")):
        return True
    return len(cells) <= LAYOUT_MAX_CELLS and any(len(_cell_text(tc)) > LAYOUT_CELL_CHARS for tc in cells)


def paragraph_text(p) -> str:
    """Text of a w:p: runs, tabs and breaks (deleted text, w:delText, is not read)."""
    out = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if _in_fallback(node, p):
            continue  # mc:Fallback repeats the mc:Choice content (text boxes) for old readers
        if node.tag == W + "t":
            out.append(node.text or "")
        elif node.tag in (W + "tab",):
            out.append("\t")
        elif node.tag in (W + "br", W + "cr"):
            out.append("\n")
    return "".join(out)


def _in_fallback(node, stop) -> bool:
    n = node.getparent()
    while n is not None and n is not stop:
        if n.tag == MC + "Fallback":
            return True
        n = n.getparent()
    return False


def _cell_text(tc) -> str:
    text = ""
    for p in tc.iter(W + "p"):
        for line in paragraph_text(p).replace("\t", " ").split("\n"):
            text = join_text(text, line.strip())
    return text


def _int_val(el, name: str, default: int = 1) -> int:
    node = el.find(f"{W}tcPr/{W}{name}") if el is not None else None
    if node is None:
        return default
    try:
        return max(1, int(node.get(W + "val")))
    except (TypeError, ValueError):
        return default


def table_grid(tbl) -> tuple[list[list[str]], list[list[bool]]]:
    grid: list[list[str]] = []
    origin: list[list[bool]] = []
    for tr in tbl.findall(W + "tr"):
        row: list[str] = []
        orow: list[bool] = []
        before = tr.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            n = int(before.get(W + "val", "0") or 0)
            row += [""] * n
            orow += [True] * n
        for tc in tr.findall(W + "tc"):
            span = _int_val(tc, "gridSpan")
            vm = tc.find(f"{W}tcPr/{W}vMerge")
            continues = vm is not None and vm.get(W + "val", "continue") == "continue"
            col = len(row)
            text = "" if continues else _cell_text(tc)
            for k in range(span):
                row.append(text if k == 0 else "")
                orow.append(k == 0 and not continues)
            if continues and not grid:
                orow[col] = True  # a continuation with nothing above: treat as its own cell
        grid.append(row)
        origin.append(orow)
    width = max((len(r) for r in grid), default=0)
    for r, o in zip(grid, origin):
        while len(r) < width:
            r.append("")
            o.append(True)
    return grid, origin
