"""Review view models and corrections as pure functions: highlight segments, pages, 2019 layout, odd names."""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_review_server import client_for, make_report, post, write_out  # noqa: E402

from reportnlp.model import Report
from reportnlp.review import corrections, views

pytestmark = pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient")


def test_segments_cover_the_text_once_with_overlapping_spans():
    text = "abcdefghij"
    items = {"a": {"span": [1, 5]}, "b": {"span": [3, 8]}, "c": {"span": [3, 4]}}
    segs = views.segments(text, items)
    assert "".join(s["text"] for s in segs) == text
    by = {(s["s"], s["e"]): set(s["ids"].split()) for s in segs}
    assert by[(0, 1)] == set() and by[(1, 3)] == {"a"} and by[(3, 4)] == {"a", "b", "c"}
    assert by[(4, 5)] == {"a", "b"} and by[(5, 8)] == {"b"} and by[(8, 10)] == set()


def test_evidence_labels_say_what_was_read():
    rep = make_report("x", granted_total=3)
    ev = views.evidence(rep)
    assert ev["t3-granted"]["label"] == "table 3 · （一）予以公开: 2 0 0 0 0 0 | 3"
    assert ev["t2-regulations"]["label"] == "table 2 · 规章: 0 / 0 / 0"
    assert ev["q0"]["label"] == "quantity: 政府信息 141件 (website / disclosed_info)"
    rep["tables"]["t3"]["rows"]["granted"] = "garbage"
    assert views.evidence(rep)["t3-granted"]["label"].endswith("· · · · · · | ·")


def test_bad_spans_are_ignored_not_fatal():
    rep = make_report("x")
    rep["quantities"][0]["span"] = [5, 2]
    rep["media_outlets"][0]["span"] = [10_000, 10_005]
    rep["tables"]["t3"]["spans"]["granted"] = "oops"
    ev = views.evidence(rep)
    assert "q0" not in ev and "o0" not in ev and "t3-granted" not in ev and "q1" in ev
    v = views.report_view(rep)
    assert "".join(s["text"] for s in v["segments"]) == rep["text"]


def test_pages_agree_with_the_model():
    rep = make_report("p", pdf=True)
    model = Report.model_validate(rep)
    starts = rep["source"]["page_starts"]
    for off in (0, 1, starts[1] - 1, starts[1], len(rep["text"]) - 1):
        assert views.page_of(starts, off) == model.page_of(off)
    segs = views.report_view(rep)["segments"]
    assert [s["page"] for s in segs if s["page"]] == [1, 2]
    assert next(s for s in segs if s["page"] == 2)["s"] == starts[1]


def test_2019_layout():
    rep = make_report("old")
    rep["meta"]["template"] = "2019"
    rows = rep["tables"]["t3"]["rows"]
    for k in ("other_no_correction", "other_no_fee", "other_other"):
        del rows[k]
    rows["other_total"] = {c: 0 for c in rows["granted"]}
    rep["tables"]["t2"] = {"licensing": {"prev_items": 3, "delta": -1, "decisions": 7},
                           "procurement": {"items": 2, "amount": 12.5, "amount_unit": "万元"}}
    v = views.report_view(rep)
    t3keys = [r["key"] for r in v["t3"]["rows"] if r["key"]]
    assert len(t3keys) == 23 and "other_total" in t3keys and "other_other" not in t3keys
    t2 = {r["key"]: r for g in v["t2"]["groups"] for r in g["rows"]}
    assert [c["value"] for c in t2["licensing"]["cells"]] == ["3", "-1", "7"]
    assert [c["value"] for c in t2["procurement"]["cells"]] == ["2", "12.5"] and t2["procurement"]["note"] == "万元"
    assert "other_services" in t2 and "fees" in t2
    # corrections follow the table's template: 2019 fields accepted, 2021 ones refused, delta may be negative
    assert corrections.normalize(rep, "set", "tables/t2/licensing/delta", "-4")[2] == -4
    assert corrections.normalize(rep, "set", "tables/t2/procurement/amount", "3.25")[2] == 3.25
    with pytest.raises(corrections.CorrectionError):
        corrections.normalize(rep, "set", "tables/t2/licensing/prev_items", -1)
    with pytest.raises(corrections.CorrectionError):
        corrections.normalize(rep, "set", "tables/t2/fees/amount_10k_yuan", 1)
    with pytest.raises(corrections.CorrectionError):
        corrections.normalize(rep, "set", "tables/t3/rows/other_other/total", 1)
    assert corrections.normalize(rep, "set", "tables/t3/rows/other_total/total", "2")[2] == 2


def test_subtotal_column_shown_before_total():
    rep = make_report("sub")
    for r in rep["tables"]["t3"]["rows"].values():
        r["legal_person_subtotal"] = 0
    v = views.t3_view(rep)
    paths = [c["path"].rsplit("/", 1)[1] for c in v["rows"][0]["cells"]]
    assert v["subtotal"] and paths[-2:] == ["legal_person_subtotal", "total"] and len(paths) == 8


def test_apply_does_not_modify_the_original_and_removes_outlets_by_value():
    rep = make_report("a")
    rep["media_outlets"].append({"name": "大象新闻", "span": [0, 1]})
    before = copy.deepcopy(rep)
    hist = [
        {"op": "remove", "path": "media_outlets/0", "old": rep["media_outlets"][0]},
        {"op": "remove", "path": "media_outlets/0", "old": rep["media_outlets"][0]},  # same outlet twice: once
        {"op": "set", "path": "tables/t4/review/total", "new": None},
    ]
    out = corrections.apply(rep, hist)
    assert rep == before
    assert [o["name"] for o in out["media_outlets"]] == ["大象新闻"]
    assert "total" not in out["tables"]["t4"]["review"]


# (a '%' in a name works under uvicorn; Starlette's TestClient decodes the path twice, so it is not tested here)
@pytest.mark.parametrize("name", ["报告 2023", "a#b?c", "report.pdf", "x.json"])
def test_odd_report_names_round_trip(tmp_path, name):
    out = write_out(tmp_path, {name: make_report("n")})
    c = client_for(out)
    rows = c.get("/reports.json").json()["reports"]
    assert [r["name"] for r in rows] == [name]
    from urllib.parse import quote

    url = "/report/" + quote(name, safe="")
    assert c.get(url).status_code == 200
    assert post(c, quote(name, safe=""), {"op": "status", "path": "", "new": "reviewed"}).status_code == 200
    data = c.get(url + ".json").json()
    assert data["name"] == name and data["review"]["status"] == "reviewed"
    assert (out / "corrections" / f"{name}.json").is_file()
    r = c.get("/next", follow_redirects=False)
    assert r.status_code == 303
    assert json.loads((out / "corrections" / f"{name}.json").read_text(encoding="utf-8"))["report"] == name


def test_minimal_report_renders_and_takes_corrections(tmp_path):
    out = write_out(tmp_path, {"bare": {"schema": "reportnlp/report@1", "text": "只有一行字。",
                                        "source": {"path": "a.txt", "sha256": "0", "format": "txt"}}})
    c = client_for(out)
    r = c.get("/report/bare")
    assert r.status_code == 200 and "not found" in r.text and "只有一行字。" in r.text
    assert c.get("/reports.json").json()["reports"][0]["template"] == "unknown"
    assert post(c, "bare", {"op": "set", "path": "tables/t3/rows/granted/total", "new": 4}).status_code == 200
    rep = c.get("/report/bare.json").json()["report"]
    assert rep["tables"]["t3"]["rows"]["granted"]["total"] == 4
    assert c.get("/report/bare").status_code == 200
