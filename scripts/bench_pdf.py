#!/usr/bin/env python3
"""PDF speed: our whole `reportnlp.extract` against pdfminer.six `extract_text`, same files, one run.

    python scripts/bench_pdf.py [PDF ...]      # default: corpora/samples/rendered/*.pdf

For each file: seconds for pdfminer's extract_text, for our read_pdf alone (ingest;
also on the reference path, pdfminer glyphs and tables on every page),
and for reportnlp.extract (every stage), each the best of --repeat runs, and
the ratios per page. The totals line is what to compare against the targets:
extract/pdfminer <= 1.5 (better < 1). `run(paths)` returns the same numbers as a
dict for scripts/bench.py.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(paths: list[str | Path], repeat: int = 3) -> dict:
    """Time pdfminer.six extract_text, our ingest and our full extract on each PDF."""
    from pdfminer.high_level import extract_text

    import reportnlp
    from reportnlp.ingest.pdf import read_pdf

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    paths = [Path(p) for p in paths]
    if paths:  # warm-up: imports, jieba dictionary, spaCy and model loading are not per-file costs
        reportnlp.extract(paths[0])
        extract_text(str(paths[0]))
    files = []
    for p in paths:
        doc = read_pdf(str(p))
        pages = doc.pages or 1
        t_miner = _best(lambda: extract_text(str(p)), repeat)
        t_ingest = _best(lambda: read_pdf(str(p)), repeat)
        t_ref = _best(lambda: read_pdf(str(p), backend="pdfminer"), repeat)
        t_ours = _best(lambda: reportnlp.extract(p), repeat)
        files.append({
            "file": str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p),
            "pages": pages,
            "pdfminer_s": round(t_miner, 4),
            "ingest_s": round(t_ingest, 4),
            "ingest_reference_s": round(t_ref, 4),
            "extract_s": round(t_ours, 4),
            "extract_per_page_ratio": round(t_ours / t_miner, 3),
            "ingest_per_page_ratio": round(t_ingest / t_miner, 3),
        })
    tot_pages = sum(f["pages"] for f in files) or 1
    tot_m = sum(f["pdfminer_s"] for f in files) or 1e-9
    tot_i = sum(f["ingest_s"] for f in files)
    tot_e = sum(f["extract_s"] for f in files)
    tot_r = sum(f["ingest_reference_s"] for f in files)
    return {
        "files": files,
        "total": {
            "files": len(files), "pages": tot_pages,
            "pdfminer_s_per_page": round(tot_m / tot_pages, 4),
            "ingest_s_per_page": round(tot_i / tot_pages, 4),
            "extract_s_per_page": round(tot_e / tot_pages, 4),
            # per-page ratios over the whole set (the same pages on both sides)
            "extract_vs_pdfminer": round(tot_e / tot_m, 3),
            "ingest_vs_pdfminer": round(tot_i / tot_m, 3),
            # the same reader with pdfminer glyphs and pdfplumber tables on every page
            "ingest_reference_vs_pdfminer": round(tot_r / tot_m, 3),
        },
        "repeat": repeat,
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the dict run() returns")
    a = ap.parse_args(argv)
    paths = a.pdfs or sorted((ROOT / "corpora" / "samples" / "rendered").glob("*.pdf"))
    res = run(paths, a.repeat)
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    print(f"{'file':58s} {'pages':>5s} {'pdfminer':>9s} {'ingest':>8s} {'extract':>8s} {'ext/pm':>7s}")
    for f in res["files"]:
        print(f"{f['file'][-58:]:58s} {f['pages']:5d} {f['pdfminer_s']:9.3f} {f['ingest_s']:8.3f} "
              f"{f['extract_s']:8.3f} {f['extract_per_page_ratio']:7.2f}")
    t = res["total"]
    print(f"total {t['files']} files, {t['pages']} pages: per page pdfminer {t['pdfminer_s_per_page']:.4f}s, "
          f"ingest {t['ingest_s_per_page']:.4f}s, extract {t['extract_s_per_page']:.4f}s; "
          f"extract/pdfminer {t['extract_vs_pdfminer']:.2f}x, ingest/pdfminer {t['ingest_vs_pdfminer']:.2f}x "
          f"(reference path {t['ingest_reference_vs_pdfminer']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
