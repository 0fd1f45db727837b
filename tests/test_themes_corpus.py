"""The labelled theme corpus (corpora/themes) and the section-五 split cases are well formed.

Pins: schema, size floors, unique ids and texts, the fixed test split (stable, disjoint,
stratified, variants on one side), sources compile to the committed jsonl, and every split
case is consistent (expected texts occur in order; the reference rules reproduce them).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from reportnlp import model

ROOT = Path(__file__).resolve().parent.parent
THEMES_DIR = ROOT / "corpora" / "themes"
STATEMENTS = THEMES_DIR / "statements.jsonl"
SPLIT = THEMES_DIR / "split.json"
CASES = ROOT / "tests" / "data" / "split_cases.jsonl"

THEMES = set(model.THEMES)  # the contract's vocabulary, from its one home
KINDS = {"problem", "improvement"}
MIN_TOTAL = 1000        # floors: lowering one is a decision, not a side effect
MIN_PER_THEME = 60
MIN_PER_THEME_KIND = 20
TEST_SHARE = (0.15, 0.25)  # per theme x kind cell


def _load(name: str):
    """Import corpora/themes/<name>.py under a private name (corpora/ner has a build.py too)."""
    spec = importlib.util.spec_from_file_location(f"_themes_corpus_{name}", THEMES_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load("build")
make_cases = _load("make_cases")
make_split = _load("make_split")
reference_split = _load("reference_split")


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [json.loads(l) for l in STATEMENTS.read_text(encoding="utf-8").splitlines() if l.strip()]


@pytest.fixture(scope="module")
def test_ids() -> list[str]:
    return json.loads(SPLIT.read_text(encoding="utf-8"))["test_ids"]


def test_no_other_jsonl_repeats_the_corpus(rows):
    # the trainer globs corpora/themes/*.jsonl: a per-batch copy of statements would be read
    # twice (other files, e.g. review corrections, may exist but must not reuse our ids)
    ids = {r["id"] for r in rows}
    for path in THEMES_DIR.glob("*.jsonl"):
        if path.name == "statements.jsonl":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert json.loads(line).get("id") not in ids, path.name


def test_schema(rows):
    for r in rows:
        assert set(r) == {"id", "text", "kind", "theme", "source"}, r
        assert r["id"][:1] == "s" and r["id"][1:].isdigit(), r
        assert r["kind"] in KINDS, r
        assert r["theme"] in THEMES, r
        assert r["source"] == "team-written" or r["source"].startswith("team-written:variant-of:s"), r
        assert 8 <= len(r["text"]) <= 120, r
        assert r["text"] == r["text"].strip() and "\n" not in r["text"], r
        assert not r["text"].endswith(("。", "；", ";")), r  # stored like a splitter's output
        assert not r["text"].startswith(("一是", "二是", "1.", "（一）")), r


def test_counts(rows):
    assert len(rows) >= MIN_TOTAL
    per_theme = Counter(r["theme"] for r in rows)
    per_cell = Counter((r["theme"], r["kind"]) for r in rows)
    assert set(per_theme) == THEMES
    for theme in THEMES:
        assert per_theme[theme] >= MIN_PER_THEME, theme
        for kind in KINDS:
            assert per_cell[(theme, kind)] >= MIN_PER_THEME_KIND, (theme, kind)


def test_unique_ids_and_texts(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts))


def test_variants_point_at_same_cell(rows):
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        if "variant-of:" in r["source"]:
            orig = by_id[r["source"].split("variant-of:")[1]]
            assert (orig["theme"], orig["kind"]) == (r["theme"], r["kind"]), r


def test_sources_compile_to_committed_jsonl(rows):
    previous = {r["text"]: r["id"] for r in rows}
    assert build.assign_ids(build.parse_sources(), previous) == rows


def test_split_disjoint_and_known(rows, test_ids):
    ids = {r["id"] for r in rows}
    assert len(test_ids) == len(set(test_ids))
    assert set(test_ids) <= ids
    train = ids - set(test_ids)
    assert train and not (train & set(test_ids))


def test_split_is_stable(rows, test_ids):
    # re-running make_split.py on the committed corpus must not change the split
    assert make_split.choose(rows, set(test_ids)) == test_ids


def test_split_stratified(rows, test_ids):
    test = set(test_ids)
    cells = Counter((r["theme"], r["kind"]) for r in rows)
    in_test = Counter((r["theme"], r["kind"]) for r in rows if r["id"] in test)
    for cell, n in cells.items():
        share = in_test[cell] / n
        assert TEST_SHARE[0] <= share <= TEST_SHARE[1], (cell, in_test[cell], n)


def test_variants_never_straddle_the_split(rows, test_ids):
    test = set(test_ids)
    for r in rows:
        if "variant-of:" in r["source"]:
            orig = r["source"].split("variant-of:")[1]
            assert (r["id"] in test) == (orig in test), r


# ---- split cases -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return [json.loads(l) for l in CASES.read_text(encoding="utf-8").splitlines() if l.strip()]


def test_cases_schema_and_size(cases):
    assert len(cases) >= 45
    assert len({c["id"] for c in cases}) == len(cases)
    for c in cases:
        assert set(c) == {"id", "text", "expected"}
        assert c["text"].strip() and not c["text"].startswith("五、")
        for e in c["expected"]:
            assert set(e) == {"kind", "text"} and e["kind"] in KINDS
            assert e["text"] == e["text"].strip() and e["text"]
            assert not e["text"].endswith(("。", "；", ";", "，"))
    assert any(not c["expected"] for c in cases)           # "无。" shapes
    assert any(len(c["expected"]) == 1 for c in cases)     # a single sentence


def test_expected_texts_occur_in_order(cases):
    for c in cases:
        pos = 0
        for e in c["expected"]:
            i = c["text"].find(e["text"], pos)
            assert i >= 0, (c["id"], e["text"])
            pos = i + len(e["text"])


def test_cases_file_matches_its_source(cases):
    assert make_cases.parse(make_cases.SRC.read_text(encoding="utf-8")) == cases


@pytest.mark.parametrize("case", [json.loads(l) for l in CASES.read_text(encoding="utf-8").splitlines()
                                  if l.strip()], ids=lambda c: c["id"])
def test_reference_rules_reproduce_case(case):
    assert reference_split.split_section(case["text"]) == case["expected"]


def test_readme_counts_are_current():
    # README's table is pasted from counts.py; a stale table misdescribes the corpus
    counts = _load("counts")
    assert counts.table() in (THEMES_DIR / "README.md").read_text(encoding="utf-8")
