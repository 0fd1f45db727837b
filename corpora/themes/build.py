"""Compile the hand-written sources in corpora/themes/src/*.txt into statements.jsonl.

Source format (one statement per line; blank lines and lines starting with '#' ignored):

    P 文本            a problem statement, written by the team
    I 文本            an improvement statement
    P= 文本           a reworded near-duplicate of the last plain (non '=') line above it;
                      source becomes "team-written:variant-of:<id of that line>"
    Pt 文本 / P=t 文本  written in simplified, stored converted to traditional (OpenCC s2t)

The file name (without .txt) is the theme. Ids are stable: a text already present in
statements.jsonl keeps its id, a new text gets the next free number. Editing a text
therefore retires its old id (make_split.py drops retired ids from the test split).

Run:  .venv/bin/python corpora/themes/build.py
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE / "statements.jsonl"

THEMES = (
    "breadth_depth", "interpretation", "timeliness", "platform", "interaction",
    "capacity", "mechanism", "application", "standardization", "other",
)
KINDS = {"P": "problem", "I": "improvement"}
LINE = re.compile(r"^([PI])(=?)(t?)\s+(.+?)\s*$")


def _to_traditional(text: str) -> str:
    import opencc  # only needed when a source line asks for it

    return opencc.OpenCC("s2t").convert(text)


def parse_sources(src: Path = SRC) -> list[dict]:
    """Read every theme file; return statements without ids, in file order."""
    rows: list[dict] = []
    for theme in THEMES:
        path = src / f"{theme}.txt"
        if not path.exists():
            continue
        last_plain: int | None = None
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            m = LINE.match(raw)
            if not m:
                raise SystemExit(f"{path.name}:{n}: cannot parse {raw!r}")
            kind, variant, trad, text = m.groups()
            if trad:
                text = _to_traditional(text)
            row = {"text": text, "kind": KINDS[kind], "theme": theme, "_where": f"{path.name}:{n}"}
            if variant:
                if last_plain is None:
                    raise SystemExit(f"{path.name}:{n}: variant line with no plain line above")
                if rows[last_plain]["kind"] != KINDS[kind]:
                    raise SystemExit(f"{path.name}:{n}: a variant must have the kind of its original")
                row["_variant_of"] = last_plain
            else:
                last_plain = len(rows)
            rows.append(row)
    return rows


def assign_ids(rows: list[dict], previous: dict[str, str]) -> list[dict]:
    used = {int(i[1:]) for i in previous.values()}
    nxt = max(used, default=0) + 1
    seen: dict[str, str] = {}
    for row in rows:
        if row["text"] in seen:
            raise SystemExit(f"{row['_where']}: duplicate text (also {seen[row['text']]}): {row['text']}")
        seen[row["text"]] = row["_where"]
        if row["text"] in previous:
            row["id"] = previous[row["text"]]
        else:
            row["id"] = f"s{nxt:04d}"
            nxt += 1
    out = []
    for row in rows:
        source = "team-written"
        if "_variant_of" in row:
            source = f"team-written:variant-of:{rows[row['_variant_of']]['id']}"
        out.append({"id": row["id"], "text": row["text"], "kind": row["kind"],
                    "theme": row["theme"], "source": source})
    out.sort(key=lambda r: r["id"])
    return out


def main() -> int:
    previous: dict[str, str] = {}
    if OUT.exists():
        for line in OUT.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                previous[r["text"]] = r["id"]
    rows = assign_ids(parse_sources(), previous)
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} statements -> {OUT.relative_to(HERE.parent.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
