"""Bad and odd PDFs: each gives one ReportError line naming the file and the reason, fast.

The files are in corpora/pdf_other (made by scripts/render_samples.py --other,
manifest.json says what each must give); the 500-page PDF is made here.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from reportnlp.errors import ReportError
from reportnlp.ingest import read
from reportnlp.ingest.pdf import MAX_PAGES, read_pdf

OTHER = Path(__file__).resolve().parent.parent / "corpora" / "pdf_other"
CASES = json.loads((OTHER / "manifest.json").read_text(encoding="utf-8"))["files"]
BOUND_S = 10.0  # a bad file is refused in well under this, even on a busy CI runner


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"].startswith("E") and c["expect"] != "E011"],
                         ids=lambda c: c["file"])
@pytest.mark.parametrize("backend", ["auto", "pdfminer"])
def test_bad_pdf_error(case, backend):
    path = OTHER / case["file"]
    t = time.perf_counter()
    with pytest.raises(ReportError) as e:
        read_pdf(str(path), backend=backend)
    assert time.perf_counter() - t < BOUND_S
    assert e.value.code == case["expect"]
    msg = str(e.value)
    assert "\n" not in msg and str(path) in msg and case["expect"] in msg


def test_owner_password_only_reads():
    doc = read(OTHER / "encrypted-owner-only.pdf")
    assert any("主动公开" in b.text for b in doc.blocks if b.kind == "text")
    assert sum(b.kind == "table" for b in doc.blocks) >= 3
    assert not doc.warnings


def test_garbled_font_warns():
    doc = read(OTHER / "garbled.pdf")
    assert "garbled text: font without ToUnicode map on pages 1, 2, 3, 4, 5" in doc.warnings


def test_clean_pdf_has_no_garbled_warning():
    doc = read(OTHER.parent / "samples" / "rendered" / "hexi-transport-2021.ruled.pdf")
    assert doc.warnings == []


def test_not_a_report_reads_but_is_refused_by_the_pipeline():
    import reportnlp

    doc = read(OTHER / "not-a-report.pdf")
    assert any("运动会" in b.text for b in doc.blocks)
    with pytest.raises(ReportError) as e:
        reportnlp.extract(OTHER / "not-a-report.pdf")
    assert e.value.code == "E011"


def test_scanned_with_ocr_but_no_tesseract(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReportError) as e:
        read(OTHER / "scanned.pdf", ocr=True)
    assert e.value.code == "E008" and "tesseract" in str(e.value)


def test_500_pages_fail_fast(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "long.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for i in range(500):
        c.drawString(72, 760, f"page {i + 1}")
        c.showPage()
    c.save()
    assert 500 > MAX_PAGES
    for backend in ("auto", "pdfminer"):
        t = time.perf_counter()
        with pytest.raises(ReportError) as e:
            read_pdf(str(path), backend=backend)
        assert e.value.code == "E009" and "500 pages" in str(e.value)
        assert time.perf_counter() - t < BOUND_S


def test_too_many_bytes(tmp_path, monkeypatch):
    from reportnlp.ingest import pdf

    monkeypatch.setattr(pdf, "MAX_BYTES", 1000)
    with pytest.raises(ReportError) as e:
        read_pdf(str(OTHER / "encrypted-owner-only.pdf"))
    assert e.value.code == "E009"


def test_one_scanned_page_among_text_pages_is_named(tmp_path):
    """A report whose page 2 is a scan: the text pages are read, the scanned page is named."""
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(str(OTHER.parent / "samples" / "rendered" / "hexi-transport-2021.ruled.pdf"))
    scan = pdfium.PdfDocument(str(OTHER / "scanned.pdf"))
    text.import_pages(scan, [0], index=1)
    out = tmp_path / "mixed.pdf"
    text.save(str(out))
    for backend in ("auto", "pdfminer"):
        doc = read_pdf(str(out), backend=backend)
        assert "no text layer (scanned?) on pages 2" in doc.warnings
        assert any("总体情况" in b.text for b in doc.blocks)
