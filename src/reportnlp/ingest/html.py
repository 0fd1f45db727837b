"""HTML reports: the charset the page declares, the article body, tables as cell grids."""
from __future__ import annotations

import re

from ..errors import ReportError
from ..model import Block, Document
from ..util import sha256_bytes
from .txt import check_text, decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# A cell with this much text is prose laid out in a table, not a data cell.
LAYOUT_CELL_CHARS = 200

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
              "blockquote", "pre", "center", "ul", "ol", "dl", "dt", "dd", "form", "header", "footer"}
DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg", "head", "select",
             "button", "input", "textarea"}
# Parts of a government page around the article: navigation, footers, sidebars.
JUNK_HINT = re.compile(r"nav|menu|footer|header|breadcrumb|sidebar|share|crumb|copyright|banner|toolbar", re.I)


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    cs = m.group(1).decode("ascii", "replace").lower()
    # gb2312 pages routinely contain GBK characters; GB18030 is their superset
    return {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "utf8": "utf-8"}.get(cs, cs)


def _decode(data: bytes, path: str) -> tuple[str, str]:
    cs = declared_charset(data)
    if cs and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(cs), cs
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect instead
    return decode(data, path)


def table_grid(table) -> tuple[list[list[str]], list[list[bool]]]:
    """Cell grid with rowspan/colspan expanded; origin marks cells that hold their own content."""
    rows = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
    grid: list[list[str | None]] = []
    origin: list[list[bool]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
            origin.append([])
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in pending:
                _put(grid, origin, r, c, "", False)
                del pending[(r, c)]
                c += 1
            text = _cell_text(cell)
            rs = _int_attr(cell, "rowspan")
            cs = _int_attr(cell, "colspan")
            for dc in range(cs):
                _put(grid, origin, r, c + dc, text if dc == 0 else "", dc == 0)
                for dr in range(1, rs):
                    pending[(r + dr, c + dc)] = text
            c += cs
        while (r, c) in pending:
            _put(grid, origin, r, c, "", False)
            del pending[(r, c)]
            c += 1
    # rows that only hold rowspan copies after the last <tr>
    width = max((len(g) for g in grid), default=0)
    for g, o in zip(grid, origin):
        while len(g) < width:
            g.append("")
            o.append(False)
    return [[x or "" for x in g] for g in grid], origin


def _put(grid, origin, r, c, text, own):
    row, orow = grid[r], origin[r]
    while len(row) <= c:
        row.append(None)
        orow.append(False)
    row[c] = text
    orow[c] = own


def _int_attr(el, name: str) -> int:
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or 1), 200))
    except ValueError:
        return 1


def _owner_table(el):
    p = el.getparent()
    while p is not None and (not isinstance(p.tag, str) or p.tag.lower() != "table"):
        p = p.getparent()
    return p


def _cell_text(cell) -> str:
    parts = []
    for t in cell.itertext():
        parts.append(t)
    return " ".join("".join(parts).split())


def _is_data_table(table) -> bool:
    if any(isinstance(t.tag, str) and t.tag.lower() == "table" for t in table.iterdescendants()):
        return False
    cells = [c for c in table.iter("td", "th")]
    if not cells:
        return False
    longest = max(len(_cell_text(c)) for c in cells)
    return not (len(cells) <= 3 and longest > LAYOUT_CELL_CHARS)


def _cjk_len(el) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", el.text_content() or ""))


def _content_root(body):
    """The element holding the article: the deepest one with most of the page's CJK text."""
    total = _cjk_len(body)
    if total == 0:
        return body
    node = body
    while True:
        best = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            n = _cjk_len(child)
            if n >= 0.7 * total and (best is None or n > best[0]):
                best = (n, child)
        if best is None or best[1].tag.lower() in ("table", "tbody", "tr", "p"):
            return node
        node = best[1]


def _walk(el, blocks: list[Block], buf: list[str]) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in DROP_TAGS:
        if el.tail:
            buf.append(el.tail)
        return
    if tag == "table" and _is_data_table(el):
        _flush(blocks, buf)
        grid, origin = table_grid(el)
        if grid:
            blocks.append(Block(kind="table", grid=grid, origin=origin))
        if el.tail:
            buf.append(el.tail)
        return
    if tag == "br":
        buf.append("\n")
    elif tag in BLOCK_TAGS or tag in ("td", "th"):
        buf.append("\n")
    if el.text and tag not in DROP_TAGS:
        buf.append(el.text)
    for child in el:
        _walk(child, blocks, buf)
    if tag in BLOCK_TAGS:
        buf.append("\n")
    elif tag in ("td", "th"):
        buf.append("\t")
    if el.tail:
        buf.append(el.tail)


def _flush(blocks: list[Block], buf: list[str]) -> None:
    text = "".join(buf)
    buf.clear()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [ln for ln in lines if ln]
    if lines:
        blocks.append(Block(kind="text", text="\n".join(lines)))


def read_html(path: str, data: bytes) -> Document:
    import lxml.html

    text, enc = _decode(data, path)
    check_text(text, path)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception as e:  # lxml raises several types on garbage
        raise ReportError("E006", path, f"unparsable HTML: {str(e).splitlines()[0][:80]}")
    body = root.find("body")
    if body is None:
        body = root
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        attrs = " ".join(str(el.get(a, "")) for a in ("id", "class", "role"))
        if el.tag.lower() in ("nav", "footer") or (attrs.strip() and JUNK_HINT.search(attrs)
                                                   and _cjk_len(el) < 300):
            el.drop_tree()  # keeps the tail text in place
    node = _content_root(body)
    blocks: list[Block] = []
    # the title often sits outside the article container (an <h1> above it, or <title>)
    head = "".join((node.text_content() or "")[:400].split())
    # the article already opens with its title when the first characters are the title itself
    for cand in list(root.iter("h1", "h2", "h3")) + list(root.iter("title")):
        t = " ".join((cand.text_content() or "").split())
        t = re.split(r"[_|｜]", t)[0].strip()  # "<title>报告名_某某市人民政府</title>"
        if re.search(r"年度[报報]告", t) and len(t) < 120 and re.search(r"(?:19|20)\d{2}", t):
            if not head.startswith("".join(t.split())):
                blocks.append(Block(kind="text", text=t))
            break
    buf: list[str] = []
    _walk(node, blocks, buf)
    _flush(blocks, buf)
    if not blocks:
        raise ReportError("E002", path, "no text in the page")
    return Document(path=path, format="html", sha256=sha256_bytes(data), blocks=blocks, encoding=enc)
