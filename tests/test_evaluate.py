"""`reportnlp evaluate REPORT... --gold DIR`: score.py's matching rules, P/R/F1 per area."""
from __future__ import annotations

import json
import subprocess
import sys
from argparse import Namespace

from reportnlp.evaluate import evaluate_cli, match_quantities, score_report

from conftest import SCORE

REPORT = {
    "meta": {"year": 2023, "template": "2021", "agency": "济源市司法局"},
    "sections": [{"key": "overview"}, {"key": "requests"}],
    "quantities": [
        {"value": 141, "unit": "件", "channel": "website", "category": "disclosed_info", "label": "政府信息"},
        {"value": 87, "unit": "篇/次", "channel": "media", "category": "coverage", "label": "刊发"},
        {"value": 5, "unit": "条", "channel": None, "category": "other", "label": "其他"},
    ],
    "media_outlets": [{"name": "法新网"}, {"name": "大象新闻"}, {"name": "教育收费"}],
    "tables": {"t4": {"review": {"total": 0, "upheld": 1}}},
    "statements": [{"kind": "problem", "theme": "platform", "text": "新媒体运用不足"}],
    "checks": [{"rule": "T3-1", "ok": True}],
}
GOLD = {
    "meta": {"year": 2023, "template": "2021", "agency_contains": ["济源", "司法局"]},
    "sections": ["overview", "requests", "other"],
    "quantities": [
        {"value": 141, "unit": "件", "channel": "website", "category": "disclosed_info"},
        {"value": 87, "unit": "篇次", "channel": "media"},
        {"value": 2, "unit": "件", "category": "requests_new"},
    ],
    "media_outlets": ["法新网", "大象新闻", "济源日报"],
    "tables": {"t4": {"review": {"total": 0, "upheld": 0}}},
    "statements": [{"kind": "problem", "themes": ["platform"], "text_contains": "新媒体"}],
    "checks_all_ok": True,
}


def test_quantity_rule_is_score_pys():
    pairs, missed, extra = match_quantities(REPORT["quantities"], GOLD["quantities"])
    assert len(pairs) == 2 and missed == [GOLD["quantities"][2]] and len(extra) == 1


def test_areas():
    s = score_report(REPORT, GOLD)
    assert (s["quantities"].hits, s["quantities"].gold, s["quantities"].predicted) == (2, 3, 3)
    assert abs(s["quantities"].precision - 2 / 3) < 1e-9
    assert (s["media"].hits, s["media"].gold, s["media"].extra) == (2, 3, 1)
    assert abs(s["media"].precision - 2 / 3) < 1e-9
    assert (s["tables"].hits, s["tables"].gold) == (1, 2)
    assert (s["statements"].hits, s["meta"].hits, s["sections"].hits, s["checks"].hits) == (1, 4, 2, 1)


def _write(tmp_path):
    (tmp_path / "gold").mkdir()
    rep = tmp_path / "tiny.json"
    rep.write_text(json.dumps(REPORT, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "gold" / "tiny.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    return rep


def test_cli_prints_prf_and_exit_codes(tmp_path, capsys):
    rep = _write(tmp_path)
    rc = evaluate_cli(Namespace(paths=[str(rep)], gold=str(tmp_path / "gold")))
    out = capsys.readouterr().out
    assert rc == 1  # not every area perfect
    assert "quantities  P=0.667 R=0.667 F1=0.667" in out
    assert "media       P=0.667 R=0.667" in out
    assert "sections    accuracy=0.667" in out
    assert evaluate_cli(Namespace(paths=[str(rep)], gold=str(tmp_path / "nowhere"))) == 2
    assert evaluate_cli(Namespace(paths=[str(tmp_path / "missing.json")], gold=str(tmp_path / "gold"))) == 2
    perfect = tmp_path / "p.json"
    perfect.write_text(json.dumps({"quantities": [{"value": 1, "unit": "件"}]}), encoding="utf-8")
    (tmp_path / "gold" / "p.gold.json").write_text(json.dumps({"quantities": [{"value": 1, "unit": "件"}]}), encoding="utf-8")
    assert evaluate_cli(Namespace(paths=[str(perfect)], gold=str(tmp_path / "gold"))) == 0


def test_same_totals_as_score_py(tmp_path, capsys):
    if not SCORE.exists():
        import pytest

        pytest.skip("../shared/tools/score.py absent")
    rep = _write(tmp_path)
    p = subprocess.run([sys.executable, str(SCORE), str(rep), str(tmp_path / "gold" / "tiny.gold.json")],
                       capture_output=True, text=True)
    theirs = {line.split()[0]: line.split()[1] for line in p.stdout.splitlines() if line and not line.startswith("score")}
    evaluate_cli(Namespace(paths=[str(rep)], gold=str(tmp_path / "gold")))
    out = capsys.readouterr().out
    ours = {line.split()[0]: line.split()[1] for line in out.splitlines()
            if line.startswith("  ") and "/" in line.split()[1]}
    assert ours == theirs


def test_rendered_variant_finds_its_gold(tmp_path, capsys):
    rep = _write(tmp_path)
    variant = tmp_path / "tiny.ruled.json"
    variant.write_text(rep.read_text(encoding="utf-8"), encoding="utf-8")
    evaluate_cli(Namespace(paths=[str(variant)], gold=str(tmp_path / "gold")))
    assert "(gold tiny.gold.json)" in capsys.readouterr().out
