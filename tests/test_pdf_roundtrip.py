"""Every rendered sample PDF gives the JSON its gold file asks for, like the sample's .txt.

The PDFs in corpora/samples/rendered were made by scripts/render_samples.py with
reportlab (ruled, unruled, split, traditional) and LibreOffice (lo, lo-landscape).
meta, sections, tables and checks must match the gold exactly; quantities, media
and statements must score at least as well as the .txt rendering of the same
report (those stages are judged elsewhere: here only the reader is on trial).
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
RENDERED = SAMPLES / "rendered"
MANIFEST = json.loads((RENDERED / "manifest.json").read_text(encoding="utf-8"))["files"]
PDFS = [f for f in MANIFEST if f["file"].endswith(".pdf")]
EXACT = ("meta", "sections", "tables", "checks")
AS_TXT = ("quantities", "media", "statements")


@functools.lru_cache(maxsize=None)
def report(path: str) -> dict:
    import reportnlp

    return reportnlp.extract(path).to_dict()


def gold(sample: str) -> dict:
    return json.loads((SAMPLES / f"{sample}.gold.json").read_text(encoding="utf-8"))


def failing(rep: dict) -> set[str]:
    return {c["rule"] for c in rep["checks"] if not c["ok"]}


def check_against_gold(path: Path, sample: str) -> None:
    from reportnlp.evaluate import score_report

    rep = report(str(path))
    g = gold(sample)
    scores = score_report(rep, g, EXACT)
    missed = {a: s.missed for a, s in scores.items() if s.missed}
    assert not missed, f"{path.name}: {missed}"
    txt = report(str(SAMPLES / f"{sample}.txt"))
    assert failing(rep) == failing(txt), path.name
    if "failed_checks" in g:
        assert failing(rep) >= set(g["failed_checks"]), path.name
    ours, theirs = score_report(rep, g, AS_TXT), score_report(txt, g, AS_TXT)
    for area in AS_TXT:
        assert ours[area].hits >= theirs[area].hits, f"{path.name} {area}: {ours[area].missed}"


@pytest.mark.parametrize("entry", PDFS, ids=[f["file"] for f in PDFS])
def test_rendered_pdf_matches_gold(entry):
    check_against_gold(RENDERED / entry["file"], entry["sample"])


def test_every_variant_is_rendered():
    variants = {f["variant"] for f in MANIFEST}
    assert {"docx", "ruled", "unruled", "split", "trad", "lo", "lo-landscape", "narrow"} <= variants
    assert all((RENDERED / f["file"]).stat().st_size < 200 * 1024 for f in MANIFEST)


def _squash(s: str) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def html_paragraphs(sample: str) -> list[str]:
    from reportnlp.ingest.html import read_html

    p = SAMPLES / f"{sample}.html"
    doc = read_html(str(p), p.read_bytes())
    return [_squash(t) for b in doc.blocks if b.kind == "text" for t in b.text.split("\n") if t.strip()]


# trad: the HTML is in simplified characters; narrow: some centred multi-line header
# cells of a table without rules are still read as text lines above it (a known limit)
PARA = [f for f in PDFS if f["variant"] not in ("trad", "narrow")]


@pytest.mark.parametrize("entry", PARA, ids=[f["file"] for f in PARA])
def test_paragraphs_rejoined(entry):
    """Each paragraph of the source comes back as exactly one text block: hard line
    breaks re-joined, page numbers and running headers gone, nothing split at a page break."""
    from reportnlp.ingest import read

    doc = read(RENDERED / entry["file"])
    got = [_squash(b.text) for b in doc.blocks if b.kind == "text"]
    want = html_paragraphs(entry["sample"])
    title = json.loads((SAMPLES / "sources" / f"{entry['sample']}.json").read_text(encoding="utf-8"))["title"]
    assert got[0] == _squash(title)
    want = [w for w in want if w != _squash(title)]
    assert "".join(got[1:]) == "".join(want)
    # a block may only join source paragraphs that the source itself broke mid-sentence
    ends = set()
    pos = 0
    for w in want:
        pos += len(w)
        if w.endswith(("。", "：", ":", "！", "？")):
            ends.add(pos)
    pos = 0
    for g in got[1:]:
        inner = {e for e in ends if pos < e < pos + len(g)}
        assert not inner, f"paragraphs merged: {g[:60]}"
        pos += len(g)
    assert all(b.page for b in doc.blocks) and doc.pages >= max(b.page for b in doc.blocks)


def test_table_split_over_pages_is_one_grid():
    """The split variant breaks Table 3 with a page break and repeats its header: one grid comes back."""
    from reportnlp.ingest import read

    for entry in (f for f in PDFS if f["variant"] == "split"):
        split = [b for b in read(RENDERED / entry["file"]).blocks if b.kind == "table"]
        whole = [b for b in read(RENDERED / f"{entry['sample']}.ruled.pdf").blocks if b.kind == "table"]
        assert [b.grid for b in split] == [b.grid for b in whole], entry["file"]
        # and the file really breaks Table 3: its first and last rows are on different pages
        from reportnlp.ingest.pdf import _pages_pdfium

        path = RENDERED / entry["file"]
        pages = _pages_pdfium(str(path), path.read_bytes())
        text = ["".join(c.text for c in p.chars) for p in pages]
        if not any("自然人" in t for t in text):
            continue  # a report without Table 3 (legacy format): nothing to split
        first = next(i for i, t in enumerate(text) if "自然人" in t)
        last = max(i for i, t in enumerate(text) if "结转下年度继续办理" in t)
        assert last > first
