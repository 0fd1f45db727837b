"""A debug view of what the pipeline saw: sections, table rows and cells with their source lines.

`reportnlp inspect REPORT` prints it; reviewers and developers use it to see why
a cell was read as it was (STYLE principle 9: make the middle visible).
"""
from __future__ import annotations

from .model import Report


def _line_at(text: str, span) -> str:
    s, e = span
    return text[s:e].replace("\t", " │ ")


def render(report: Report, width: int = 100) -> str:
    out: list[str] = []
    m = report.meta
    out.append(f"{report.source.path}  [{report.source.format}"
               + (f", {report.source.pages} pages" if report.source.pages else "") + "]")
    out.append(f"agency={m.agency!r} year={m.year} template={m.template} script={m.script} scope={m.scope}")
    out.append("")
    out.append("SECTIONS")
    for s in report.sections:
        indent = "    " if "." in s.key else "  "
        first = report.text[s.span[0]:s.span[1]].split("\n", 1)[0][:40]
        page = report.page_of(s.span[0])
        out.append(f"{indent}{s.key:<24} {s.span[0]:>6}-{s.span[1]:<6}" + (f" p{page}" if page else "") + f"  {first}")
    for name, table in report.tables.items():
        out.append("")
        out.append(f"TABLE {name} (template {table.get('template', '?')})")
        rows = table.get("rows", table)
        spans = table.get("spans", {})
        for key, cells in rows.items():
            if not isinstance(cells, dict) or key in ("spans", "missing", "template"):
                continue
            vals = " ".join(f"{c}={v}" for c, v in cells.items())
            out.append(f"  {key:<28} {vals}"[:width * 2])
            if key in spans:
                out.append(f"  {'':<28} ← {_line_at(report.text, spans[key])}"[:width * 2])
        for miss in table.get("missing", []):
            out.append(f"  missing {miss['row']}.{miss['col']} (printed {miss['raw']!r})")
    if report.quantities:
        out.append("")
        out.append("QUANTITIES")
        for q in report.quantities:
            out.append(f"  {q.value:g}{q.unit} {q.channel or '-'}/{q.category or '-'} {q.label!r}  ← "
                       f"{report.text[q.span[0]:q.span[1]]}")
    if report.statements:
        out.append("")
        out.append("STATEMENTS")
        for st in report.statements:
            out.append(f"  {st.kind:<11} {st.theme:<15} {st.score:.2f}  {st.text[:50]}")
    failed = [c for c in report.checks if not c.ok]
    out.append("")
    out.append(f"CHECKS {len(report.checks) - len(failed)}/{len(report.checks)} ok")
    for c in failed:
        out.append(f"  FAIL {c.message}")
    if report.warnings:
        out.append("")
        out.append("WARNINGS")
        out += [f"  {w}" for w in report.warnings]
    return "\n".join(out) + "\n"
