"""OCR for scanned PDFs (optional): pypdfium2 renders each page, tesseract reads it.

Only used with ``read(path, ocr=True)`` on a PDF without a text layer. Needs the
`tesseract` binary and its simplified-Chinese data on PATH (Debian:
``apt-get install tesseract-ocr tesseract-ocr-chi-sim``); see docs/ocr.md.
Each recognised word becomes one `Char` in page coordinates (points), so the
same layout code (lines, paragraphs, tables without rules) runs on it.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile

from ..errors import ReportError
from .pdf_layout import Char

# 300 dpi is tesseract's recommended resolution for body text
OCR_DPI = 300
# A page that takes longer than this is abandoned (the whole file then fails E010).
OCR_PAGE_TIMEOUT = 120
# Words recognised with less confidence than this (0-100) are dropped as noise.
MIN_CONFIDENCE = 30
LANGS = "chi_sim+eng"


def ocr_pages(path: str, data: bytes, pages: list) -> list:
    """Replace the glyphs of `pages` (the pages without a text layer) by tesseract's words."""
    exe = shutil.which("tesseract")
    if not exe:
        raise ReportError("E008", path, "OCR requested but tesseract is not on PATH")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    scale = OCR_DPI / 72
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for page in pages:
                i = page.number - 1
                img = pdf[i].render(scale=scale, grayscale=True).to_pil()
                png = os.path.join(tmp, f"p{i}.png")
                img.save(png)
                try:
                    out = subprocess.run([exe, png, "stdout", "-l", LANGS, "--psm", "6", "tsv"],
                                         capture_output=True, timeout=OCR_PAGE_TIMEOUT, check=True).stdout
                except subprocess.TimeoutExpired:
                    raise ReportError("E010", path, f"OCR of page {i + 1} took over {OCR_PAGE_TIMEOUT} s")
                except subprocess.CalledProcessError as e:
                    raise ReportError("E008", path, f"tesseract failed: {e.stderr.decode(errors='replace')[:120]}")
                page.chars = words_to_chars(out.decode("utf-8", "replace"), scale)
    finally:
        pdf.close()
    return pages


def words_to_chars(tsv: str, scale: float) -> list[Char]:
    """tesseract TSV (level 5 = word) -> one Char per glyph, spread evenly over the word's box."""
    chars: list[Char] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            conf = -1
        if not text or conf < MIN_CONFIDENCE:
            continue
        left, top = int(row["left"]) / scale, int(row["top"]) / scale
        width, height = int(row["width"]) / scale, int(row["height"]) / scale
        step = width / len(text)
        for k, ch in enumerate(text):
            chars.append(Char(ch, left + k * step, left + (k + 1) * step, top + height, max(height, 1.0)))
    return chars
