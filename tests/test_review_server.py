"""Review app server logic (Starlette TestClient): routes, JSON twins, error shape, corrections,
concurrency, CSRF, path traversal, export, CLI errors."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reportnlp.model import Report

T3_ROWS = [
    "new_received", "carried_over", "granted", "partially_granted", "denied_state_secret",
    "denied_prohibited_by_law", "denied_three_security", "denied_third_party", "denied_internal_affairs",
    "denied_process_info", "denied_enforcement_files", "denied_query_matters", "unavailable_not_held",
    "unavailable_needs_creation", "unavailable_unclear", "unprocessed_petition", "unprocessed_duplicate",
    "unprocessed_publication", "unprocessed_excessive", "unprocessed_confirmation", "other_no_correction",
    "other_no_fee", "other_other", "results_total", "carried_forward",
]
T3_COLS = ["natural_person", "commercial", "research", "public_welfare", "legal_service", "other_org", "total"]


def make_report(name: str = "demo", *, granted_total: int = 2, text_extra: str = "", pdf: bool = False) -> dict:
    """A small but complete report: narrative with a quantity, an outlet, two statements, t2/t3/t4 with spans.

    new_received.total is 2; granted.total = `granted_total`, so anything but 2 breaks T3-1.total.
    """
    lines = [
        "某某局2023年政府信息公开工作年度报告",
        "一、总体情况",
        "主动公开政府信息141件，被济源日报等媒体刊发87篇次。" + text_extra,
        "二、主动公开政府信息情况",
        "规章\t0\t0\t0",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2",
        "(一)予以公开\t2\t0\t0\t0\t0\t0\t%d" % granted_total,
        "四、政府信息公开行政复议、行政诉讼情况",
        "\t".join(["0"] * 15),
        "五、存在的主要问题及改进情况",
        "一是政策解读形式单一。二是拓宽信息发布渠道。",
        "六、其他需要报告的事项",
    ]
    text = "\n".join(lines)

    def span(s: str) -> list[int]:
        i = text.index(s)
        return [i, i + len(s)]

    def line_span(prefix: str) -> list[int]:
        i = text.index(prefix)
        return [i, text.index("\n", i)]

    rows = {r: {c: 0 for c in T3_COLS} for r in T3_ROWS}
    rows["new_received"].update(natural_person=2, total=2)
    rows["granted"].update(natural_person=2, total=granted_total)
    rows["results_total"].update(natural_person=2, total=2)
    checks = [{"rule": "T3-3.new_received", "ok": True, "expected": 2, "actual": 2, "message": ""}]
    if granted_total != 2:
        checks.append({"rule": "T3-3.granted", "ok": False, "expected": 2, "actual": granted_total,
                       "message": f"granted: the columns add up to 2, total says {granted_total}"})
    sec_titles = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    keys = ["overview", "active_disclosure", "requests", "review_litigation", "problems_improvements", "other"]
    starts = [text.index(t) for t in sec_titles] + [len(text)]
    sections = [{"key": k, "title": t, "span": [starts[i], starts[i + 1]]} for i, (k, t) in enumerate(zip(keys, sec_titles))]
    source = {"path": f"/data/{name}.pdf" if pdf else f"/data/{name}.txt", "sha256": "0" * 64,
              "format": "pdf" if pdf else "txt"}
    if pdf:
        source.update(pages=2, page_starts=[0, text.index("三、收到")])
    report = Report.model_validate({
        "source": source,
        "meta": {"agency": "某某局", "year": 2023, "template": "2021", "title": "某某局2023年政府信息公开工作年度报告"},
        "text": text,
        "sections": sections,
        "quantities": [
            {"channel": "website", "category": "disclosed_info", "label": "政府信息", "value": 141, "unit": "件",
             "span": span("主动公开政府信息141件")},
            {"channel": "media", "category": "coverage", "label": "", "value": 87, "unit": "篇次", "span": span("刊发87篇次")},
        ],
        "media_outlets": [{"name": "济源日报", "span": span("济源日报"), "source": "gazetteer"}],
        "tables": {
            "t2": {"regulations": {"issued": 0, "repealed": 0, "in_force": 0}, "spans": {"regulations": line_span("规章\t")},
                   "missing": [{"row": "fees", "col": "amount_10k_yuan", "raw": "/"}]},
            "t3": {"rows": rows, "spans": {"new_received": line_span("一、本年新收"), "granted": line_span("(一)予以公开")}},
            "t4": {b: {f: 0 for f in ["upheld", "corrected", "other", "pending", "total"]}
                   for b in ["review", "litigation_direct", "litigation_after_review"]},
        },
        "statements": [
            {"kind": "problem", "text": "政策解读形式单一", "theme": "interpretation", "score": 0.81, "span": span("政策解读形式单一")},
            {"kind": "improvement", "text": "拓宽信息发布渠道", "theme": "platform", "score": 0.64, "span": span("拓宽信息发布渠道")},
        ],
        "checks": checks,
        "warnings": ["t4: header not found, took the 15-number line"],
    })
    return report.to_dict()


def write_out(tmp: Path, reports: dict[str, dict], errors: list[dict] | None = None) -> Path:
    out = tmp / "OUT"
    (out / "json").mkdir(parents=True)
    for name, rep in reports.items():
        (out / "json" / f"{name}.json").write_text(json.dumps(rep, ensure_ascii=False), encoding="utf-8")
    if errors is not None:
        (out / "errors.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8")
    return out


# --- fixtures ---------------------------------------------------------------------------

pytestmark = pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient")


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    return write_out(tmp_path, {
        "good": make_report("good"),
        "bad": make_report("bad", granted_total=3, pdf=True),
        "xss": make_report("xss", text_extra="<script>alert(1)</script>"),
    }, errors=[{"path": "/data/locked.pdf", "code": "E007", "message": "/data/locked.pdf: encrypted [E007]"}])


def client_for(out: Path, **kw):
    from starlette.testclient import TestClient

    from reportnlp.review import create_app

    c = TestClient(create_app(out, reviewer=kw.pop("reviewer", "alice"), **kw), raise_server_exceptions=False)
    c.get("/")  # sets the CSRF cookie
    return c


def token(c) -> str:
    return c.cookies.get("reportnlp_csrf")


def post(c, name: str, *corrections: dict, **kw):
    return c.post(f"/report/{name}/corrections", json={"corrections": list(corrections), **kw},
                  headers={"X-CSRF-Token": token(c)})


# --- views --------------------------------------------------------------------------------


def test_corpus_lists_reports_failed_first_with_json_twin(out):
    c = client_for(out)
    r = c.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert r.text.index('data-name="bad"') < r.text.index('data-name="good"')  # failed checks first
    assert "T3-3.granted" in r.text and "locked.pdf" in r.text and "E007" in r.text
    data = c.get("/reports.json").json()
    assert [x["name"] for x in data["reports"]][0] == "bad"
    bad = data["reports"][0]
    assert bad["failed"] == 1 and bad["agency"] == "某某局" and bad["year"] == 2023 and bad["template"] == "2021"
    assert bad["warnings"] == 1 and bad["status"] == "unreviewed"
    assert data["errors"][0]["code"] == "E007"
    assert data["counts"] == {"unreviewed": 3, "in_progress": 0, "reviewed": 0}


def test_corpus_sort_and_filter(out):
    c = client_for(out)
    names = lambda q: [x["name"] for x in c.get("/reports.json" + q).json()["reports"]]  # noqa: E731
    assert names("?sort=name") == ["bad", "good", "xss"]
    assert names("?sort=name&desc=1") == ["xss", "good", "bad"]
    assert names("?q=XS") == ["xss"]
    assert names("?template=2019") == []
    assert set(names("?status=unreviewed")) == {"bad", "good", "xss"}
    post(c, "good", {"op": "status", "path": "", "new": "reviewed"})
    assert names("?status=reviewed") == ["good"]
    assert "good" not in names("?status=unreviewed")
    # the HTML view carries the same selection
    assert 'data-name="good"' in c.get("/?status=reviewed").text
    assert 'data-name="bad"' not in c.get("/?status=reviewed").text


def test_report_view_lays_out_tables_and_highlights_evidence(out):
    c = client_for(out)
    r = c.get("/report/bad")
    assert r.status_code == 200
    html = r.text
    # every evidence span becomes a mark; the PDF page markers appear
    assert html.count('<mark class="ev"') >= 8
    assert 'data-ids="q0"' in html and 'data-ids="o0"' in html and 'data-ids="s0"' in html
    assert 'data-ids="t3-granted"' in html and 'data-ids="t2-regulations"' in html
    assert 'class="page-mark" data-page="2"' in html
    # t3: 25 data rows x 7 cells; t4: 15 cells; t2 2021: 2 rows x 3 + 4 single cells
    assert html.count('data-path="tables/t3/rows/') == 25 * 7
    assert html.count('data-path="tables/t4/') == 15
    assert html.count('data-path="tables/t2/') == 10
    assert "（七）总计" in html and "复议后起诉" in html and "第二十条第（八）项" in html
    # the failed check in red with expected vs actual, its cells marked
    assert 'class="check-failed hard"' in html and "T3-3.granted" in html
    assert "expected <b>2</b>, actual <b>3</b>" in html
    assert 'class="cell failed' in html
    # a blank cell shows what was printed
    assert 'placeholder="/"' in html
    # selects offer the taxonomy
    assert '<option selected>interpretation</option>' in html and "<option>standardization</option>" in html
    # quantities, outlets, statements with theme and score; page of the evidence
    assert 'value="141"' in html and "济源日报" in html and "0.81" in html


def test_report_json_twin(out):
    c = client_for(out)
    data = c.get("/report/bad.json").json()
    assert data["name"] == "bad" and data["review"]["status"] == "unreviewed"
    assert data["report"]["tables"]["t3"]["rows"]["granted"]["total"] == 3
    assert data["corrections"] == []
    Report.model_validate(data["report"])


def test_document_text_is_escaped(out):
    html = client_for(out).get("/report/xss").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "script-src 'self'" in client_for(out).get("/report/xss").headers["content-security-policy"]


def test_one_error_shape(out):
    c = client_for(out)
    r = c.get("/report/nope")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "not_found" in r.text
    for url in ("/report/nope.json", "/nothing/here.json"):
        r = c.get(url)
        assert r.status_code == 404
        assert set(r.json()) == {"error"} and set(r.json()["error"]) == {"code", "message"}
    r = c.get("/nothing", headers={"Accept": "application/json"})
    assert r.json()["error"]["code"] == "not_found"
    r = c.put("/report/bad/corrections")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_malformed_report_json_is_listed_not_fatal(out):
    (out / "json" / "broken.json").write_text("{not json", encoding="utf-8")
    c = client_for(out)
    rows = {x["name"]: x for x in c.get("/reports.json").json()["reports"]}
    assert rows["broken"]["status"] == "unreadable" and "unreadable JSON" in rows["broken"]["error"]
    r = c.get("/report/broken.json")
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_report"


# --- security -------------------------------------------------------------------------------


TRAVERSALS = [
    "/report/..%2fsecret", "/report/..%2fsecret.json", "/report/..%2f..%2fouter.json",
    "/report/%2e%2e%2fsecret.json", "/report/%2e%2e", "/report/.hidden",
    "/report/..%5csecret", "/report/a%00b", "/report/%2fetc%2fpasswd", "/report/....%2f%2fsecret",
    "/static/..%2f__init__.py", "/static/%2e%2e/app.py", "/static/..%2f..%2f..%2fOUT%2fsecret.json",
    "/report/..%2fcorrections%2fbad.json",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_no_path_traversal(out, url):
    (out / "secret.json").write_text(json.dumps({"text": "TOP-SECRET"}), encoding="utf-8")
    (out.parent / "outer.json").write_text(json.dumps({"text": "TOP-SECRET"}), encoding="utf-8")
    (out / "json" / ".hidden.json").write_text(json.dumps({"text": "TOP-SECRET"}), encoding="utf-8")
    c = client_for(out)
    for u in (url, url + ".json"):
        r = c.get(u)
        assert r.status_code in (400, 404), u
        assert "TOP-SECRET" not in r.text and "def create_app" not in r.text and "import" not in r.text
        assert "error" in r.text
    r = c.post(url + "/corrections", json={"corrections": [{"op": "status", "path": "", "new": "reviewed"}]},
               headers={"X-CSRF-Token": token(c)})
    assert r.status_code in (400, 404, 405)
    assert not (out / "corrections").exists() or not any(p.name.startswith("..") for p in (out / "corrections").iterdir())
    assert sorted(p.name for p in out.iterdir()) == ["errors.jsonl", "json", "secret.json"]


def test_post_without_csrf_token_is_refused(out):
    c = client_for(out)
    body = {"corrections": [{"op": "set", "path": "tables/t3/rows/granted/total", "new": 2}]}
    assert c.post("/report/bad/corrections", json=body).status_code == 403  # cookie, no header
    r = c.post("/report/bad/corrections", json=body, headers={"X-CSRF-Token": "x" * 43})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    from starlette.testclient import TestClient

    from reportnlp.review import create_app

    fresh = TestClient(create_app(out))  # no cookie at all, token guessed
    assert fresh.post("/report/bad/corrections", json=body, headers={"X-CSRF-Token": token(c)}).status_code == 403
    r = c.post("/report/bad/corrections", json=body,
               headers={"X-CSRF-Token": token(c), "Origin": "http://evil.example"})
    assert r.status_code == 403
    assert not (out / "corrections" / "bad.json").exists()
    # a plain form with the token field is accepted
    r = c.post("/report/bad/corrections", data={"csrf_token": token(c), "op": "set",
                                                "path": "tables/t3/rows/granted/total", "new": "2"},
               follow_redirects=False)
    assert r.status_code == 303
    assert (out / "corrections" / "bad.json").exists()


def test_host_header_checked_when_bound_to_loopback(out):
    from starlette.testclient import TestClient

    from reportnlp.review import create_app

    c = TestClient(create_app(out, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://evil.example")
    r = c.get("/")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_host"
    assert r.headers["x-content-type-options"] == "nosniff"
    c = TestClient(create_app(out, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1:8765")
    assert c.get("/").status_code == 200
    assert c.get("/reports.json").headers["x-content-type-options"] == "nosniff"
    assert c.get("/static/review.js").headers["x-content-type-options"] == "nosniff"


# --- corrections ------------------------------------------------------------------------------


def test_correct_a_cell_persists_without_touching_out_json(out):
    before = (out / "json" / "bad.json").read_bytes()
    c = client_for(out)
    r = post(c, "bad", {"op": "set", "path": "tables/t3/rows/granted/total", "new": "2", "expect": 3})
    assert r.status_code == 200, r.text
    entry = r.json()["added"][0]
    assert {k: entry[k] for k in ("op", "path", "old", "new", "reviewer")} == {
        "op": "set", "path": "tables/t3/rows/granted/total", "old": 3, "new": 2, "reviewer": "alice"}
    assert entry["time"].endswith("Z")
    assert (out / "json" / "bad.json").read_bytes() == before
    saved = json.loads((out / "corrections" / "bad.json").read_text(encoding="utf-8"))
    assert saved["history"] == [entry] and saved["report"] == "bad"
    data = c.get("/report/bad.json").json()
    assert data["report"]["tables"]["t3"]["rows"]["granted"]["total"] == 2
    assert data["review"]["status"] == "in_progress" and data["review"]["corrections"] == 1
    # the checks are re-run on corrected data (or the page says they could not be)
    failed = [x["rule"] for x in data["report"]["checks"] if not x["ok"]]
    assert "T3-3.granted" not in failed or any("checks not re-run" in w for w in data["report"]["warnings"])
    # and the page shows the corrected value
    assert 'data-path="tables/t3/rows/granted/total" data-ev="t3-granted" data-old="2" value="2"' in c.get("/report/bad").text


def test_rerun_batch_after_corrections_is_flagged(out):
    c = client_for(out)
    post(c, "good", {"op": "set", "path": "tables/t3/rows/granted/research", "new": 1})
    assert c.get("/report/good.json").json()["review"]["base_changed"] is False
    assert "The extraction changed" not in c.get("/report/good").text
    rep = make_report("good")
    rep["warnings"].append("a new extractor version")
    (out / "json" / "good.json").write_text(json.dumps(rep, ensure_ascii=False), encoding="utf-8")
    data = c.get("/report/good.json").json()
    assert data["review"]["base_changed"] is True
    assert data["report"]["tables"]["t3"]["rows"]["granted"]["research"] == 1  # replayed on the new file
    assert "The extraction changed" in c.get("/report/good").text


def test_history_applied_to_original_gives_reviewed_report(out):
    from reportnlp.review.corrections import apply

    c = client_for(out)
    assert post(c, "good",
                {"op": "set", "path": "quantities/1/value", "new": "88"},
                {"op": "set", "path": "quantities/1/channel", "new": "wechat"},
                {"op": "set", "path": "statements/0/theme", "new": "platform"},
                {"op": "set", "path": "statements/1/kind", "new": "problem"},
                {"op": "set", "path": "tables/t2/fees/amount_10k_yuan", "new": "1.5"},
                {"op": "set", "path": "tables/t4/review/total", "new": 1},
                {"op": "add", "path": "media_outlets", "new": {"name": "某某局"}},
                {"op": "remove", "path": "media_outlets/0", "expect": "济源日报"},
                {"op": "status", "path": "", "new": "reviewed"}).status_code == 200
    reviewed = c.get("/report/good.json").json()
    rep = reviewed["report"]
    original = json.loads((out / "json" / "good.json").read_text(encoding="utf-8"))
    assert apply(original, reviewed["corrections"]) == rep
    assert rep["quantities"][1]["value"] == 88 and rep["quantities"][1]["channel"] == "wechat"
    assert rep["statements"][0]["theme"] == "platform" and rep["statements"][1]["kind"] == "problem"
    assert rep["tables"]["t2"]["fees"]["amount_10k_yuan"] == 1.5
    assert rep["tables"]["t2"]["missing"] == []  # a filled-in cell is no longer missing
    assert rep["tables"]["t4"]["review"]["total"] == 1
    assert [o["name"] for o in rep["media_outlets"]] == ["某某局"]
    assert rep["media_outlets"][0]["span"] == [0, 3] and rep["media_outlets"][0]["source"] == "review"
    assert reviewed["review"]["status"] == "reviewed" and reviewed["review"]["corrections"] == 8
    Report.model_validate(rep)


@pytest.mark.parametrize("corr, code", [
    ({"op": "set", "path": "statements/0/theme", "new": "gossip"}, 400),
    ({"op": "set", "path": "statements/9/theme", "new": "platform"}, 400),
    ({"op": "set", "path": "tables/t3/rows/granted/total", "new": "abc"}, 400),
    ({"op": "set", "path": "tables/t3/rows/granted/total", "new": -1}, 400),
    ({"op": "set", "path": "tables/t3/rows/granted/total", "new": 1.5}, 400),
    ({"op": "set", "path": "tables/t3/rows/nonsense/total", "new": 1}, 400),
    ({"op": "set", "path": "tables/t2/fees/decisions", "new": 1}, 400),
    ({"op": "set", "path": "text", "new": "rewritten"}, 400),
    ({"op": "set", "path": "source/path", "new": "/etc/passwd"}, 400),
    ({"op": "drop", "path": "media_outlets/0"}, 400),
    ({"op": "add", "path": "media_outlets", "new": {"name": ""}}, 400),
    ({"op": "remove", "path": "media_outlets/7"}, 409),
    ({"op": "set", "path": "tables/t3/rows/granted/total", "new": 5, "expect": 4}, 409),
])
def test_bad_corrections_are_refused_and_nothing_written(out, corr, code):
    c = client_for(out)
    r = post(c, "bad", {"op": "set", "path": "quantities/0/value", "new": 1}, corr)
    assert r.status_code == code, r.text
    assert set(r.json()["error"]) == {"code", "message"}
    assert not (out / "corrections" / "bad.json").exists()  # all or nothing


def test_concurrent_saves_lose_nothing(out):
    """Two reviewers (two app instances, like two servers) save cells of one report at the same time."""
    a, b = client_for(out, reviewer="alice"), client_for(out, reviewer="bob")
    rows = ["granted", "partially_granted", "denied_state_secret", "denied_third_party", "unavailable_not_held",
            "unprocessed_duplicate", "other_other", "carried_over", "carried_forward", "denied_query_matters"]
    barrier = threading.Barrier(len(rows))
    results = []

    def work(i, row):
        c = a if i % 2 else b
        barrier.wait()
        results.append(post(c, "bad", {"op": "set", "path": f"tables/t3/rows/{row}/research", "new": i + 1}).status_code)

    threads = [threading.Thread(target=work, args=(i, row)) for i, row in enumerate(rows)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * len(rows)
    data = a.get("/report/bad.json").json()
    assert len(data["corrections"]) == len(rows)
    assert {e["reviewer"] for e in data["corrections"]} == {"alice", "bob"}
    for i, row in enumerate(rows):
        assert data["report"]["tables"]["t3"]["rows"][row]["research"] == i + 1


def _proc_saves(out: str, who: str, n: int) -> None:
    from reportnlp.review.store import Corpus

    corpus = Corpus(out)
    for i in range(n):
        corpus.add_corrections("bad", [{"op": "set", "path": f"quantities/{i % 2}/label", "new": f"{who}{i}"}], who)


def test_concurrent_processes_lose_nothing(out):
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_proc_saves, args=(str(out), w, 15)) for w in ("p", "q", "r")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    hist = json.loads((out / "corrections" / "bad.json").read_text(encoding="utf-8"))["history"]
    assert len(hist) == 45
    for w in "pqr":
        assert [e["new"] for e in hist if e["reviewer"] == w] == [f"{w}{i}" for i in range(15)]


def test_next_unreviewed_redirects_in_corpus_order(out):
    c = client_for(out)
    post(c, "good", {"op": "status", "path": "", "new": "reviewed"})
    r = c.get("/next?after=bad&sort=name", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/report/xss?sort=name"
    r = c.get("/next?after=xss&sort=name", follow_redirects=False)
    assert r.headers["location"] == "/report/bad?sort=name"
    for n in ("bad", "xss"):
        post(c, n, {"op": "status", "path": "", "new": "reviewed"})
    assert "done=1" in c.get("/next?after=bad", follow_redirects=False).headers["location"]


# --- export -------------------------------------------------------------------------------------


def test_export_reviewed_reports_and_themes(out, tmp_path):
    from reportnlp.review import export

    c = client_for(out)
    post(c, "bad", {"op": "set", "path": "tables/t3/rows/granted/total", "new": 2},
         {"op": "set", "path": "statements/1/theme", "new": "mechanism"},
         {"op": "status", "path": "", "new": "reviewed"})
    post(c, "good", {"op": "set", "path": "quantities/0/value", "new": 140})  # in progress: not exported
    dest = tmp_path / "EXP"
    s = export(out, dest)
    assert s["reports"] == ["bad"] and s["statements"] == 2
    rep = json.loads((dest / "json" / "bad.json").read_text(encoding="utf-8"))
    assert rep["tables"]["t3"]["rows"]["granted"]["total"] == 2
    assert rep["review"]["status"] == "reviewed" and rep["review"]["reviewer"] == "alice" and rep["review"]["time"]
    assert not (dest / "json" / "good.json").exists()
    lines = [json.loads(x) for x in (dest / "themes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"text": "政策解读形式单一", "kind": "problem", "theme": "interpretation", "source": "review", "report": "bad"},
        {"text": "拓宽信息发布渠道", "kind": "improvement", "theme": "mechanism", "source": "review", "report": "bad"},
    ]
    # reopened -> gone from the next export
    post(c, "bad", {"op": "status", "path": "", "new": "unreviewed"})
    assert export(out, dest)["reports"] == []
    assert not (dest / "json" / "bad.json").exists()
    assert (dest / "themes.jsonl").read_text(encoding="utf-8") == ""


def test_export_cli_and_review_cli_errors(out, tmp_path, capsys):
    from reportnlp.cli import main

    assert main(["review", str(tmp_path / "nonexistent")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "no such folder" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "empty").mkdir()
    assert main(["review", str(tmp_path / "empty")]) == 2
    assert "not a batch output folder" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert main(["export", str(tmp_path / "afile")]) == 2
    assert capsys.readouterr().err.startswith("Error: ")
    assert main(["export", str(out), "-d", str(out)]) == 2
    assert "must not be OUT" in capsys.readouterr().err
    assert main(["export", str(out), "-d", str(out / "json" / "x")]) == 2
    capsys.readouterr()
    assert main(["export", str(out)]) == 0
    assert "Exported 0 reviewed reports" in capsys.readouterr().out
    assert (out / "export" / "themes.jsonl").exists()


def test_review_cli_reports_busy_port(out, capsys):
    import socket

    from reportnlp.cli import main

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    try:
        assert main(["review", str(out), "--port", str(s.getsockname()[1])]) == 2
        assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
    finally:
        s.close()


def test_review_cli_prints_url_and_serves(out):
    """The real command: prints the URL, binds loopback, answers."""
    import httpx

    p = subprocess.Popen([sys.executable, "-c", "import sys; from reportnlp.cli import main; sys.exit(main(sys.argv[1:]))",
                          "review", str(out), "--port", "0", "--reviewer", "carol"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        assert "http://127.0.0.1:" in line, line + p.stderr.read()
        url = line.split("at ", 1)[1].split()[0]
        r = httpx.get(url + "reports.json", timeout=10)
        assert r.status_code == 200 and len(r.json()["reports"]) == 3
        assert httpx.get(url, headers={"Host": "evil.example"}, timeout=10).status_code == 400
    finally:
        p.terminate()
        p.wait(10)


def test_review_nonexistent_exits_2_with_one_line():
    p = subprocess.run([sys.executable, "-m", "reportnlp.cli", "review", "/nonexistent"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert p.stderr == "Error: /nonexistent: no such folder\n" and p.stdout == ""
