"""`reportnlp export OUT`: the reviewed reports and their statements as training data.

Writes DEST/json/<name>.json for every report marked reviewed (corrections
applied, plus a `review` key) and DEST/themes.jsonl with one line per statement
of those reports ({"text", "kind", "theme", "source": "review", "report"}), the
format `reportnlp train themes` reads. DEST/export.json lists what was exported,
so a later export removes the files of reports that are no longer reviewed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

from ..util import atomic_write_text
from .store import Corpus, OutError, ReviewError

MANIFEST = "export.json"


def export(out_dir, dest: Optional[str | os.PathLike] = None) -> dict:
    corpus = Corpus(out_dir)
    dest_p = Path(dest) if dest else corpus.root / "export"
    d = dest_p.resolve()
    if (d == corpus.root or corpus.json_dir.is_relative_to(d)
            or d.is_relative_to(corpus.json_dir) or d.is_relative_to(corpus.corr_dir)):
        raise OutError(f"{dest_p}: export folder must not be OUT or hold OUT/json (choose e.g. {corpus.root / 'export'})")
    from ..model import THEMES, Report

    exported, lines, skipped = [], [], []
    for name in corpus.names():
        try:
            state = corpus.load_corrections(name)
            report, info, _ = corpus.reviewed(name)
        except ReviewError as e:
            skipped.append({"name": name, "message": e.message})
            continue
        if info["status"] != "reviewed":
            continue
        try:
            Report.model_validate(report)  # the reviewed report still meets the contract
        except Exception as e:
            skipped.append({"name": name, "message": f"does not validate after corrections: {str(e).splitlines()[0]}"})
            continue
        report["review"] = {"status": info["status"], "reviewer": info["reviewer"], "time": info["time"],
                            "corrections": info["corrections"]}
        atomic_write_text(d / "json" / f"{name}.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        exported.append(name)
        for s in report.get("statements") or []:
            if not (isinstance(s, dict) and s.get("text")):
                continue
            if s.get("theme") not in THEMES or s.get("kind") not in ("problem", "improvement"):
                skipped.append({"name": name, "message": f"statement with theme {s.get('theme')!r} left out of themes.jsonl"})
                continue
            lines.append({"text": s["text"], "kind": s["kind"], "theme": s["theme"], "source": "review", "report": name})
    # remove what an earlier export wrote for reports no longer reviewed
    try:
        before = json.loads((d / MANIFEST).read_text(encoding="utf-8")).get("reports", [])
    except (OSError, ValueError, AttributeError):
        before = []
    for name in set(before) - set(exported):
        if isinstance(name, str) and corpus_name_ok(name):
            try:
                (d / "json" / f"{name}.json").unlink()
            except OSError:
                pass
    atomic_write_text(d / "themes.jsonl", "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    summary = {"out": str(corpus.root), "dest": str(d), "reports": exported, "statements": len(lines),
               "skipped": skipped}
    atomic_write_text(d / MANIFEST, json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    return summary


def corpus_name_ok(name: str) -> bool:
    from .store import valid_name

    return valid_name(name)
