"""The fast path (pypdfium2 glyphs, pdfplumber only on ruled pages) and the reference
path (pdfminer glyphs and tables on every page) give the same blocks, hence the same Report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportnlp.ingest.pdf import read_pdf

RENDERED = Path(__file__).resolve().parent.parent / "corpora" / "samples" / "rendered"
PDFS = [f["file"] for f in json.loads((RENDERED / "manifest.json").read_text(encoding="utf-8"))["files"]
        if f["file"].endswith(".pdf")]


def shape(doc):
    return [(b.kind, b.page, b.text, b.grid, b.origin) for b in doc.blocks], doc.pages, doc.warnings


@pytest.mark.parametrize("name", PDFS)
def test_fast_and_reference_paths_agree(name):
    path = str(RENDERED / name)
    assert shape(read_pdf(path)) == shape(read_pdf(path, backend="pdfminer"))


def test_same_report_both_paths(monkeypatch):
    """One whole report through the pipeline on each path: byte-identical JSON."""
    import reportnlp
    from reportnlp.ingest import pdf

    path = str(RENDERED / "hexi-transport-2021.ruled.pdf")
    fast = reportnlp.extract(path).to_dict()
    orig = pdf.read_pdf
    monkeypatch.setattr(pdf, "read_pdf", lambda p, *, ocr=False: orig(p, ocr=ocr, backend="pdfminer"))
    ref = reportnlp.extract(path).to_dict()
    fast.pop("pipeline", None)
    ref.pop("pipeline", None)
    assert fast == ref


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_rotated_pages_read_in_page_frame(tmp_path, angle):
    """/Rotate only turns the page on screen: both paths read the same blocks as unrotated, and say so."""
    import pypdfium2 as pdfium

    src = RENDERED / "hexi-transport-2021.ruled.pdf"
    pdf = pdfium.PdfDocument(str(src))
    for i in range(len(pdf)):
        pdf[i].set_rotation(angle)
    out = tmp_path / "rot.pdf"
    pdf.save(str(out))
    pdf.close()
    plain = shape(read_pdf(str(src)))[0]
    for backend in ("auto", "pdfminer"):
        doc = read_pdf(str(out), backend=backend)
        assert shape(doc)[0] == plain
        assert doc.warnings and doc.warnings[0].startswith("rotated pages")


def test_frame_around_the_page_is_not_a_table(tmp_path):
    """A report page drawn inside a box split by one rule (header band + body) is prose, not a 2-cell table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "framed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(50, 50, A4[0] - 100, A4[1] - 100)
    c.line(50, A4[1] - 120, A4[0] - 50, A4[1] - 120)
    c.line(50, A4[1] - 125, A4[0] - 50, A4[1] - 125)
    c.setFont("STSong-Light", 16)
    c.drawString(100, A4[1] - 100, "某局2023年政府信息公开工作年度报告")
    c.setFont("STSong-Light", 11)
    body = "本年度全面推进政务公开工作，主动公开政府信息一百余条，依申请公开答复均在法定期限内完成。" * 6
    for i in range(0, len(body), 36):
        c.drawString(70, A4[1] - 160 - 18 * (i // 36), body[i:i + 36])
    c.save()
    for backend in ("auto", "pdfminer"):
        doc = read_pdf(str(path), backend=backend)
        assert [b.kind for b in doc.blocks] == ["text", "text"]
