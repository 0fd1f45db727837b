#!/usr/bin/env python3
"""Render every sample report to DOCX and PDF with real tools, for the round-trip tests.

    python scripts/render_samples.py [NAME ... | --all]   # default: samples not rendered yet
    python scripts/render_samples.py --other [NAME]   # bad/odd PDFs -> corpora/pdf_other

Input: corpora/samples/<name>.html (made by scripts/make_samples.py from
sources/<name>.json) read with reportnlp's own HTML reader, so paragraphs and
table grids (merged cells included) are exactly what the .html carries; the
title comes from the source JSON. Output: corpora/samples/rendered/<name>.<variant>.{pdf,docx}
and manifest.json. Variants:

  docx          python-docx, real tables with merged cells (gridSpan / vMerge)
  ruled.pdf     reportlab, tables with a full grid, built-in CID font STSong-Light
  unruled.pdf   reportlab, tables without any ruling line, embedded TTF (WenQuanYi)
  split.pdf     reportlab ruled, Table 3 broken across two pages, header repeated
  trad.pdf      reportlab ruled, text converted to traditional characters (OpenCC s2t)
  lo.pdf        LibreOffice headless converting the DOCX (another producer)
  lo-landscape.pdf  LibreOffice, tables on landscape pages
  narrow.pdf    reportlab, no rules, Table 3 in equal narrow columns with centred cells
                (labels wrap over many lines, numbers sit between them), split over two pages

docx and ruled.pdf are made for every sample; the others rotate over the samples
so each variant exists at least once while the committed corpus stays small.
Needs: reportlab, python-docx, opencc (venv); soffice and fonts-wqy-zenhei (Debian)
for lo*/unruled. Files are committed; tests never call this script.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SAMPLES = ROOT / "corpora" / "samples"
OUT = SAMPLES / "rendered"
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
ROTATING = ("unruled", "split", "trad", "lo", "lo-landscape", "narrow")
MAX_FILE = 200 * 1024  # committed files stay small


# --- the report as paragraphs and grids -------------------------------------------


def load(name: str) -> dict:
    from reportnlp.ingest.html import read_html

    src = json.loads((SAMPLES / "sources" / f"{name}.json").read_text(encoding="utf-8"))
    html = SAMPLES / f"{name}.html"
    doc = read_html(str(html), html.read_bytes())
    items: list[tuple[str, object]] = [("title", src["title"])]
    exact = html_spans(html)
    for b in doc.blocks:
        if b.kind == "table":
            shape = (len(b.grid), len(b.grid[0]) if b.grid else 0)
            while exact and exact[0][0] != shape:
                exact.pop(0)  # a layout table the reader skipped
            sp = exact.pop(0)[1] if exact else None
            items.append(("table", (b.grid, b.origin, sp)))
        else:
            for para in b.text.split("\n"):
                if para.strip() and para.strip() != src["title"]:
                    items.append(("p", para.strip()))
    return {"name": name, "src": src, "items": items}


def html_spans(html: Path) -> list[tuple[tuple[int, int], list[tuple[int, int, int, int]]]]:
    """(shape, [(row, col, rowspan, colspan)]) of every innermost <table>, from the markup:
    the origin mask alone cannot tell a colspan from a rowspan."""
    import lxml.html

    root = lxml.html.fromstring(html.read_bytes())
    out = []
    for table in root.iter("table"):
        if any(t is not table for t in table.iter("table")):
            continue
        taken: set[tuple[int, int]] = set()
        cells = []
        rows = [tr for tr in table.iter("tr")]
        width = 0
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rs, cs = int(td.get("rowspan", 1) or 1), int(td.get("colspan", 1) or 1)
                cells.append((r, c, rs, cs))
                for dr in range(rs):
                    for dc in range(cs):
                        taken.add((r + dr, c + dc))
                c += cs
            width = max([width] + [cc + 1 for (rr, cc) in taken if rr == r])
        out.append(((len(rows), width), cells))
    return out


def spans(origin: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """(row, col, rowspan, colspan) of every cell, from the origin mask (copies are False)."""
    h, w = len(origin), len(origin[0])
    claimed = [[False] * w for _ in range(h)]
    out = []
    for r in range(h):
        for c in range(w):
            if claimed[r][c] or not origin[r][c]:
                continue
            cs = 1
            while c + cs < w and not origin[r][c + cs] and not claimed[r][c + cs]:
                cs += 1
            rs = 1
            while r + rs < h and all(not origin[r + rs][k] and not claimed[r + rs][k] for k in range(c, c + cs)):
                rs += 1
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    claimed[rr][cc] = True
            out.append((r, c, rs, cs))
    return out


def to_traditional(items):
    import opencc

    cc = opencc.OpenCC("s2t")
    out = []
    for kind, val in items:
        if kind == "table":
            grid, origin, sp = val
            out.append((kind, ([[cc.convert(x) for x in row] for row in grid], origin, sp)))
        else:
            out.append((kind, cc.convert(val)))
    return out


# --- DOCX ---------------------------------------------------------------------------


def render_docx(rep: dict, path: Path, landscape_tables: bool = False) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = Document()
    st = d.styles["Normal"]
    st.font.name = "SimSun"
    st.font.size = Pt(11)
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    landscape = False
    for kind, val in rep["items"]:
        if kind == "title":
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(val)
            run.bold = True
            run.font.size = Pt(16)
        elif kind == "p":
            if landscape:
                _orient(d, WD_SECTION, WD_ORIENT, False)
                landscape = False
            p = d.add_paragraph(val)
            p.paragraph_format.first_line_indent = Pt(22)
        else:
            if landscape_tables and not landscape:
                _orient(d, WD_SECTION, WD_ORIENT, True)
                landscape = True
            grid, origin, sp = val
            t = d.add_table(rows=len(grid), cols=len(grid[0]))
            t.style = "Table Grid"
            for r, c, rs, cs in sp or spans(origin):
                cell = t.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(t.cell(r + rs - 1, c + cs - 1))
                cell.text = grid[r][c]
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(8)
            d.add_paragraph()
    d.save(str(path))


def _orient(d, WD_SECTION, WD_ORIENT, landscape: bool) -> None:
    sec = d.add_section(WD_SECTION.NEW_PAGE)
    w, h = sec.page_width, sec.page_height
    if landscape != (w > h):
        sec.page_width, sec.page_height = h, w
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


# --- PDF (reportlab) --------------------------------------------------------------


def _fonts(ttf: bool) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if ttf:
        if "WQY" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
        return "WQY"
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _col_widths(grid: list[list[str]], avail: float) -> list[float]:
    # label columns (any long text) get the room, number columns a fixed share
    w = len(grid[0])
    longest = [max((len(row[c]) for row in grid), default=0) for c in range(w)]
    numeric = [all(len(row[c]) <= 8 for row in grid) for c in range(w)]
    if all(numeric):
        return [avail / w] * w
    num_w = min(30.0, avail * 0.5 / max(1, sum(numeric)))
    rest = avail - num_w * sum(numeric)
    weights = [max(4, min(longest[c], 30)) if not numeric[c] else 0 for c in range(w)]
    total = sum(weights)
    return [num_w if numeric[c] else rest * weights[c] / total for c in range(w)]


def render_pdf(rep: dict, path: Path, *, ruled: bool = True, ttf: bool = False,
               split_t3: bool = False, footer: str = "dash", encrypt=None, narrow: bool = False) -> None:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    font = _fonts(ttf)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=19, firstLineIndent=22,
                          wordWrap="CJK", alignment=4)
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=24, alignment=TA_CENTER,
                           spaceAfter=12)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    story = []
    avail = A4[0] - 2 * 72
    for kind, val in rep["items"]:
        if kind == "title":
            story.append(Paragraph(_esc(val), title))
        elif kind == "p":
            story.append(Paragraph(_esc(val), body))
        else:
            grid, origin, sp = val
            sp = sp or spans(origin)
            parts = [(grid, origin, sp)]
            if split_t3 and len(grid) > 20:
                cut = len(grid) // 2
                head = 3  # the header rows are repeated on the next page
                tail = _cut_origin(origin, sp, cut)
                sp1, sp2 = _split_spans(sp, cut, head)
                parts = [(grid[:cut], origin[:cut], sp1), (grid[:head] + grid[cut:], origin[:head] + tail, sp2)]
            for k, (g, o, s_) in enumerate(parts):
                if k:
                    story.append(PageBreak())
                # reportlab misplaces spanned cells when it splits a table itself: keep each part whole
                widths = [avail / len(grid[0])] * len(grid[0]) if narrow and len(grid) > 20 \
                    else _col_widths(grid, avail)
                story.append(KeepTogether([_table(g, s_, cell, widths, ruled, "MIDDLE" if narrow else None)]))
            story.append(Spacer(1, 8))
    title_text = rep["src"]["title"]

    def deco(c, d):
        c.saveState()
        c.setFont(font, 9)
        if footer == "page_of":
            c.drawCentredString(A4[0] / 2, 30, f"第 {d.page} 页")
        else:
            c.drawCentredString(A4[0] / 2, 30, f"— {d.page} —")
        if d.page > 1:  # running header from page 2 on, as most reports do
            c.drawString(72, A4[1] - 40, title_text)
        c.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, title=title_text, author="reportnlp render_samples",
                            invariant=1, encrypt=encrypt)
    doc.build(story, onFirstPage=deco, onLaterPages=deco)


def _cut_origin(origin: list[list[bool]], sp, cut: int) -> list[list[bool]]:
    """Origin rows from `cut` on; a span broken by the page break starts again as an (empty) cell."""
    tail = [list(row) for row in origin[cut:]]
    for r, c, rs, _cs in sp:
        if r < cut < r + rs:
            tail[0][c] = True
    return tail


def _split_spans(sp, cut: int, head: int):
    """Spans of the two parts of a table broken before row `cut`, rows 0..head-1 repeated."""
    first, second = [], []
    for r, c, rs, cs in sp:
        if r < cut:
            first.append((r, c, min(rs, cut - r), cs))
        if r < head:
            second.append((r, c, min(rs, head - r), cs))
        elif r >= cut:
            second.append((head + r - cut, c, rs, cs))
        elif r + rs > cut:
            second.append((head, c, r + rs - cut, cs))
    return first, second


def _table(grid, sp, cell_style, widths, ruled, valign=None):
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(_esc(x), cell_style) if x else "" for x in row] for row in grid]
    # ruled tables centre cells vertically like most government templates; the
    # unruled ones use Word's default (top), which keeps a row's cells on one baseline
    style = [("VALIGN", (0, 0), (-1, -1), valign or ("MIDDLE" if ruled else "TOP")),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    for r, c, rs, cs in sp:
        if rs > 1 or cs > 1:
            style.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
    return Table(data, colWidths=widths, style=TableStyle(style))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- LibreOffice ------------------------------------------------------------------


def soffice_pdf(docx: Path, out: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                       check=True, capture_output=True, timeout=180)
        shutil.move(str(Path(tmp) / (docx.stem + ".pdf")), out)


# --- bad and odd PDFs (corpora/pdf_other) -------------------------------------------

OTHER = ROOT / "corpora" / "pdf_other"


def _zero_page_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def make_pdf_other(sample: str) -> list[dict]:
    """Encrypted (owner-only and user password), truncated, zero-page, corrupt, scanned,
    garbled-font and non-report PDFs, each with the outcome the reader must give."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from reportlab.lib import pdfencrypt

    OTHER.mkdir(parents=True, exist_ok=True)
    rep = load(sample)
    made = []

    def note(name, expect, why):
        made.append({"file": name, "expect": expect, "why": why, "bytes": (OTHER / name).stat().st_size})
        print(f"corpora/pdf_other/{name}  {expect}")

    # owner password only: anyone may open it (empty user password), so it reads normally
    render_pdf(rep, OTHER / "encrypted-owner-only.pdf",
               encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canModify=0, canCopy=0))
    note("encrypted-owner-only.pdf", "ok", "owner password only: opens with the empty user password")
    render_pdf(rep, OTHER / "encrypted-user.pdf",
               encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    note("encrypted-user.pdf", "E007", "needs the user password 'secret'")
    full = (OUT / f"{sample}.ruled.pdf").read_bytes()
    (OTHER / "truncated.pdf").write_bytes(full[: len(full) * 6 // 10])
    note("truncated.pdf", "E006", "first 60% of a good PDF: no end-of-file marker")
    (OTHER / "zero-page.pdf").write_bytes(_zero_page_pdf())
    note("zero-page.pdf", "E006", "well-formed, empty page tree")
    (OTHER / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    note("corrupt.pdf", "E006", "PDF header and EOF marker around bytes that are no PDF")

    # scanned: page 1 of the ruled sample as a grey JPEG, no text layer
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(OUT / f"{sample}.ruled.pdf"))
    img = pdf[0].render(scale=1.2, grayscale=True).to_pil()
    pdf.close()
    c = canvas.Canvas(str(OTHER / "scanned.pdf"), pagesize=A4, invariant=1)
    for _ in range(2):
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    note("scanned.pdf", "E008", "two page images, no text layer")

    # garbled: a TrueType subset whose ToUnicode map is removed (same-length rename keeps xref offsets)
    tmp = OTHER / "garbled.pdf"
    render_pdf(rep, tmp, ttf=True)
    data = tmp.read_bytes().replace(b"/ToUnicode", b"/ToUnicodX")
    tmp.write_bytes(data)
    note("garbled.pdf", "warning", "embedded font without ToUnicode: glyph codes are not text")

    # a PDF that reads fine but is no annual report
    font = _fonts(False)
    c = canvas.Canvas(str(OTHER / "not-a-report.pdf"), pagesize=A4, invariant=1)
    c.setFont(font, 14)
    c.drawString(72, 760, "关于召开2023年度春季运动会的通知")
    c.setFont(font, 11)
    for i, line in enumerate(["各科室：", "经研究，定于4月20日在市体育中心举行春季运动会，请各科室",
                              "于4月10日前报送参赛名单。", "特此通知。", "办公室", "2023年3月28日"]):
        c.drawString(72, 720 - 22 * i, line)
    c.showPage()
    c.save()
    note("not-a-report.pdf", "E011", "a readable notice, not an annual report")
    (OTHER / "manifest.json").write_text(json.dumps({
        "about": "Bad and odd PDFs made by scripts/render_samples.py --other; expect: ok, warning or the ReportError code. "
                 "A 500-page PDF is generated at test time (tests/test_pdf_bad.py), not committed.",
        "files": made}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return made


# --- driver -----------------------------------------------------------------------


def variants_for(index: int) -> list[str]:
    extra = [ROTATING[index % len(ROTATING)], ROTATING[(index + 2) % len(ROTATING)]]
    return ["docx", "ruled"] + extra


def render(name: str, index: int) -> list[dict]:
    rep = load(name)
    made = []
    for v in variants_for(index):
        if v == "docx":
            path = OUT / f"{name}.docx"
            render_docx(rep, path)
            producer = "python-docx"
        elif v in ("lo", "lo-landscape"):
            path = OUT / f"{name}.{v}.pdf"
            with tempfile.TemporaryDirectory() as tmp:
                tmp_docx = Path(tmp) / f"{name}.{v}.docx"
                render_docx(rep, tmp_docx, landscape_tables=(v == "lo-landscape"))
                soffice_pdf(tmp_docx, path)
            producer = "LibreOffice (soffice --convert-to pdf)"
        else:
            path = OUT / f"{name}.{v}.pdf"
            r = dict(rep)
            if v == "trad":
                r["items"] = to_traditional(rep["items"])
            footer = "page_of" if index % 2 else "dash"
            render_pdf(r, path, ruled=(v not in ("unruled", "narrow")), ttf=(v == "unruled"),
                       split_t3=(v in ("split", "narrow")), narrow=(v == "narrow"),
                       footer=footer)
            producer = "reportlab"
        size = path.stat().st_size
        if size > MAX_FILE:
            raise SystemExit(f"{path}: {size} bytes > {MAX_FILE}")
        made.append({"file": path.name, "sample": name, "variant": v, "producer": producer,
                     "gold": f"../{name}.gold.json", "bytes": size})
        print(f"{path.relative_to(ROOT)}  {size // 1024} KB")
    return made


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    if argv[:1] == ["--other"]:
        make_pdf_other(argv[1] if len(argv) > 1 else "hexi-transport-2021")
        return 0
    names = sorted(p.stem for p in (SAMPLES / "sources").glob("*.json")
                   if (SAMPLES / f"{p.stem}.html").exists())
    manifest_path = OUT / "manifest.json"
    done = {f["sample"] for f in json.loads(manifest_path.read_text(encoding="utf-8"))["files"]} \
        if manifest_path.exists() else set()
    if argv == ["--all"]:
        todo = names
    elif argv:
        todo = [n for n in names if n in argv]
    else:  # only samples not rendered yet: LibreOffice stamps dates, so re-rendering churns bytes
        todo = [n for n in names if n not in done]
    manifest_path = OUT / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {"files": []}
    keep = [f for f in manifest["files"] if f["sample"] not in todo and f["sample"] in names]
    for n in todo:
        keep.extend(render(n, names.index(n)))
    keep.sort(key=lambda f: (f["sample"], f["variant"]))
    manifest = {"about": "Sample reports rendered by scripts/render_samples.py; each compares to its gold.",
                "files": keep}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
