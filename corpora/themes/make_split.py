"""Choose the fixed test split of statements.jsonl -> split.json {"test_ids": [...]}.

* Stratified by theme x kind: each cell holds round(TEST_FRACTION * n) test ids (at least 1).
* A statement and its reworded variants ("team-written:variant-of:<id>") form one group and
  land on the same side, so the test set never contains a near-copy of a training text.
* Append-only: ids already in split.json stay in it (ids no longer in the corpus are dropped);
  when the corpus grows, each cell is topped up with new groups, taken in the order of
  sha256(SEED + group id). Re-running on an unchanged corpus gives the same bytes.

Run:  .venv/bin/python corpora/themes/make_split.py
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATEMENTS = HERE / "statements.jsonl"
SPLIT = HERE / "split.json"
SEED = "reportnlp-themes-2026"
TEST_FRACTION = 0.2  # the usual 80/20; stratified per theme x kind


def load(path: Path = STATEMENTS) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def group_of(row: dict) -> str:
    src = row.get("source", "")
    marker = "variant-of:"
    return src.split(marker, 1)[1] if marker in src else row["id"]


def _rank(group: str) -> str:
    return hashlib.sha256(f"{SEED}:{group}".encode()).hexdigest()


def choose(rows: list[dict], previous: set[str] = frozenset()) -> list[str]:
    ids = {r["id"] for r in rows}
    test = {i for i in previous if i in ids}
    groups: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        groups[group_of(r)].append(r["id"])
    # a group is in test if any member already is (keeps variants together as they are added)
    for members in groups.values():
        if test.intersection(members):
            test.update(members)
    cells: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        cells[(r["theme"], r["kind"])].append(r)
    for cell in sorted(cells):
        members = cells[cell]
        want = max(1, round(TEST_FRACTION * len(members)))
        have = sum(1 for r in members if r["id"] in test)
        candidates = sorted({group_of(r) for r in members if r["id"] not in test}, key=_rank)
        for g in candidates:
            if have >= want:
                break
            gsize = sum(1 for i in groups[g] if i in {m["id"] for m in members})
            if have + gsize > want + 1:  # a big group would overshoot; try a smaller one
                continue
            test.update(groups[g])
            have += gsize
    return sorted(test)


def main() -> int:
    rows = load()
    previous: set[str] = set()
    if SPLIT.exists():
        previous = set(json.loads(SPLIT.read_text(encoding="utf-8"))["test_ids"])
    test_ids = choose(rows, previous)
    SPLIT.write_text(json.dumps({"seed": SEED, "fraction": TEST_FRACTION, "test_ids": test_ids},
                                ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(test_ids)} of {len(rows)} statements in the test split")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
