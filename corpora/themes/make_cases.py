"""split_cases.txt (marked-up section-五 bodies) -> tests/data/split_cases.jsonl.

Each ⟦P:text⟧ / ⟦I:text⟧ marks one expected statement; the markers are removed from the
body, so every expected text occurs verbatim, in order, in its case text.

Run:  .venv/bin/python corpora/themes/make_cases.py
"""
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "split_cases.txt"
OUT = HERE.parent.parent / "tests" / "data" / "split_cases.jsonl"
MARK = re.compile(r"⟦([PI]):(.*?)⟧")
KINDS = {"P": "problem", "I": "improvement"}


def parse(src: str) -> list[dict]:
    cases = []
    for block in re.split(r"^== ", src, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        body = "\n".join(l for l in body.strip("\n").splitlines() if not l.startswith("#"))
        expected = [{"kind": KINDS[k], "text": t} for k, t in MARK.findall(body)]
        text = MARK.sub(lambda m: m.group(2), body)
        if "⟦" in text or "⟧" in text:
            raise SystemExit(f"{head}: unbalanced marker")
        cases.append({"id": head.strip(), "text": text, "expected": expected})
    return cases


def main() -> int:
    cases = parse(SRC.read_text(encoding="utf-8"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases, {sum(len(c['expected']) for c in cases)} statements -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
