"""The batch: good and bad files, isolation codes, rerun does no work, resume after a kill,
Dask gives the same outputs as the pool, query, names."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reportnlp import cli
from reportnlp.batch import run_batch
from reportnlp.batch.inputs import Item, assign_names, collect

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
# The real seed report when ../shared is there; otherwise one of our own samples, so the
# batch's guarantees are tested on every machine (CI may not have ../shared).
_SHARED_SEED = ROOT.parent / "shared" / "seed" / "jiyuan-justice-2023.txt"
SEED = _SHARED_SEED if _SHARED_SEED.exists() else SAMPLES / "hexi-transport-2021.txt"
SEED_YEAR = 2023 if SEED == _SHARED_SEED else 2021

# test-only hooks read by the worker process (reportnlp/batch/worker.py)
HOOKS = {"REPORTNLP_TEST_HANG_ON": "hang-me", "REPORTNLP_TEST_CRASH_ON": "crash-me",
         "REPORTNLP_TEST_OOM_ON": "oom-me"}
BAD_CODES = {"empty": "E002", "corrupt": "E006", "junk": "E005",
             "hang-me": "E010", "crash-me": "E013", "oom-me": "E012"}
LIMITS = dict(timeout=3.0, memory_mb=1000)


@pytest.fixture(scope="module", autouse=True)
def pinned_version():
    """Other people edit the code while these tests run: pin the done-index version so a
    rerun is judged on the batch's logic, not on an unrelated commit in between."""
    mp = pytest.MonkeyPatch()
    mp.setenv("REPORTNLP_BATCH_VERSION", "test-pinned")
    yield
    mp.undo()


def _good_files(dst: Path) -> list[Path]:
    """The seed, a second copy with the same stem in a subfolder, the sample reports as
    text, and one sample each as HTML, DOCX and PDF."""
    dst.mkdir(parents=True)
    files = [dst / SEED.name, dst / "again" / SEED.name]
    for f in files:
        f.parent.mkdir(exist_ok=True)
        shutil.copy(SEED, f)
    picks = [p for p in sorted(SAMPLES.glob("*.txt")) if p != SEED]
    for pattern in ("*.html", "rendered/*.docx", "rendered/*.pdf"):
        picks += sorted(SAMPLES.glob(pattern))[:1]
    for s in picks:
        shutil.copy(s, dst / s.name)
        files.append(dst / s.name)
    return files


def _bad_files(dst: Path) -> None:
    dst.mkdir(parents=True)
    (dst / "empty.txt").write_bytes(b"")
    (dst / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> garbage")
    (dst / "junk.txt").write_bytes(random.Random(0).randbytes(4000))
    for name in ("hang-me", "crash-me", "oom-me"):
        shutil.copy(SEED, dst / f"{name}.txt")


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, except the done-index (bookkeeping with timings) and the
    run-specific part of summary.json."""
    snap = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if p.is_dir() or rel.startswith("state/"):
            continue
        data = p.read_bytes()
        if rel == "summary.json":
            s = json.loads(data)
            s.pop("run")
            data = json.dumps(s, sort_keys=True).encode()
        snap[rel] = data
    return snap


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpus")
    good = _good_files(base / "good")
    _bad_files(base / "bad")
    return base, good


@pytest.fixture(scope="module")
def pool_run(corpus):
    base, good = corpus
    out = base / "out-pool"
    mp = pytest.MonkeyPatch()
    for k, v in HOOKS.items():
        mp.setenv(k, v)
    try:
        code, summary = run_batch([str(base / "good"), str(base / "bad")], str(out), workers=2,
                                  progress=False, **LIMITS)
    finally:
        mp.undo()
    return out, code, summary


def test_good_written_bad_recorded_with_codes(corpus, pool_run):
    base, good = corpus
    out, code, summary = pool_run
    assert code == 1
    names = sorted(p.name for p in (out / "json").glob("*.json"))
    assert len(names) == len(good)
    for p in (out / "json").glob("*.json"):
        r = json.loads(p.read_text("utf-8"))
        assert r["schema"] == "reportnlp/report@1"
        assert "timings" not in r["pipeline"]  # volatile: kept in the done-index only
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert {e["name"]: e["code"] for e in errors} == BAD_CODES
    for e in errors:
        assert e["message"] and "\n" not in e["message"] and e["kind"]
    assert summary["inputs"] == len(good) + len(BAD_CODES)
    assert summary["ok"] == len(good) and summary["failed"] == len(BAD_CODES)
    assert summary["errors_by_code"] == {"E002": 1, "E005": 1, "E006": 1, "E010": 1, "E012": 1, "E013": 1}
    assert summary["run"]["processed"] == summary["inputs"]
    assert summary["tables"]["reports"] == len(good)
    assert (out / "summary.json").is_file()
    import pyarrow.parquet as pq

    for t in ("reports", "quantities", "outlets", "statements", "checks", "tables"):
        assert pq.read_table(out / f"{t}.parquet").num_rows == summary["tables"][t]
    assert summary["tables"]["tables"] > 0 and summary["tables"]["checks"] > 0


def test_dask_local_cluster_matches_the_pool(corpus, pool_run, monkeypatch):
    base, _ = corpus
    for k, v in HOOKS.items():
        monkeypatch.setenv(k, v)
    out = base / "out-dask"
    code, summary = run_batch([str(base / "good"), str(base / "bad")], str(out), workers=2,
                              scheduler="local", progress=False, **LIMITS)
    assert code == 1
    pool, dask = snapshot(pool_run[0]), snapshot(out)
    # the same report JSONs and tables, byte for byte; the same error codes
    assert {k: v for k, v in dask.items() if k != "errors.jsonl"} == {k: v for k, v in pool.items() if k != "errors.jsonl"}
    codes = lambda snap: {json.loads(l)["name"]: json.loads(l)["code"] for l in snap["errors.jsonl"].decode().splitlines()}
    assert codes(dask) == codes(pool) == BAD_CODES



def test_rerun_does_no_work(corpus, pool_run, capsys, monkeypatch):
    base, _ = corpus
    for k, v in HOOKS.items():
        monkeypatch.setenv(k, v)
    out, _, first = pool_run
    before = snapshot(out)
    mtimes = {p: p.stat().st_mtime_ns for p in (out / "json").glob("*.json")}
    code = cli.main(["batch", str(base / "good"), str(base / "bad"), "-o", str(out), "--workers", "2",
                     "--timeout", "3", "--memory-mb", "1000"])
    assert code == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{first['inputs']} reports, {first['ok']} ok, {first['failed']} failed (see ")
    assert f"{first['inputs']} already done, 0 processed" in line
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run"]["processed"] == 0 and summary["run"]["skipped"] == first["inputs"]
    assert snapshot(out) == before
    assert {p: p.stat().st_mtime_ns for p in (out / "json").glob("*.json")} == mtimes


def test_raised_time_limit_retries_only_the_timed_out_file(corpus, pool_run, tmp_path):
    base, _ = corpus
    out = tmp_path / "out"
    shutil.copytree(pool_run[0], out)
    code, summary = run_batch([str(base / "good"), str(base / "bad")], str(out), workers=2,
                              progress=False, timeout=5.0, memory_mb=1000)  # hooks off now
    assert summary["run"]["processed"] == 1  # hang-me: E010 under 3 s is retried under 5 s
    assert "hang-me" not in summary["errors_by_code"] and summary["errors_by_code"].get("E010") is None


def test_query_prints_expected_rows(pool_run, capsys):
    out = pool_run[0]
    code = cli.main(["query", str(out), f"select name, format, year from reports where name like '{SEED.stem}%' order by name",
                     "--format", "csv"])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name,format,year"
    assert len(lines) == 3 and all(f",txt,{SEED_YEAR}" in l for l in lines[1:])
    assert cli.main(["query", str(out), "select code, count(*) as n from errors group by code order by code",
                     "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in rows] == sorted(BAD_CODES.values())
    assert cli.main(["query", str(out), 'select "table", count(*) as n from tables group by 1 order by 1']) == 0
    text = capsys.readouterr().out
    assert "t3" in text and text.rstrip().endswith("rows)")
    # the query the README shows
    assert cli.main(["query", str(out), "select agency, year, failed_checks from reports order by failed_checks desc",
                     "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == pool_run[2]["ok"]
    assert cli.main(["query", str(out), "select nope from reports"]) == 2
    assert capsys.readouterr().err.startswith("Error: ")


def test_same_stem_gets_distinct_stable_names(tmp_path):
    paths = ["a/report.txt", "b/report.txt", "c/report.html", "d/other.pdf", "e/Other.txt"]
    for order in (paths, list(reversed(paths))):
        items = [Item(path=str(tmp_path / p)) for p in order]
        assign_names(items)
        names = {Path(it.path).relative_to(tmp_path).as_posix(): it.name for it in items}
        assert len(set(names.values())) == len(paths)
        if order is paths:
            first = names
        else:
            assert names == first
    assert first["c/report.html"] == "report.html" and first["d/other.pdf"] == "other.pdf"
    assert first["a/report.txt"].startswith("report-") and first["a/report.txt"].endswith(".txt")


def test_folder_scan_and_manifest(tmp_path):
    (tmp_path / "sources").mkdir()
    shutil.copy(SEED, tmp_path / "sources" / "x.txt")  # skipped: originals of the samples
    shutil.copy(SEED, tmp_path / "r.txt")
    (tmp_path / "r.gold.json").write_text("{}")
    (tmp_path / "notes.md").write_text("not a report")
    assert [it.name for it in collect([str(tmp_path)])] == ["r"]
    man = tmp_path / "m.csv"
    man.write_text("path,agency,year\nr.txt,某某局,2031\n", encoding="utf-8")
    out = tmp_path / "out"
    code, summary = run_batch([str(man)], str(out), workers=1, progress=False)
    assert code == 0 and summary["ok"] == 1
    meta = json.loads((out / "json" / "r.json").read_text("utf-8"))["meta"]
    assert meta["agency"] == "某某局" and meta["year"] == 2031


def test_batch_cannot_run_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run_batch([str(tmp_path / "empty")], str(tmp_path / "o"), progress=False)[0] == 2
    assert run_batch([str(tmp_path / "missing")], str(tmp_path / "o"), progress=False)[0] == 2
    (tmp_path / "file").write_text("x")
    assert run_batch([str(SEED)], str(tmp_path / "file"), progress=False)[0] == 2


def _worker_pids(mark: str) -> list[int]:
    import psutil

    pids = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if "reportnlp.batch.worker" in " ".join(p.info["cmdline"] or []) and p.environ().get("REPORTNLP_TEST_MARK") == mark:
                pids.append(p.pid)
        except (psutil.Error, OSError):
            pass
    return pids


@pytest.fixture(scope="module")
def twelve(tmp_path_factory):
    """12 reports and an empty file, and their outputs from an uninterrupted run."""
    base = tmp_path_factory.mktemp("twelve")
    src = base / "in"
    src.mkdir()
    text = SEED.read_text("utf-8")
    for i in range(12):
        (src / f"r{i:02d}.txt").write_text(text + f"\n(副本 {i})\n", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    clean = base / "clean"
    assert run_batch([str(src)], str(clean), workers=2, progress=False)[0] == 1
    return src, clean


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupt_then_resume_gives_the_clean_outputs(twelve, tmp_path, sig):
    src, clean = twelve
    resumed = tmp_path / "resumed"
    mark = uuid.uuid4().hex
    env = dict(os.environ, REPORTNLP_TEST_DELAY="0.15", REPORTNLP_TEST_MARK=mark)
    proc = subprocess.Popen([sys.executable, "-m", "reportnlp.cli", "batch", str(src), "-o", str(resumed),
                             "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list((resumed / "json").glob("*.json"))) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(sig)
    rc = proc.wait(timeout=30)
    assert rc == (-9 if sig == signal.SIGKILL else 130)
    done_before = len(list((resumed / "json").glob("*.json")))
    assert 2 <= done_before < 12
    # no orphan worker survives its batch, even after kill -9
    deadline = time.monotonic() + 5
    while _worker_pids(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _worker_pids(mark) == []

    code, summary = run_batch([str(src)], str(resumed), workers=2, progress=False)
    assert code == 1
    assert summary["run"]["skipped"] >= done_before
    assert snapshot(resumed) == snapshot(clean)


def test_steady_memory_growth_is_stopped_by_the_watchdog(tmp_path, monkeypatch):
    shutil.copy(SEED, tmp_path / "grow-me.txt")
    monkeypatch.setenv("REPORTNLP_TEST_GROW_ON", "grow-me")
    code, summary = run_batch([str(tmp_path / "grow-me.txt")], str(tmp_path / "out"), workers=1,
                              progress=False, timeout=60, memory_mb=500)
    err = json.loads((tmp_path / "out" / "errors.jsonl").read_text())
    assert code == 1 and err["code"] == "E012" and "resident memory over 500 MB" in err["message"]


def test_pipeline_that_cannot_load_exits_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.txt").write_text("x")
    monkeypatch.setenv("REPORTNLP_BATCH_EXTRACT", "no_such_module_here:extract")
    code, _ = run_batch([str(tmp_path / "a.txt")], str(tmp_path / "out"), workers=1, progress=False)
    assert code == 2
    assert "workers cannot load the pipeline: ModuleNotFoundError" in capsys.readouterr().err


def test_done_index_retries_only_what_a_new_setting_can_change(tmp_path):
    from reportnlp.batch.store import Store

    store = Store(str(tmp_path / "out"))
    store.open()
    try:
        limits = {"timeout": 10.0, "memory_mb": 500, "ocr": False}
        items = {}
        for name, code in (("slow", "E010"), ("big", "E012"), ("scan", "E008"), ("junk", "E005")):
            it = Item(path=str(tmp_path / f"{name}.pdf"), name=name, sha256="ab")
            store.save(it, "v1", {"ok": False, "error": {"code": code, "kind": "k", "message": "m"}}, limits)
            items[name] = it
        ok = Item(path=str(tmp_path / "ok.txt"), name="ok", sha256="cd")
        store.save(ok, "v1", {"ok": True, "report": {"schema": "reportnlp/report@1", "pipeline": {"timings": {"a": 1}}}}, limits)
        same = lambda it, **kw: store.is_done(it, "v1", dict(limits, **kw)) is not None
        assert all(same(it) for it in items.values()) and same(ok)
        assert not same(items["slow"], timeout=20.0) and same(items["big"], timeout=20.0)
        assert not same(items["big"], memory_mb=1000) and same(items["slow"], memory_mb=1000)
        assert not same(items["scan"], ocr=True) and same(items["junk"], ocr=True) and same(ok, ocr=True)
        assert store.is_done(ok, "v2", limits) is None  # another pipeline version
        ok.sha256 = "ef"
        assert store.is_done(ok, "v1", limits) is None  # the file changed
        assert "timings" not in (tmp_path / "out" / "json" / "ok.json").read_text()
        assert store.record("ok")["timings"] == {"a": 1}
    finally:
        store.close()


def test_bloated_idle_worker_is_replaced_before_its_next_file(tmp_path, monkeypatch):
    from reportnlp.batch import sandbox

    monkeypatch.setattr(sandbox, "RECYCLE_FRACTION", 1e-6)  # every worker counts as bloated after a file
    for i in range(2):
        shutil.copy(SEED, tmp_path / f"r{i}.txt")
    code, summary = run_batch([str(tmp_path)], str(tmp_path / "out"), workers=1, progress=False)
    assert code == 0 and summary["ok"] == 2
    assert summary["run"]["worker_starts"] == 2  # one worker per file, never a restart loop
