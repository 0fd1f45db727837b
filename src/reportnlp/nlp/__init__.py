"""Narrative NLP: quantities, channels and media outlets of the narrative sections (issue 4).

    extract_narrative(text, sections) -> (quantities, media_outlets, warnings)

Where counts are read: section 一 (`overview` and its sub-items) and 六 (`other`)
line by line, and in 二/三/四 only prose lines (a sentence with "，" or "。");
never a line with a TAB (a table row), never section 五 (its numbers are plans
and targets: "年内推出图解解读不少于10期"). With no sections at all, every
non-table line is read and a warning says so.

Evidence spans: a Quantity's span is the count as written, from a leading
qualifier to the unit ("近300篇", "2.5万条", "87篇/次"); a MediaOutlet's span is
its name. Both index `text`.

spaCy and jieba are imported on first call only, so `import reportnlp.nlp` stays light.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import MediaOutlet, Quantity, Section

COUNT_SECTIONS = ("overview", "other")
PROSE_ONLY_SECTIONS = ("active_disclosure", "requests", "review_litigation")
SKIPPED_SECTIONS = ("problems_improvements",)


def _is_prose(line: str) -> bool:
    return ("，" in line or "。" in line) and len(line) >= 8


def narrative_lines(text: str, sections: list["Section"]) -> tuple[list[tuple[int, str]], list[str]]:
    """(offset, line) of every narrative line the stage reads, in text order."""
    warnings: list[str] = []
    ranges: list[tuple[int, int, bool]] = []  # (start, end, prose_only)
    for sec in sections or []:
        key = sec.key.split(".")[0]
        s, e = int(sec.span[0]), int(sec.span[1])
        if key in COUNT_SECTIONS:
            ranges.append((s, e, False))
        elif key in PROSE_ONLY_SECTIONS:
            ranges.append((s, e, True))
    if not sections:
        warnings.append("nlp: no sections; counts read from every non-table line")
        ranges.append((0, len(text), False))
    out: dict[int, str] = {}
    for s, e, prose_only in ranges:
        s, e = max(0, s), min(len(text), e)
        pos = s
        for line in text[s:e].split("\n"):
            start = pos
            pos += len(line) + 1
            if not line.strip() or "\t" in line:
                continue
            if prose_only and not _is_prose(line):
                continue
            out.setdefault(start, line)
    return sorted(out.items()), warnings


def extract_narrative(text: str, sections: list["Section"]):
    """-> (list[Quantity], list[MediaOutlet], list[str] warnings); spans index `text`."""
    from ..model import MediaOutlet, Quantity
    from .components import analyse, get_nlp

    lines, warnings = narrative_lines(text, sections)
    if not lines:
        return [], [], warnings
    nlp, nlp_warnings = get_nlp()
    warnings += list(nlp_warnings)
    quantities: list[Quantity] = []
    index_of: dict[int, int] = {}  # id(Linked) -> index of its first record
    found_outlets = []
    docs = analyse(nlp, [line for _, line in lines])
    for (offset, line), doc in zip(lines, docs):
        index_of.clear()  # part_of never crosses a line
        for s, e, _name, src in doc._.outlets or []:
            # the name as written (the doc reads a folded copy; the pipeline's text is already simplified)
            found_outlets.append((offset + s, offset + e, line[s:e], src))
        for item in doc._.quantities or []:
            c = item.count
            # the label as written (the doc reads a folded copy of the line, same offsets)
            label = item.label
            if item.label_start >= 0:
                label = line[item.label_start:item.label_start + len(item.label)]
            base = dict(
                category=item.category, label=label, value=c.value, unit=c.unit,
                span=(offset + c.start, offset + c.end), qualifier=c.qualifier, period=item.period,
                scope=item.scope, verb=item.verb,
                part_of=index_of.get(id(item.part_of)) if item.part_of is not None else None,
            )
            index_of[id(item)] = len(quantities)
            # one count stated for several channels (template.md §7.2 ex. 3): a record each, shared=True
            extra = {"shared": True} if item.shared else {}
            for k, ch in enumerate([item.channel] + item.extra_channels):
                if k:
                    base["part_of"] = None  # a shared count is summed once, by its first record
                quantities.append(Quantity(channel=ch, **base, **extra))
    from .media import merge_outlets

    outlets = [MediaOutlet(name=n, span=(s, e), source=src) for s, e, n, src in merge_outlets(found_outlets)]
    return quantities, outlets, warnings
