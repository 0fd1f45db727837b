"""Every rendered sample DOCX (python-docx, real merged cells) gives what its gold asks for."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_pdf_roundtrip import MANIFEST, RENDERED, SAMPLES, check_against_gold

DOCXS = [f for f in MANIFEST if f["file"].endswith(".docx")]


@pytest.mark.parametrize("entry", DOCXS, ids=[f["file"] for f in DOCXS])
def test_rendered_docx_matches_gold(entry):
    check_against_gold(RENDERED / entry["file"], entry["sample"])


@pytest.mark.parametrize("entry", DOCXS, ids=[f["file"] for f in DOCXS])
def test_docx_tables_equal_html_tables(entry):
    """The DOCX was built from the HTML's grids: reading it back gives the same grids and origins."""
    from reportnlp.ingest import read
    from reportnlp.ingest.html import read_html

    html = SAMPLES / f"{entry['sample']}.html"
    want = [(b.grid, b.origin) for b in read_html(str(html), html.read_bytes()).blocks if b.kind == "table"]
    got = [(b.grid, b.origin) for b in read(RENDERED / entry["file"]).blocks if b.kind == "table"]
    assert got == want
