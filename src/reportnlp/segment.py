"""Sections and the sub-items of section 一 (template.md §2.2–§2.3).

Headings are recognised by their wording, not their numbering: real reports
drop numbers, lengthen titles and split them over two lines, and Table 3's row
labels start with 一、二、三、四、 too (a line carrying table cells is never a
heading).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import SECTION_KEYS, Section

# keyword classifiers, tried in this order (五 before 二: "主动公开…存在问题" is 五)
SECTION_KEYWORDS: list[tuple[str, re.Pattern]] = [
    ("problems_improvements", re.compile(r"问题|改进|不足|整改")),
    ("review_litigation", re.compile(r"复议|诉讼")),
    ("requests", re.compile(r"收到和处理|依申请|申请情况|处理政府信息公开申请")),
    ("active_disclosure", re.compile(r"主动公开")),
    ("other", re.compile(r"其他需要报告|其他事项|其他需报告")),
    ("overview", re.compile(r"总体情况|概述|总体|基本情况")),
]
NUMERALS = "一二三四五六七八"
_NUMBERED = re.compile(r"^[ ]*([一二三四五六七八])[ ]*[、.．,，][ ]*(.*)$")
_UNNUMBERED_END = re.compile(r"(情况|事项|概述)$")
# A heading is a short line; anything longer is prose that happens to start with 一、
HEADING_MAX = 40

SUB_KEYWORDS: list[tuple[str, re.Pattern]] = [
    ("overview.requests", re.compile(r"依申请")),
    ("overview.active", re.compile(r"主动公开|主动")),
    ("overview.management", re.compile(r"信息管理|资源管理|管理")),
    ("overview.platforms", re.compile(r"平台")),
    ("overview.oversight", re.compile(r"监督|保障|考核|培训|问责")),
]
_SUB_START = re.compile(r"^[ ]*(?:[(（]([一二三四五六七八九十])[)）]|(\d{1,2})[.、．](?!\d))[ 、.]*(.*)$")
# an unnumbered sub-item opens its paragraph with a short title: "政务公开平台建设情况。…"
_SUB_UNNUMBERED = re.compile(r"^([\u4e00-\u9fff]{2,14}?(?:情况|方面|建设|管理|保障))[。:：]")


_RUN_IN_SUB = re.compile(r"(?<=[。；])[(（][一二三四五六七八][)）]")


@dataclass
class _Line:
    start: int
    end: int  # exclusive, without the newline
    text: str


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def classify_heading(title: str) -> str | None:
    for key, pat in SECTION_KEYWORDS:
        if pat.search(title):
            return key
    return None


def _candidates(lines: list[_Line]) -> list[tuple[int, int, str, str, int]]:
    """(line index, line count, key, title, ordinal or -1) for every line that may be a heading."""
    out = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        t = ln.text.strip()
        if not t or "\t" in t or len(t) > HEADING_MAX + 4 or re.search(r"\d[ ]*$", t) and not t.endswith("情况"):
            i += 1
            continue
        m = _NUMBERED.match(t)
        span_lines = 1
        title = t
        ordinal = -1
        if m:
            ordinal = NUMERALS.index(m.group(1))
            rest = m.group(2).strip()
            nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
            # a heading split over two lines: "五、存在的主要问题及改进" / "情况", or "五、" / "存在…"
            if nxt and "\t" not in nxt and "。" not in nxt and (
                    not rest or (len(nxt) <= 8 and not _UNNUMBERED_END.search(rest)
                                 and _UNNUMBERED_END.search(rest + nxt))):
                title = t + nxt
                rest = rest + nxt
                span_lines = 2
            if len(rest) < 2 or "。" in rest[:-1]:
                i += 1
                continue
            key = classify_heading(rest)
        else:
            if len(t) > 30 or "。" in t or "，" in t or not _UNNUMBERED_END.search(t.rstrip(":：")) \
                    or _SUB_START.match(t):  # "(一)主动公开情况" is a sub-item, not a section
                i += 1
                continue
            key = classify_heading(t)
            if key is None:
                i += 1
                continue
        out.append((i, span_lines, key, title, ordinal))
        i += span_lines
    return out


def _is_table3_label(title: str) -> bool:
    return bool(re.search(r"本年新收|上年结转|本年度办理结果|结转下年度", title))


def segment(text: str) -> list[Section]:
    lines = _lines(text)
    cands = [c for c in _candidates(lines) if not _is_table3_label(c[3])]
    # a preamble listing the six parts ("一、总体情况" / "二、主动公开…" on consecutive lines)
    # is not the headings: drop runs of three or more headings with no body between them
    # (unless nothing repeats them later: then they are real sections whose tables were images)
    listed: set[int] = set()
    for j, (a, b, c) in enumerate(zip(cands, cands[1:], cands[2:])):
        later = {x[2] for x in cands[j + 3:]}
        if _gap(lines, a, b) == 0 and _gap(lines, b, c) == 0 and {a[2], b[2], c[2]} <= later:
            listed.update((a[0], b[0], c[0]))
    cands = [c for c in cands if c[0] not in listed]

    chosen: list[tuple[int, int, str, str]] = []
    last = -1
    for li, n, key, title, ordinal in cands:
        if key is None:
            # unclassified numbered heading: trust its number only if it is the next section
            if ordinal == last + 1 and ordinal < len(SECTION_KEYS):
                key = SECTION_KEYS[ordinal]
            else:
                continue
        idx = SECTION_KEYS.index(key)
        if idx <= last:
            continue
        # an unnumbered or out-of-sequence numbered line must at least look like the format's heading
        if ordinal >= 0 and ordinal != idx and abs(ordinal - idx) > 1:
            continue
        chosen.append((li, n, key, title))
        last = idx

    sections: list[Section] = []
    for j, (li, n, key, title) in enumerate(chosen):
        start = lines[li].start
        end = lines[chosen[j + 1][0]].start if j + 1 < len(chosen) else len(text)
        end = _rstrip_end(text, start, end)
        sections.append(Section(key=key, title=title, span=(start, end)))
    overview = next((s for s in sections if s.key == "overview"), None)
    if overview:
        sections.extend(subsections(text, overview))
        sections.sort(key=lambda s: (s.span[0], len(s.key)))
    return sections


def _gap(lines: list[_Line], a, b) -> int:
    """Non-empty lines between heading a and heading b."""
    return sum(1 for ln in lines[a[0] + a[1]:b[0]] if ln.text.strip())


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in "\n \t":
        end -= 1
    return end


def subsections(text: str, overview: Section) -> list[Section]:
    s0, e0 = overview.span
    body_lines = []
    for ln in _lines(text[s0:e0])[1:]:  # skip the heading itself
        # sub-items run together in one paragraph ("…同步发布。(五)监督保障。…") start after a full stop
        cuts = [0] + [m.start() for m in _RUN_IN_SUB.finditer(ln.text)] + [len(ln.text)]
        for a, b in zip(cuts, cuts[1:]):
            body_lines.append(_Line(ln.start + a, ln.start + b, ln.text[a:b]))
    found: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for ln in body_lines:
        t = ln.text.strip()
        if not t or "\t" in t:
            continue
        m = _SUB_START.match(t)
        head = None
        if m:
            rest = m.group(3)
            head = re.split(r"[。：:；]", rest, maxsplit=1)[0]
            numbered_cn = m.group(1) is not None
            if len(head) > 30:
                if not numbered_cn:
                    continue
                head = head[:30]
            title = t[: t.index(head) + len(head)] if head in t else t[:30]
        else:
            mu = _SUB_UNNUMBERED.match(t)
            if not mu:
                continue
            head = title = mu.group(1)
            numbered_cn = False
        key = None
        for k, pat in SUB_KEYWORDS:
            if pat.search(head):
                key = k
                break
        if key is None:
            if not (m and numbered_cn):
                continue  # "1.…" prose items need a keyword to count as a sub-heading
            key = "overview.other"
        if key in seen and key != "overview.other":
            continue
        seen.add(key)
        found.append((s0 + ln.start, key, title))
    out = []
    for j, (start, key, title) in enumerate(found):
        end = found[j + 1][0] if j + 1 < len(found) else e0
        out.append(Section(key=key, title=title, span=(start, _rstrip_end(text, start, end))))
    return out
