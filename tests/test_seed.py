"""The real report in ../shared/seed must score 100% (read from ../shared; never copied here)."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, SEED, SEED_GOLD, need_shared, score


def test_seed_scores_full_marks_on_meta_sections_tables_checks(tmp_path):
    need_shared()
    out = tmp_path / "seed.json"
    p = subprocess.run([sys.executable, "-m", "reportnlp.cli", "extract", str(SEED), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    rc, text = score(out, SEED_GOLD, "meta,sections,tables,checks")
    assert rc == 0, text
    assert "score: 211/211 (100.0%)" in text


def test_seed_spans_index_the_text():
    need_shared()
    import reportnlp

    r = reportnlp.extract(SEED)
    n = len(r.text)
    spans = [s.span for s in r.sections] + [q.span for q in r.quantities] + [m.span for m in r.media_outlets]
    spans += [s.span for s in r.statements]
    for t in r.tables.values():
        spans += [tuple(v) for v in t.get("spans", {}).values()]
    assert spans and all(0 <= s < e <= n for s, e in spans)
    for m in r.media_outlets:
        assert r.text[m.span[0]:m.span[1]] == m.name
    assert r.text[r.sections[0].span[0]:].startswith("一、总体情况")
