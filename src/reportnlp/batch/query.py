"""`reportnlp query OUT "SQL"`: DuckDB over a batch's tables (views over the Parquet files)."""
from __future__ import annotations

import csv
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from .store import PARQUET_TABLES

ERRORS_COLUMNS = {"file": "VARCHAR", "name": "VARCHAR", "code": "VARCHAR", "kind": "VARCHAR", "message": "VARCHAR"}


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def connect(out: str):
    """An in-memory DuckDB with views reports, quantities, outlets, statements, checks, tables, errors."""
    import duckdb

    base = Path(out)
    con = duckdb.connect()
    for t in PARQUET_TABLES:
        p = base / f"{t}.parquet"
        if p.is_file():
            con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet({_sql_str(str(p))})")
    errors = base / "errors.jsonl"
    cols = ", ".join(f"{k}: {_sql_str(v)}" for k, v in ERRORS_COLUMNS.items())
    if errors.is_file() and errors.stat().st_size > 0:
        con.execute(f"CREATE VIEW errors AS SELECT * FROM read_json({_sql_str(str(errors))}, "
                    f"format='newline_delimited', columns={{{cols}}})")
    else:
        nulls = ", ".join(f"NULL::{v} AS {k}" for k, v in ERRORS_COLUMNS.items())
        con.execute(f"CREATE VIEW errors AS SELECT {nulls} WHERE false")
    return con


def run_query(out: str, sql: str) -> tuple[list[str], list[tuple]]:
    con = connect(out)
    rel = con.sql(sql)
    if rel is None:  # a statement without a result
        return [], []
    return list(rel.columns), rel.fetchall()


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cell(v: Any) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).replace("\n", " ")


def format_table(cols: list[str], rows: list[tuple]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [all(isinstance(r[i], (int, float)) or r[i] is None for r in rows) and rows for i in range(len(cols))]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(cols)]

    def line(vals: list[str]) -> str:
        parts = []
        for i, v in enumerate(vals):
            pad = " " * (widths[i] - _width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    out = [line(cols), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def query_cli(args) -> int:
    import duckdb

    out = Path(args.out)
    if not out.is_dir():
        print(f"Error: {out}: no such batch output folder", file=sys.stderr)
        return 2
    if not (out / "reports.parquet").is_file():
        print(f"Error: {out}: no reports.parquet (run `reportnlp batch ... -o {out}` first)", file=sys.stderr)
        return 2
    try:
        cols, rows = run_query(str(out), args.sql)
    except duckdb.Error as e:
        print(f"Error: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    fmt = getattr(args, "format", "table")
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)
    elif fmt == "json":
        sys.stdout.write(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=1, default=str) + "\n")
    elif cols:
        print(format_table(cols, rows))
    return 0
