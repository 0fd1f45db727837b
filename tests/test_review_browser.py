"""End to end: a real uvicorn server on a free loopback port, driven by Debian's chromium through Playwright.

Skipped only when /usr/bin/chromium is absent (CI installs it: apt-get install -y chromium).
Run as a script to refresh the screenshots in docs/ from real sample reports:
    .venv/bin/python tests/test_review_browser.py --screenshots
"""
from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_review_server import make_report, write_out  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} not installed (apt-get install -y chromium)"),
    pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient"),
]


@contextmanager
def serve(out: Path, reviewer: str = "alice"):
    """uvicorn in a thread on a free loopback port; yields the base URL."""
    import uvicorn

    from reportnlp.review import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(out, reviewer=reviewer, allowed_hosts=["127.0.0.1", "localhost"])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    t = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    t.start()
    deadline = time.time() + 15
    while not server.started:
        if time.time() > deadline or not t.is_alive():
            raise RuntimeError("review server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        t.join(10)
        sock.close()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review-e2e")
    out = write_out(tmp, {
        "good": make_report("good"),
        "bad": make_report("bad", granted_total=3, pdf=True),
        "xss": make_report("xss", text_extra="<script>alert(1)</script><img src=x onerror=alert(2)>"),
    }, errors=[{"path": "/data/locked.pdf", "code": "E007", "message": "encrypted"}])
    with serve(out) as url, browser() as b:
        yield out, url, b


def new_page(b):
    page = b.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    return page, problems


def test_review_a_failed_report_end_to_end(site, tmp_path):
    out, url, b = site
    page, problems = new_page(b)
    # corpus: the report with a failed check comes first; j/k move, Enter opens
    page.goto(url + "/")
    rows = page.locator("#reports tr.row")
    assert rows.count() == 3
    assert rows.first.get_attribute("data-name") == "bad"
    assert "T3-3.granted" in rows.first.inner_text()
    assert page.locator("table.errors").inner_text().count("locked.pdf") == 1
    page.keyboard.press("j")
    assert "selected" in rows.nth(1).get_attribute("class")
    page.keyboard.press("k")
    assert "selected" in rows.first.get_attribute("class")
    page.keyboard.press("Enter")
    page.wait_for_url("**/report/bad")

    # the failed check, red, with expected vs actual; the cell it names is marked
    failed = page.locator("#failed-checks .check-failed")
    assert failed.count() == 1 and "T3-3.granted" in failed.inner_text()
    assert "expected 2, actual 3" in failed.inner_text()
    assert failed.evaluate("e => getComputedStyle(e).color") == "rgb(198, 40, 40)"
    cell = page.locator('input[data-path="tables/t3/rows/granted/total"]')
    assert "failed" in cell.get_attribute("class")

    # clicking the field flashes its evidence in the text
    cell.click()
    mark = page.locator('mark.ev.current')
    assert mark.count() >= 1 and "予以公开" in mark.first.inner_text()
    # clicking highlighted text shows what was extracted from it
    page.locator("mark.ev", has_text="济源日报").click()
    pop = page.locator("#popover")
    pop.wait_for(state="visible")
    assert "media outlet: 济源日报" in pop.inner_text()
    pop.locator(".pop-item").first.click()
    page.wait_for_selector('.chip.flash[data-ev="o0"]')

    # correct the cell: Enter saves, the check clears
    cell.fill("2")
    with page.expect_response(lambda r: r.url.endswith("/report/bad/corrections")) as resp:
        cell.press("Enter")
    assert resp.value.status == 200
    page.wait_for_selector("#toast.show")
    # a statement's theme from the taxonomy
    with page.expect_response(lambda r: r.url.endswith("/corrections")) as resp:
        page.locator('select[data-path="statements/1/theme"]').select_option("mechanism")
    assert resp.value.status == 200

    # reload: persisted, marked as corrected, in the history
    page.reload()
    cell = page.locator('input[data-path="tables/t3/rows/granted/total"]')
    assert cell.input_value() == "2" and "corrected" in cell.get_attribute("class")
    assert page.locator('select[data-path="statements/1/theme"]').input_value() == "mechanism"
    assert page.locator("table.hist tbody tr").count() == 2
    assert page.locator("#status").inner_text() == "in progress"
    run_checks_worked = not any("checks not re-run" in w for w in
                                json.loads(page.request.get(url + "/report/bad.json").text())["report"]["warnings"])
    if run_checks_worked:
        assert "T3-3.granted" not in page.locator("#failed-checks").inner_text()

    # mark reviewed; n goes to the next unreviewed report
    page.locator("#mark-reviewed").click()
    page.wait_for_selector("#status.reviewed")
    page.keyboard.press("n")
    page.wait_for_url("**/report/good*")
    assert problems == []

    # export: the corrected, reviewed report and its statements
    from reportnlp.review import export

    s = export(out, tmp_path / "exp")
    assert s["reports"] == ["bad"]
    rep = json.loads((tmp_path / "exp" / "json" / "bad.json").read_text(encoding="utf-8"))
    assert rep["tables"]["t3"]["rows"]["granted"]["total"] == 2
    assert rep["review"]["status"] == "reviewed" and rep["review"]["reviewer"] == "alice"
    themes = [json.loads(x) for x in (tmp_path / "exp" / "themes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["theme"] for t in themes] == ["interpretation", "mechanism"]
    # OUT/json was never written
    assert json.loads((out / "json" / "bad.json").read_text(encoding="utf-8"))["tables"]["t3"]["rows"]["granted"]["total"] == 3


def test_script_in_report_text_is_shown_as_text(site):
    out, url, b = site
    page, problems = new_page(b)
    page.goto(url + "/report/xss")
    page.wait_for_timeout(300)
    assert page.get_by_text("<script>alert(1)</script>", exact=False).count() >= 1
    assert "<img src=x onerror=alert(2)>" in page.locator("#text").inner_text()
    # an outlet the reviewer types with markup is text too
    page.locator("#outlet-name").fill("<b onmouseover=alert(3)>x</b>")
    with page.expect_navigation():
        page.locator("#add-outlet button").click()
    chip = page.locator(".chip .oname").last
    assert chip.inner_text() == "<b onmouseover=alert(3)>x</b>"
    chip.hover()
    page.wait_for_timeout(200)
    assert problems == []  # no dialog fired, no script error
    assert page.evaluate("document.querySelectorAll('#text script, #text img, .chips b').length") == 0


def test_post_from_page_without_token_is_refused(site):
    out, url, b = site
    page, _ = new_page(b)
    page.goto(url + "/report/good")
    status = page.evaluate("""async () => (await fetch('/report/good/corrections', {method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({corrections: [{op: 'status', path: '', new: 'reviewed'}]})})).status""")
    assert status == 403


# --- screenshots for docs/ ---------------------------------------------------------------------


def screenshots(docs: Path) -> None:
    """Run the pipeline on the sample reports, review one, and photograph both views."""
    import tempfile

    import reportnlp

    root = Path(__file__).resolve().parents[1]
    samples = sorted((root / "corpora" / "samples").glob("*.html"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "OUT"
        (out / "json").mkdir(parents=True)
        for src in samples:
            try:
                rep = reportnlp.extract(src)
            except Exception as e:  # a sample the pipeline cannot read is listed as an error, as batch does
                with open(out / "errors.jsonl", "a", encoding="utf-8") as f:
                    f.write(json.dumps({"path": str(src), "code": getattr(e, "code", "?"), "message": str(e)}) + "\n")
                continue
            (out / "json" / f"{src.stem}.json").write_text(rep.to_json(), encoding="utf-8")
        with serve(out, reviewer="reviewer") as url, browser() as b:
            page = b.new_page(viewport={"width": 1440, "height": 900})
            page.goto(url + "/")
            page.screenshot(path=str(docs / "review-corpus.png"))
            first = page.locator("#reports tr.row").first.get_attribute("data-name")
            page.set_viewport_size({"width": 1440, "height": 1350})
            page.goto(url + f"/report/{first}")
            ev = page.locator("#failed-checks .check-failed")
            cells = page.locator("input.cell.failed")
            (cells if cells.count() else page.locator("input.cell")).first.click()  # its evidence lights up
            page.wait_for_timeout(1800)
            page.evaluate("document.querySelector('.fields').scrollTop = 0")
            page.screenshot(path=str(docs / "review-report.png"))
            print(f"screenshots of {first} ({ev.count()} failed checks) written to {docs}")


if __name__ == "__main__":
    if "--screenshots" in sys.argv:
        screenshots(Path(__file__).resolve().parents[1] / "docs")
