"""Print the theme x kind counts (all / test split) as the Markdown table pasted in README.md.

Run:  .venv/bin/python corpora/themes/counts.py
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
THEMES = ("breadth_depth", "interpretation", "timeliness", "platform", "interaction",
          "capacity", "mechanism", "application", "standardization", "other")


def table() -> str:
    rows = [json.loads(l) for l in (HERE / "statements.jsonl").read_text(encoding="utf-8").splitlines() if l]
    test = set(json.loads((HERE / "split.json").read_text(encoding="utf-8"))["test_ids"])
    allc = Counter((r["theme"], r["kind"]) for r in rows)
    testc = Counter((r["theme"], r["kind"]) for r in rows if r["id"] in test)
    var = Counter(r["theme"] for r in rows if "variant-of" in r["source"])
    lines = ["| theme | problem (test) | improvement (test) | total | of which variants |",
             "|---|---:|---:|---:|---:|"]
    for t in THEMES:
        p, i = allc[(t, "problem")], allc[(t, "improvement")]
        lines.append(f"| `{t}` | {p} ({testc[(t, 'problem')]}) | {i} ({testc[(t, 'improvement')]}) "
                     f"| {p + i} | {var[t]} |")
    tp = sum(v for (t, k), v in allc.items() if k == "problem")
    ti = sum(v for (t, k), v in allc.items() if k == "improvement")
    lines.append(f"| **all** | {tp} ({sum(v for (t, k), v in testc.items() if k == 'problem')}) "
                 f"| {ti} ({sum(v for (t, k), v in testc.items() if k == 'improvement')}) "
                 f"| {len(rows)} ({len(test)} test) | {sum(var.values())} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
