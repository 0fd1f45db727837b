"""Section 五 -> statements: (kind, text, span) per listed problem or improvement.

Pure functions over plain text, no model. The section is read as a flat list
of events found in it: sub-headings ("存在问题：", "（二）改进措施"), item markers
("一是", "1.", "（1）", "（一）", "首先，"...) and paragraph breaks. Each item runs
to the next event; text outside items is either an intro ("主要存在以下问题：",
dropped but used for the kind) or a statement of its own (paragraphs and
semicolon runs without markers).

The kind comes from the nearest heading or intro above the statement; where
none says, from cue words in the statement itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

PROBLEM, IMPROVEMENT = "problem", "improvement"

_CN = "一二三四五六七八九十"
_CN_NUM = rf"[{_CN}]{{1,3}}"

# Item markers. `strict` markers count only at a paragraph start or after a
# sentence boundary; "一是" also after a comma ("存在问题，一是……").
_MARKERS = [
    ("shi", re.compile(rf"(?:{_CN_NUM}是|其[{_CN}])(?:[，,、：:]\s*)?")),
    ("di", re.compile(rf"第{_CN_NUM}(?:[，,、：:]|是)\s*")),
    ("cn_paren", re.compile(rf"[（(]\s*{_CN_NUM}\s*[）)]\s*[、，,.．]?\s*")),
    ("num_paren", re.compile(r"[（(]\s*\d{1,2}\s*[）)]\s*[、，,.．]?\s*")),
    ("num_dot", re.compile(r"\d{1,2}\s*[.．、](?!\d)\s*")),
    ("num_half", re.compile(r"\d{1,2}\s*[)）](?!\d)\s*")),
    ("circled", re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]\s*")),
    ("seq", re.compile(r"(?:首先|其次|再次|再者|最后|此外|另外)\s*[，,、：:]\s*")),
    # "一、" inside section 五 opens a sub-section; only at a paragraph start
    ("cn_dun", re.compile(rf"{_CN_NUM}\s*[、.．]\s*")),
]
_LINE_START_ONLY = {"cn_dun", "num_half"}
_SENTENCE_END = "。；;！？!?：:"
_COMMA = "，,、"

# Sub-headings: an optional marker, a short label, then a colon or the end of
# the paragraph. A label that names both ("存在的主要问题及改进情况") is the
# section title itself and sets no kind.
_PROBLEM_WORDS = ("问题", "不足", "困难", "短板", "差距", "薄弱环节")
_IMPROVE_WORDS = ("改进", "整改", "措施", "下一步", "计划", "打算", "解决办法", "努力方向",
                  "工作安排", "工作思路", "工作重点", "对策", "举措", "改善")
MAX_HEADING_LEN = 22  # a label longer than this is a sentence, not a heading

# Cue words deciding a statement's kind when no heading says. Problem cues are
# checked first: "有待进一步增强" is a problem although it contains 进一步.
_PROBLEM_CUES = re.compile(
    "不够|有待|不足|滞后|较少|偏少|欠缺|缺乏|不高|不强|不到位|单一|薄弱|不及时|不全面|"
    "不均衡|不平衡|参差不齐|仍需|还需|尚需|还要|仍要|差距|不深|不多|不规范|不完善|"
    "较弱|较慢|偏弱|偏慢|空白|不一|不够|存在|尚未|未能|没有|不明显|较为简单|局限|"
    "不够|缺少|不畅|不准确|不精准|不充分|较低|偏低|有限")
_IMPROVE_CUES = re.compile(
    "将|进一步|加强|下一步|持续|不断|着力|切实|积极|推动|推进|强化|完善|健全|提升|"
    "提高|加大|丰富|拓宽|优化|做好|确保|继续|深化|扩大|规范|建立|严格|落实|创新|探索|"
    "整改|改进|加快|坚持|注重|抓好|力争|努力")
# Intro sentences before a list ("主要存在以下问题：") say the kind of what follows.
_INTRO_WORDS = re.compile("以下|如下|主要表现|几个方面|几方面|具体|主要有|体现在|表现为|为此|方面")
_INTRO_IMPROVE = re.compile("下一步|将|改进|整改|措施|计划|打算|努力|针对|今后|接下来|明年|20\\d\\d年")
_INTRO_PROBLEM = re.compile("问题|不足|差距|短板|困难|薄弱")
_NOTHING = re.compile(r"^(?:无|暂无|没有|无问题|无此类情况|本年度无|不存在)[。.]?$")
_STRIP_LEAD = " \t\u3000，,、：:。；;.．"
_STRIP_TAIL = " \t\u3000。；;，,：:！!.．、"


@dataclass
class _Event:
    kind: str  # "heading", "item", "break"
    start: int  # where the event's marker/label starts
    content: int  # where its content starts
    family: str = ""
    heading_kind: Optional[str] = None


def _line_bounds(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        yield pos, pos + len(body)
        pos += len(line)


def heading_kind(label: str) -> tuple[bool, Optional[str]]:
    """(is_heading, kind) for a candidate label (no marker, no colon)."""
    label = label.strip(_STRIP_TAIL + " ")
    if not label or len(label) > MAX_HEADING_LEN or any(c in label for c in "，,。；;"):
        return False, None
    has_p = any(w in label for w in _PROBLEM_WORDS)
    has_i = any(w in label for w in _IMPROVE_WORDS)
    if has_p and has_i:
        # "针对问题的整改措施" / "问题整改情况" are improvements; the section
        # title "存在的主要问题及改进情况" names both and sets no kind.
        if re.search("(问题|不足|困难|短板|差距)[和及与、]", label) or "存在" in label:
            return True, None
        return True, IMPROVEMENT
    if has_i:
        return True, IMPROVEMENT
    if has_p:
        # a problem heading names the problems in general, it does not state one
        if len(label) <= 14 and not re.search("不够|有待|滞后|较少|欠缺|缺乏", label):
            return True, PROBLEM
    return False, None


def _boundary_ok(text: str, i: int, line_start: int, family: str) -> bool:
    j = i - 1
    while j >= line_start and text[j] in " \t\u3000":
        j -= 1
    if j < line_start:
        return True
    if family in _LINE_START_ONLY:
        return False
    prev = text[j]
    if prev in _SENTENCE_END:
        return True
    if family in ("shi", "di", "seq", "cn_paren", "num_paren", "circled") and prev in _COMMA:
        return True
    return False


def _find_markers(text: str, ls: int, le: int) -> list[tuple[int, int, str]]:
    """(start, content_start, family) of the item markers in one paragraph."""
    found: dict[int, tuple[int, int, str]] = {}
    for family, rx in _MARKERS:
        for m in rx.finditer(text, ls, le):
            if m.start() in found or not _boundary_ok(text, m.start(), ls, family):
                continue
            if family == "num_dot" and m.group().rstrip().endswith(("、", ".", "．")) is False:
                continue
            found[m.start()] = (m.start(), m.end(), family)
    # a marker inside another marker's match ("（一）" vs "一、") is not a marker
    out, last_end = [], -1
    for s in sorted(found):
        if s < last_end:
            continue
        out.append(found[s])
        last_end = found[s][1]
    return out


def _heading_at(text: str, pos: int, le: int) -> Optional[tuple[int, Optional[str]]]:
    """A heading label starting at pos: (content_start, kind) or None."""
    seg = text[pos:le]
    m = re.match(r"[^，,。；;：:]{1,%d}?(?:[：:]|$)" % (MAX_HEADING_LEN + 2), seg)
    if not m:
        # a label ending in "。" on its own ("（一）存在的主要问题。")
        m = re.match(r"[^，,。；;：:]{1,%d}。\s*$" % (MAX_HEADING_LEN + 2), seg)
        if not m:
            return None
    label = m.group().rstrip("：:。 ")
    ok, kind = heading_kind(label)
    if not ok:
        return None
    return pos + m.end(), kind


def _events(text: str) -> list[_Event]:
    events: list[_Event] = []
    for ls, le in _line_bounds(text):
        # paragraph start, skipping leading blanks
        p = ls
        while p < le and text[p] in " \t\u3000":
            p += 1
        if p >= le:
            continue
        events.append(_Event("break", p, p))
        markers = _find_markers(text, p, le)
        # headings at paragraph start, right after a marker, or after a sentence end
        cand = {p: p}
        for s, c, _f in markers:
            cand[s] = c
        for m in re.finditer(r"[。；;]\s*", text[p:le]):
            cand.setdefault(p + m.end(), p + m.end())
        heading_starts = {}
        for s, c in cand.items():
            if c >= le:
                continue
            h = _heading_at(text, c, le)
            if h is None:
                continue
            # a mid-paragraph label needs its colon ("。改进措施：一是")
            if s != p and s not in {mk[0] for mk in markers} and text[h[0] - 1] not in "：:":
                continue
            # a whole paragraph that is one short sentence of the problem kind
            # is a statement, not a heading, unless it has a colon or a marker
            heading_starts[s] = h
        for s, (c, kind) in heading_starts.items():
            events.append(_Event("heading", s, c, heading_kind=kind))
        for s, c, fam in markers:
            if s in heading_starts:
                continue
            # a marker inside a heading label is not an item
            if any(hs < s < hc for hs, (hc, _k) in heading_starts.items()):
                continue
            events.append(_Event("item", s, c, family=fam))
        # the paragraph's end
        events.append(_Event("break", le, le))
    order = {"break": 0, "heading": 1, "item": 2}
    events.sort(key=lambda e: (e.start, order[e.kind]))
    return events


def cue_kind(text: str) -> Optional[str]:
    """problem / improvement from cue words, or None when the text has none."""
    head = text[:12]
    # "下一步……将" / "进一步加强……" at the start is a plan
    if re.match(r"(?:下一步|今后|接下来|明年|20\d\d年|我们将|我局将|将)", text):
        return IMPROVEMENT
    p = _PROBLEM_CUES.search(text)
    i = _IMPROVE_CUES.search(text)
    if p and not i:
        return PROBLEM
    if i and not p:
        return IMPROVEMENT
    if p and i:
        # an action verb opening the statement ("加强……不够的问题") is a plan;
        # otherwise the problem cue wins ("有待进一步增强")
        if i.start() == 0 or (i.start() < p.start() and i.start() < len(head) and
                               re.match("将|加强|进一步|持续|不断|着力|切实|积极|推动|推进|强化|完善|健全|"
                                        "提升|提高|加大|丰富|拓宽|优化|做好|确保|继续|深化|扩大|规范|建立|严格|"
                                        "落实|创新|探索|加快|坚持|注重|抓好", text[i.start():])
                               and i.start() <= 2):
            return IMPROVEMENT
        return PROBLEM
    return None


def _intro_kind(text: str) -> Optional[str]:
    if _INTRO_IMPROVE.search(text):
        return IMPROVEMENT
    if _INTRO_PROBLEM.search(text):
        return PROBLEM
    return None


def _is_intro(text: str, followed_by_items: bool) -> bool:
    t = text.rstrip(" \t\u3000")
    if t.endswith(("：", ":")):
        return True
    return followed_by_items and bool(_INTRO_WORDS.search(t)) and len(t) < 80


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s] in _STRIP_LEAD or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in _STRIP_TAIL or text[e - 1].isspace()):
        e -= 1
    return s, e


def _sentences(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Split [s, e) after 。！？ (keeping the mark with its sentence)."""
    out, cur = [], s
    for m in re.finditer(r"[。！？!?]", text[s:e]):
        end = s + m.end()
        if text[cur:end].strip(_STRIP_TAIL):
            out.append((cur, end))
        cur = end
    if text[cur:e].strip(_STRIP_TAIL):
        out.append((cur, e))
    return out


# A sentence opening with one of these continues the previous one.
_CONTINUES = re.compile(r"^\s*(?:究其原因|主要是|原因是|这|其中|特别是|尤其是|例如|比如|如|同时|从而|以|并|且|但|而|由于|因此|导致|造成)")


def _free_statements(text: str, s: int, e: int, kind: Optional[str]) -> list[tuple[Optional[str], int, int]]:
    """Statements of a paragraph without markers: split on ；, then on 。 where the kind changes."""
    parts = []
    cur = s
    for m in re.finditer(r"[；;]", text[s:e]):
        parts.append((cur, s + m.end()))
        cur = s + m.end()
    parts.append((cur, e))
    out: list[tuple[Optional[str], int, int]] = []
    for ps, pe in parts:
        sents = _sentences(text, ps, pe)
        if not sents:
            continue
        groups: list[list] = []
        for ss, se in sents:
            k = kind or cue_kind(text[ss:se])
            if groups and (_CONTINUES.match(text[ss:se]) or (kind is None and (k is None or k == groups[-1][0]))
                           or (kind is not None)):
                groups[-1][2] = se
                if groups[-1][0] is None:
                    groups[-1][0] = k
            else:
                groups.append([k, ss, se])
        if kind is not None and len(sents) > 1:
            # under a heading, sentences are separate statements unless one continues the other
            groups = []
            for ss, se in sents:
                if groups and _CONTINUES.match(text[ss:se]):
                    groups[-1][2] = se
                else:
                    groups.append([kind, ss, se])
        out.extend((k, a, b) for k, a, b in groups)
    return out


def split_statements(section_text: str, base: int = 0) -> list[tuple[str, str, tuple[int, int]]]:
    """Section 五 text -> [(kind, text, (start, end))], spans are base + offsets in section_text.

    The section's own title line ("五、存在的主要问题及改进情况") may be included;
    it is recognised as a heading and yields nothing.
    """
    text = section_text or ""
    events = _events(text)
    raw: list[tuple[Optional[str], int, int, bool]] = []  # (kind or None, s, e, from_item)
    ctx: Optional[str] = None  # kind set by the last heading/intro
    last_family: Optional[str] = None
    n = len(events)
    for idx, ev in enumerate(events):
        nxt = events[idx + 1].start if idx + 1 < n else len(text)
        if ev.kind == "heading":
            ctx = ev.heading_kind
            last_family = None
        if ev.content >= nxt:
            continue
        seg_s, seg_e = ev.content, nxt
        following_items = _items_follow(events, idx)
        if ev.kind == "item":
            # an item whose tail is an intro ("……。下一步，我局将：") hands that tail on
            tail_s = _last_sentence_start(text, seg_s, seg_e)
            if tail_s > seg_s and text[seg_s:seg_e].rstrip().endswith(("：", ":")):
                raw.append((ctx, seg_s, tail_s, True))
                k = _intro_kind(text[tail_s:seg_e])
                if k:
                    ctx = k
            else:
                raw.append((ctx, seg_s, seg_e, True))
            last_family = ev.family
            continue
        # free text after a heading or a paragraph start
        chunk = text[seg_s:seg_e]
        if not chunk.strip(_STRIP_TAIL):
            continue
        if _is_intro(chunk, following_items):
            k = _intro_kind(chunk)
            if k:
                ctx = k
            continue
        for k, a, b in _free_statements(text, seg_s, seg_e, ctx):
            raw.append((k, a, b, False))
    out: list[tuple[str, str, tuple[int, int]]] = []
    prev_kind: Optional[str] = None
    for k, s, e, _item in raw:
        s, e = _trim(text, s, e)
        body = text[s:e]
        if not body or _NOTHING.match(body) or not re.search(r"[\u4e00-\u9fffA-Za-z]", body):
            continue
        if k is None:
            k = cue_kind(body) or prev_kind or PROBLEM
        prev_kind = k
        out.append((k, body, (base + s, base + e)))
    return out


def _items_follow(events: list[_Event], i: int) -> bool:
    """Whether an item comes after event i before the next heading."""
    for ev in events[i + 1:]:
        if ev.kind == "heading":
            return False
        if ev.kind == "item":
            return True
    return False


def _last_sentence_start(text: str, s: int, e: int) -> int:
    body = text[s:e].rstrip()
    cut = s
    for m in re.finditer(r"[。；;！？!?]", body[:-1] if body else body):
        cut = s + m.end()
    return cut
