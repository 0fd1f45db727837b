"""Ingest: a file on disk -> `Document` (blocks of text and table grids).

The format is decided by the file's bytes first (a PDF renamed .txt is still a
PDF) and its extension second. Every failure is a `ReportError` naming the file.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import ReportError
from ..model import Document

# Larger files are not annual reports (the biggest real ones are a few MB);
# refusing them early bounds memory and time per file.
MAX_BYTES = 100 * 1024 * 1024

EXTENSIONS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
              ".docx": "docx", ".txt": "txt", ".text": "txt"}


def sniff_format(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE compound file: a .doc or a WPS file (template.md M10)
        raise ReportError("E003", str(path), "legacy .doc/.wps (OLE) file; save it as .docx or PDF")
    ext = path.suffix.lower()
    if ext in EXTENSIONS and EXTENSIONS[ext] not in ("pdf", "docx"):
        return EXTENSIONS[ext]
    if ext in (".pdf", ".docx"):
        raise ReportError("E006", str(path), f"not a valid {ext[1:].upper()} file")
    low = head[:2048].lower()
    if b"<html" in low or b"<!doctype html" in low or b"<body" in low:
        return "html"
    return "txt"


def read(path: str | os.PathLike, *, ocr: bool = False) -> Document:
    p = Path(path)
    if not p.is_file():
        raise ReportError("E001", str(p))
    size = p.stat().st_size
    if size == 0:
        raise ReportError("E002", str(p))
    if size > MAX_BYTES:
        raise ReportError("E009", str(p), f"{size // (1024 * 1024)} MB > {MAX_BYTES // (1024 * 1024)} MB")
    with open(p, "rb") as f:
        head = f.read(4096)
    fmt = sniff_format(p, head)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(str(p), ocr=ocr)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(str(p))
    data = p.read_bytes()
    if fmt == "html":
        from .html import read_html

        return read_html(str(p), data)
    from .txt import read_txt

    return read_txt(str(p), data)
