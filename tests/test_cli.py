"""The command line: JSON out, one-line errors with exit 2, light start-up."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, report_text

CLI = [sys.executable, "-m", "reportnlp.cli"]


def run(*args, **kw):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, cwd=ROOT, **kw)


def test_extract_to_stdout_and_to_file(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(report_text(), encoding="utf-8")
    p = run("extract", str(src))
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["schema"] == "reportnlp/report@1"
    assert data["source"]["format"] == "txt" and len(data["source"]["sha256"]) == 64
    out = tmp_path / "o" / "r.json"
    p = run("extract", str(src), "-o", str(out))
    assert p.returncode == 0 and p.stdout == "" and p.stderr == ""
    assert json.loads(out.read_text(encoding="utf-8")) == data
    assert [f.name for f in out.parent.iterdir()] == ["r.json"]  # no temp files left behind


def test_bad_input_one_line_exit_2_and_no_output_file(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n%garbage that ends early")
    out = tmp_path / "broken.json"
    p = run("extract", str(bad), "-o", str(out))
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "broken.pdf" in lines[0]
    assert "Traceback" not in p.stderr
    assert not out.exists()
    p = run("extract", str(tmp_path / "missing.txt"))
    assert p.returncode == 2 and "file not found" in p.stderr


def test_schema_is_json_schema_of_the_contract():
    p = run("schema")
    assert p.returncode == 0
    s = json.loads(p.stdout)
    assert s["$id"] == "reportnlp/report@1"
    for key in ("schema", "source", "meta", "text", "sections", "quantities", "media_outlets", "tables",
                "statements", "checks", "warnings"):
        assert key in s["properties"], key


def test_help_and_schema_do_not_load_heavy_libraries():
    code = ("import sys, io, contextlib\n"
            "from reportnlp.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['schema'])\n"
            "heavy = [m for m in ('spacy', 'sklearn', 'pdfminer', 'lxml', 'jieba', 'opencc', 'dask', 'pyarrow') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == ""


def test_version_and_help():
    p = run("--version")
    assert p.returncode == 0 and p.stdout.startswith("reportnlp ")
    p = run("--help")
    for cmd in ("extract", "schema", "batch", "review", "train", "evaluate"):
        assert cmd in p.stdout


def test_inspect_shows_rows_with_their_source_lines(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(report_text(), encoding="utf-8")
    p = run("inspect", str(src))
    assert p.returncode == 0, p.stderr
    assert "TABLE t3" in p.stdout and "new_received" in p.stdout
    assert "← 一、本年新收政府信息公开申请数量" in p.stdout
    assert "SECTIONS" in p.stdout and "problems_improvements" in p.stdout
    assert "spans " not in p.stdout


def test_every_error_code_is_documented():
    from reportnlp.errors import CODES

    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for code, reason in CODES.items():
        assert f"| {code} | {reason} |" in doc, code


def test_every_command_is_documented_in_the_cli_reference():
    from reportnlp.cli import build_parser

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert f"## reportnlp {name}" in doc, name
        for action in p._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in doc, f"{name} {opt}"


def test_output_file_gets_the_usual_permissions(tmp_path):
    import os

    src = tmp_path / "r.txt"
    src.write_text(report_text(), encoding="utf-8")
    out = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        from reportnlp.cli import main

        assert main(["extract", str(src), "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
