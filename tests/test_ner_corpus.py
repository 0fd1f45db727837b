"""The annotated narrative corpora in corpora/ner: schema, offsets, vocabularies, reproducibility."""
from __future__ import annotations

import importlib.util
import json
import unicodedata
from pathlib import Path

import pytest

from reportnlp import model

ROOT = Path(__file__).resolve().parents[1]
NER_DIR = ROOT / "corpora" / "ner"

CHANNELS = set(model.CHANNELS)  # the contract's vocabulary, from its one home
CATEGORIES = set(model.CATEGORIES)  # the contract's vocabulary, from its one home
QUALIFIERS = {"exact", "lower_bound", "approx"}
PERIODS = {"annual", "cumulative"}


def _load(name: str) -> list[dict]:
    with open(NER_DIR / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def sentences() -> list[dict]:
    return _load("sentences.jsonl")


@pytest.fixture(scope="module")
def quantities() -> list[dict]:
    return _load("quantities.jsonl")


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("ner_build", NER_DIR / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _clean_edges(s: str) -> bool:
    return bool(s) and not any(
        c.isspace() or unicodedata.category(c).startswith(("P", "Z")) for c in (s[0], s[-1]))


def test_ner_schema_and_size(sentences):
    assert len(sentences) >= 400
    for r in sentences:
        assert set(r) >= {"id", "text", "entities", "source"}, r
        assert r["source"] == "team-written"
        assert r.get("split", "train") in {"train", "test"}
        assert isinstance(r["text"], str) and r["text"].strip() == r["text"] and r["text"]
        assert "[[" not in r["text"] and "]]" not in r["text"]


def test_ner_offsets(sentences):
    for r in sentences:
        prev_end = 0
        for ent in r["entities"]:
            s, e, label = ent
            assert label in {"MEDIA", "PLATFORM"}, r["id"]
            assert 0 <= s < e <= len(r["text"]), r["id"]
            assert s >= prev_end, f"{r['id']}: overlapping or unsorted entities"
            prev_end = e
            span = r["text"][s:e]
            assert _clean_edges(span), f"{r['id']}: entity {span!r} has surrounding space/punctuation"
            assert not span.endswith("等"), f"{r['id']}: {span!r} keeps a trailing 等"
            assert "《" not in span and "》" not in span


def test_negative_share(sentences):
    negatives = sum(1 for r in sentences if not r["entities"])
    assert negatives / len(sentences) >= 0.30
    assert any(r["entities"] for r in sentences if r["split"] == "test")


def test_ids_unique(sentences, quantities):
    ids = [r["id"] for r in sentences] + [r["id"] for r in quantities]
    assert len(ids) == len(set(ids))


def test_quantity_schema(quantities):
    assert sum(1 for r in quantities if r["quantities"]) >= 150
    assert any(not r["quantities"] for r in quantities), "sentences whose numbers are not counts"
    for r in quantities:
        assert set(r) >= {"id", "text", "quantities"}, r
        for i, q in enumerate(r["quantities"]):
            where = f"{r['id']}[{i}]"
            assert set(q) >= {"value", "unit", "channel", "category", "label", "qualifier", "period"}, where
            assert isinstance(q["value"], (int, float)) and not isinstance(q["value"], bool), where
            assert q["value"] >= 0, where
            assert q["channel"] is None or q["channel"] in CHANNELS, where
            assert q["category"] is None or q["category"] in CATEGORIES, where
            assert q["qualifier"] in QUALIFIERS, where
            assert q["period"] in PERIODS, where
            assert isinstance(q["unit"], str) and q["unit"] != "篇/次", where  # "" when none is written (粉丝8.6万)
            assert q["label"] and q["label"] in r["text"], where
            s, e = q["span"]
            assert 0 <= s < e <= len(r["text"]), where
            if "part_of" in q:
                assert 0 <= q["part_of"] < i, where
            if "scope" in q:
                assert q["scope"] == "aggregate", where
        for s, e, label in r.get("entities", []):
            assert label in {"MEDIA", "PLATFORM"} and _clean_edges(r["text"][s:e]), r["id"]


def test_quantity_coverage(quantities):
    """The phenomena the extractor must learn are all present."""
    qs = [q for r in quantities for q in r["quantities"]]
    assert {q["qualifier"] for q in qs} == QUALIFIERS
    assert {q["period"] for q in qs} == PERIODS
    assert {"website", "weibo", "wechat", "douyin", "media", "press_conference", "gazette",
            "hotline"} <= {q["channel"] for q in qs}
    assert {"followers", "views", "coverage", "posts", "disclosed_info"} <= {q["category"] for q in qs}
    assert any(q["value"] >= 10000 for q in qs)
    assert any("part_of" in q for q in qs)
    texts = "".join(r["text"] for r in quantities)
    assert any("０" <= c <= "９" for c in texts), "full-width digits"
    assert "万" in texts and "余" in texts and "截至" in texts


def test_build_reproduces_outputs(build):
    assert build.main(["--check"]) == 0, "run python corpora/ner/build.py and commit the outputs"


def test_build_roundtrip_matches(build, sentences, quantities):
    assert build.build_ner() == sentences
    assert build.build_qty() == quantities


def test_heldout_names_not_in_training(build, sentences):
    train_text = "".join(r["text"] for r in sentences if r["split"] == "train")
    lines = [l.split("\t") for l in (NER_DIR / "gazetteer_excluded.txt").read_text(encoding="utf-8").splitlines()
             if l and not l.startswith("#")]
    assert len(lines) >= 40
    test_names = [n for n, _, split in lines if split == "test"]
    assert len(test_names) >= 10
    for name in test_names:
        assert name not in train_text, name


def test_number_parser(build):
    assert build.surface_value("三百余条", "条") == (300, "余")
    assert build.surface_value("2.5万条", "条") == (25000, "")
    assert build.surface_value("一百零五篇", "篇") == (105, "")
    assert build.surface_value("87篇/次", "篇次") == (87, "")
    assert build.surface_value("１,２３４条", "条") == (1234, "")
