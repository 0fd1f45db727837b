"""How the review page lays out tables 2-4: the official captions, labels and nesting.

The template itself (captions, printed labels, nesting, value types) lives in
tables/spec.py, the one home of template knowledge; this module only adds the
helpers the page and the corrections need.
"""
from __future__ import annotations

from ..tables.spec import (  # noqa: F401  (re-exported for the views and corrections)
    T2_DECIMAL,
    T2_LAYOUT as T2,
    T2_SIGNED,
    T3_COLUMNS as T3_COLS,
    T3_LAYOUT as T3_ROWS,
    T3_ORG_COLS,
    T3_SUBTOTAL,
    T4_BLOCK_LABELS as T4_BLOCKS,
    T4_FIELD_LABELS as T4_FIELDS,
)


def version(report: dict, table: str) -> str:
    """'2019' or '2021': the table's own template if the parser recorded one, else the report's."""
    t = (report.get("tables") or {}).get(table) or {}
    v = str(t.get("template") or (report.get("meta") or {}).get("template") or "2021")
    return "2019" if v == "2019" else "2021"


def t2_fields(ver: str) -> dict[str, list[str]]:
    return {block: fields for _, _, rows, fields in T2[ver] for block, _ in rows}


def t3_row_keys(ver: str) -> list[str]:
    return [k for k, _, _ in T3_ROWS[ver] if k]


def t3_col_keys() -> list[str]:
    return [k for k, _ in T3_COLS] + [T3_SUBTOTAL[0]]
