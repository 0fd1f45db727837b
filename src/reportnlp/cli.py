"""Command line: a thin layer over the library.

Every command turns library errors into one `Error: ...` line on stderr and an
exit code; heavy libraries are imported inside the command functions, so
`reportnlp --help` and `reportnlp schema` answer fast.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from . import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _setup_logging(verbose: bool) -> None:
    # Success is quiet: third-party chatter (pdfminer logs per glyph run on some
    # fonts, jieba at first use) goes to the log only with --verbose.
    level = logging.DEBUG if verbose else logging.ERROR
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for name in ("pdfminer", "jieba", "distributed", "fontTools", "PIL", "matplotlib"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.ERROR)
    if not verbose:
        import warnings

        warnings.filterwarnings("ignore")


def _error(msg: str) -> None:
    print(f"Error: {msg}", file=sys.stderr)


# --- commands ---------------------------------------------------------------


def cmd_extract(args) -> int:
    from .errors import ReportError
    from .pipeline import extract
    from .util import atomic_write_text

    try:
        report = extract(args.path, ocr=args.ocr)
    except ReportError as e:
        _error(e.message)
        return EXIT_BAD_INPUT
    data = report.to_json(indent=None if args.compact else 1)
    if args.output:
        try:
            atomic_write_text(args.output, data + "\n")
        except OSError as e:
            _error(f"{args.output}: cannot write ({e.strerror or e})")
            return EXIT_BAD_INPUT
    else:
        sys.stdout.write(data + "\n")
    return EXIT_OK


def cmd_inspect(args) -> int:
    from .errors import ReportError
    from .inspect import render
    from .model import Report

    try:
        if args.path.endswith(".json"):
            with open(args.path, encoding="utf-8") as f:
                report = Report.from_json(f.read())
        else:
            from .pipeline import extract

            report = extract(args.path, ocr=args.ocr)
    except ReportError as e:
        _error(e.message)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as e:
        _error(f"{args.path}: cannot read ({str(e).splitlines()[0][:120]})")
        return EXIT_BAD_INPUT
    sys.stdout.write(render(report))
    return EXIT_OK


def cmd_schema(args) -> int:
    from .model import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=1))
    return EXIT_OK


def cmd_batch(args) -> int:
    from .batch import batch_cli

    return batch_cli(args)


def cmd_query(args) -> int:
    from .batch import query_cli

    return query_cli(args)


def cmd_review(args) -> int:
    from .review import serve_cli

    return serve_cli(args)


def cmd_export(args) -> int:
    from .review import export_cli

    return export_cli(args)


def cmd_train(args) -> int:
    if args.target == "themes":
        from .themes.train import train_cli
    else:
        from .nlp.train import train_cli
    return train_cli(args)


def cmd_evaluate(args) -> int:
    # `evaluate themes [JSONL...]`, `evaluate ner [...]`, or `evaluate REPORT... --gold DIR`
    if args.paths and args.paths[0] in ("themes", "ner"):
        target, args.paths = args.paths[0], args.paths[1:]
        if target == "themes":
            from .themes.train import evaluate_cli
        else:
            from .nlp.train import evaluate_cli
        return evaluate_cli(args)
    from .evaluate import evaluate_cli

    if not args.gold:
        _error("evaluate REPORT... needs --gold DIR (or use `evaluate themes` / `evaluate ner`)")
        return EXIT_BAD_INPUT
    return evaluate_cli(args)


# --- parser -----------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reportnlp",
        description="Read 政府信息公开工作年度报告 (PDF, HTML, DOCX, text) and write checked, structured JSON.",
    )
    p.add_argument("--version", action="version", version=f"reportnlp {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="show library logs and warnings")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("extract", help="extract one report to JSON")
    s.add_argument("path", help="report file: .pdf .html .htm .docx .txt")
    s.add_argument("-o", "--output", help="write JSON here (atomically) instead of stdout")
    s.add_argument("--ocr", action="store_true", help="OCR scanned PDFs with tesseract (needs tesseract-ocr-chi-sim)")
    s.add_argument("--compact", action="store_true", help="one-line JSON")
    s.set_defaults(func=cmd_extract)

    s = sub.add_parser("inspect", help="show what the pipeline saw: sections, table rows with their source lines, checks")
    s.add_argument("path", help="a report file, or a JSON the pipeline wrote")
    s.add_argument("--ocr", action="store_true", help="OCR scanned PDFs")
    s.set_defaults(func=cmd_inspect)

    s = sub.add_parser("schema", help="print the JSON Schema of the report contract")
    s.set_defaults(func=cmd_schema)

    s = sub.add_parser("batch", help="extract a corpus: JSON per report plus Parquet tables")
    s.add_argument("inputs", nargs="+", help="files, folders (recursive) or a manifest (.csv/.jsonl with a path column)")
    s.add_argument("-o", "--out", required=True, help="output folder")
    s.add_argument("--workers", type=int, default=None, help="worker processes (default: number of cores)")
    s.add_argument("--scheduler", default=None, help="'local' for a Dask LocalCluster, or tcp://HOST:8786")
    s.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per file (default 120)")
    s.add_argument("--memory-mb", type=int, default=2048, help="memory cap per worker in MB (default 2048)")
    s.add_argument("--ocr", action="store_true", help="OCR scanned PDFs")
    s.add_argument("--force", action="store_true", help="redo reports already done")
    s.set_defaults(func=cmd_batch)

    s = sub.add_parser("query", help="run SQL (DuckDB) over a batch's Parquet tables")
    s.add_argument("out", help="batch output folder")
    s.add_argument("sql", help="SQL; tables: reports, quantities, statements, checks, tables")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.set_defaults(func=cmd_query)

    s = sub.add_parser("review", help="serve the local review page over a batch output folder")
    s.add_argument("out", help="batch output folder")
    s.add_argument("--host", default="127.0.0.1", help="bind address (default loopback only)")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--reviewer", default=None, help="name recorded with corrections")
    s.set_defaults(func=cmd_review)

    s = sub.add_parser("export", help="write reviewed reports and theme JSONL for training")
    s.add_argument("out", help="batch output folder")
    s.add_argument("-d", "--dest", default=None, help="export folder (default OUT/export)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("train", help="train a model: themes or ner")
    s.add_argument("target", choices=["themes", "ner"])
    s.add_argument("paths", nargs="*", help="training data (JSONL); default: the team's corpus")
    s.add_argument("--model-dir", default=None, help="where to write the model (default models/<target>)")
    s.set_defaults(func=cmd_train)

    s = sub.add_parser("evaluate", help="evaluate: `themes`, `ner`, or REPORT.json... --gold DIR")
    s.add_argument("paths", nargs="*", help="`themes [JSONL...]`, `ner [...]` or report JSON/source files")
    s.add_argument("--gold", default=None, help="folder of gold JSONs (<name>.gold.json)")
    s.add_argument("--model-dir", default=None, help="model to evaluate (default models/<target>)")
    s.add_argument("--png", default=None, help="where to save the confusion matrix (themes)")
    s.set_defaults(func=cmd_evaluate)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_OK
    _setup_logging(args.verbose)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # last resort: one line, never a traceback (unless --verbose)
        if args.verbose:
            raise
        from .errors import ReportError

        if isinstance(e, ReportError):
            _error(e.message)
        else:
            _error(f"{type(e).__name__}: {e}".splitlines()[0])
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(main())
