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

# Item markers. A marker counts at a paragraph start or after a sentence
# boundary; most also after a comma ("存在问题，一是……"); "一、" and "1)" only
# at a paragraph start.
_MARKERS = [
    ("shi", re.compile(rf"(?:{_CN_NUM}是|其[{_CN}])(?:[，,、：:]\s*)?")),
    ("di", re.compile(rf"第{_CN_NUM}(?:[，,、：:]|是)\s*")),
    ("cn_paren", re.compile(rf"[（(]\s*{_CN_NUM}\s*[）)]\s*[、，,.．]?\s*")),
    ("num_paren", re.compile(r"[（(]\s*\d{1,2}\s*[）)]\s*[、，,.．]?\s*")),
    # "1." before a digit is a decimal ("1.5万"), unless a year follows ("1.2024年……")
    ("num_dot", re.compile(r"\d{1,2}\s*(?:、|[.．](?!\d)|[.．](?=(?:19|20)\d\d年))\s*")),
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
                  "工作安排", "工作思路", "工作重点", "对策", "举措", "改善", "今后")
_NEGATIVE_IN_LABEL = "不|少|低|弱|慢|缺|滞|单一|有待|较|偏|未"
MAX_HEADING_LEN = 22  # a label longer than this is a sentence, not a heading

# Cue words deciding a statement's kind when no heading says (see cue_kind).
# A deficiency word marks a problem ("有待进一步增强" is one, although it has 进一步).
_PROBLEM_CUES = re.compile(
    "不够|有待|不足|滞后|较少|偏少|欠缺|缺乏|缺少|不高|不强|不到位|单一|薄弱|不及时|不全面|"
    "不均衡|不平衡|参差不齐|仍需|还需|尚需|还要|仍要|仍有|需进一步|需要进一步|差距|不深|不多|"
    "不规范|不完善|不健全|较弱|较慢|偏弱|偏慢|空白|不一致|不一|不统一|尚未|未能|没有|不明显|局限|"
    "不畅|不准确|不精准|不充分|较低|偏低|陈旧|简陋|不便|难以|不熟悉|缓慢|放缓|提升空间|改进空间|"
    "不对应|错误|不严|流于形式|为主|依赖|兼职|身兼多职|变动|不稳定|不能|无法|困难|分散|"
    "未(?:建立|及时|按|在|与|对|开展|实现|形成|做到|公开|设置|配备|同步|纳入|标注|明确|发布|更新|落实|达到|覆盖|"
    "进行|经过|全部|予|根据|互联|核对)|较粗|过长|过短|偏长|超过|尚有|距离|耗时|重[^，。；]{1,6}轻|"
    "受[^，。；]{0,14}影响")
# A statement opening with an action ("建立……", "围绕……开展") is a plan.
_IMPROVE_OPENERS = re.compile(
    "(?:下一步|今后|接下来|明年|我们将|将|针对|围绕|聚焦|对照|按照|依托|结合|通过|定期|每|建立|健全|"
    "综合|运用|充分|利用|培养|改善|配置|合理|准确|多用|打通|组建|畅通|重大|应急|"
    "完善|加强|加大|强化|推动|推进|提升|提高|丰富|拓宽|拓展|优化|做好|确保|继续|深化|扩大|规范|严格|"
    "落实|创新|探索|加快|坚持|注重|抓好|力争|组织|开展|收集|编写|编制|制定|修订|实行|推行|明确|统一|"
    "整合|开通|增配|配齐|配强|邀请|分析|梳理|引入|设立|用好|升级|压缩|逐项|全面|积极|切实|持续|不断|"
    "着力|进一步|认真|及时|主动|大力|重点|指导|督促|开设|打造|畅通|构建|细化|压实|增强|完成|召开|举办|"
    "对|在|把|以|由|实现|保持|简化|增加|减少|做实|用足|发挥|鼓励|引导|部署|安排|健全|加快|创建|设置|"
    "公开|发布|更新|整理|编印|印发|出台|推广|试点|探索|培育|开发|上线|接入|嵌入|优化|精简|争取)")
_PLAN_START = re.compile(r"(?:下一步|今后|接下来|明年|我们将|将|针对)|20\d\d年[^，。；]{0,8}将")
_IMPROVE_CUES = re.compile(
    "将|进一步|加强|下一步|持续|不断|着力|切实|积极|推动|推进|强化|完善|健全|提升|"
    "提高|加大|丰富|拓宽|优化|做好|确保|继续|深化|扩大|规范|建立|严格|落实|创新|探索|"
    "整改|改进|加快|坚持|注重|抓好|力争|努力")
_WEAK_PROBLEM = re.compile("存在|问题|部分|个别|仅|只|少|低|弱|慢|不")
# a follow-up of last year's problems tells what was done about them
_FOLLOW_UP = re.compile("已[^，。；]{0,20}整改|整改后|完成整改|已基本整改|整改到位|整改已完成|问题已解决|"
                        "得到(?:一定|有效|明显|基本)?(?:解决|改善|整改|缓解)")
# a sentence about last year's problems and what became of them
_LAST_YEAR = re.compile("上年度|上一年度|上年|去年")
# Intro sentences before a list ("主要存在以下问题：") say the kind of what follows.
_INTRO_WORDS = re.compile("以下|如下|主要表现|几个方面|几方面|具体|主要有|体现在|表现为|为此|方面")
_INTRO_IMPROVE = re.compile("下一步|将|改进|整改|措施|计划|打算|努力|针对|今后|接下来|明年")
_INTRO_PROBLEM = re.compile("问题|不足|差距|短板|困难|薄弱")
_NOTHING = re.compile(
    r"^(?:本年度|本年|今年|20\d\d年度?)?[，,]?(?:无|暂无|没有|不存在)"
    r"(?:需要报告的|需报告的|存在的|此项|相关|此类|上述|其他)*(?:内容|情况|问题|事项|工作)?[。.]?$")
_TOPIC_TITLE = re.compile(r"^关于[^，,。；;：:]{1,16}$")
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
    # an action ("制定下一步工作计划", "今后将加强培训") is a statement, not a label
    if "将" in label or (_IMPROVE_OPENERS.match(label) and not re.match("下一步|今后|针对|明年", label)):
        return False, None
    has_p = any(w in label for w in _PROBLEM_WORDS)
    has_i = any(w in label for w in _IMPROVE_WORDS)
    rest = label
    for w in _PROBLEM_WORDS:
        rest = rest.replace(w, "")
    # a deficiency is stated, not named ("整改措施不到位", "人员不足")
    if re.search(_NEGATIVE_IN_LABEL, rest):
        return False, None
    if has_p and has_i:
        # "针对问题的整改措施" / "问题整改情况" are improvements; the section
        # title "存在的主要问题及改进情况" names both and sets no kind.
        if re.search("(问题|不足|困难|短板|差距)[和及与、]", label) or "存在" in label:
            return True, None
        return True, IMPROVEMENT
    if has_i:
        return True, IMPROVEMENT
    if has_p:
        # a problem heading names the problems in general ("存在的不足", "主要问题"),
        # it does not state one ("人员不足", "公开不及时的问题")
        general = re.search("存在|主要|突出|当前|目前|工作中|方面|之处|面临", label) or not rest.strip("的和及与、 ")
        if len(label) <= 14 and general:
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
    """problem / improvement from cue words, or None when the text has none.

    In order: a plan opener ("下一步"/"将"/"针对"), a follow-up ("已……整改"),
    then an action verb opening the statement against a deficiency word: the
    deficiency wins when it sits in the first clause ("对……解读不足"), the
    action wins when the deficiency is what it fixes ("加强培训，解决……不足的问题").
    """
    text = text.strip()
    if _PLAN_START.match(text) or _FOLLOW_UP.search(text):
        return IMPROVEMENT
    p = _PROBLEM_CUES.search(text)
    opener = _IMPROVE_OPENERS.match(text)
    if opener and p:
        # "对……的申请，……不规范": a topic opened by 对/在 is no action
        if opener.group() in ("对", "在"):
            return PROBLEM
        first = re.split("[，,；;。]", text, maxsplit=1)[0]
        return PROBLEM if p.start() < len(first) else IMPROVEMENT
    if opener:
        return IMPROVEMENT
    if p:
        return PROBLEM
    if _IMPROVE_CUES.search(text):
        return IMPROVEMENT
    if _WEAK_PROBLEM.search(text):
        return PROBLEM
    return None


def _intro_kind(text: str) -> Optional[str]:
    """The kind an intro announces; when it names both, the later word
    ("针对上述问题，我局将采取以下措施：" -> improvement)."""
    i = [m.start() for m in _INTRO_IMPROVE.finditer(text)]
    p = [m.start() for m in _INTRO_PROBLEM.finditer(text)]
    if not i and not p:
        return None
    return IMPROVEMENT if (i[-1] if i else -1) > (p[-1] if p else -1) else PROBLEM


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
_CONTINUES = re.compile(r"^\s*(?:究其原因|主要是|原因是|主要表现在|这|其中|特别是|尤其是|例如|比如|从而|并且|并|且|但|而|由于|因此|导致|造成)")
_FIRST_ORDINAL = re.compile(r"^[（(]?\s*(?:一|1|①|首先|其一|第一)(?![0-9一二三四五六七八九十])")


def _free_statements(text: str, s: int, e: int, kind: Optional[str],
                     semicolons: bool) -> list[tuple[Optional[str], int, int]]:
    """Statements of text without markers: one per sentence (a sentence opening
    with a connective stays with the one before) and, directly under a
    sub-heading, one per `；` part ("主要问题：信息更新不及时；解读形式单一。")."""
    out: list[list] = []
    cur = s
    bounds = ([s + m.end() for m in re.finditer(r"[；;]", text[s:e])] if semicolons else []) + [e]
    for pe in bounds:
        for ss, se in _sentences(text, cur, pe):
            if out and _CONTINUES.match(text[ss:se]):
                out[-1][2] = se
            else:
                out.append([kind, ss, se])
        cur = pe
    return [(k, a, b) for k, a, b in out]


def _simplified_shadow(text: str) -> str:
    """The text in simplified characters when that keeps every offset, else the text itself."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    try:
        import opencc

        conv = opencc.OpenCC("t2s").convert(text)
    except Exception:  # opencc missing or failing: read the text as it is
        return text
    return conv if len(conv) == len(text) else text


def split_statements(section_text: str, base: int = 0) -> list[tuple[str, str, tuple[int, int]]]:
    """Section 五 text -> [(kind, text, (start, end))], spans are base + offsets in section_text.

    The section's own title line ("五、存在的主要问题及改进情况") may be included;
    it is recognised as a heading and yields nothing. Traditional-script text
    is read through a same-length simplified copy; the statements returned are
    slices of the text given.
    """
    orig = section_text or ""
    text = _simplified_shadow(orig)
    events = _events(text)
    raw: list[tuple[Optional[str], int, int]] = []  # (kind or None, s, e)
    head: Optional[str] = None  # kind of the last sub-heading
    # The kind in force: set by a sub-heading, then by any lead-in after it
    # ("存在问题：1.……。下一步，我局将从以下几个方面改进：1.……"); it holds until the next one.
    intro: Optional[str] = None
    n = len(events)

    def ctx() -> Optional[str]:
        return intro or head

    for idx, ev in enumerate(events):
        nxt_ev = events[idx + 1] if idx + 1 < n else None
        nxt = nxt_ev.start if nxt_ev else len(text)
        if ev.kind == "heading":
            head, intro = ev.heading_kind, None
        if ev.content >= nxt or not text[ev.content:nxt].strip(_STRIP_TAIL + "\r\n"):
            continue
        seg_s, seg_e = ev.content, nxt
        if ev.kind == "item":
            # an item whose last sentence introduces the next list
            # ("……。下一步，我局将：一是" / "……。下一步，我镇将重点做好以下工作。一是")
            tail_s = _last_sentence_start(text, seg_s, seg_e)
            tail = text[tail_s:seg_e]
            restart = nxt_ev is not None and nxt_ev.kind == "item" and _FIRST_ORDINAL.match(text[nxt_ev.start:nxt_ev.content])
            if tail_s > seg_s and (tail.rstrip().endswith(("：", ":")) or (restart and _INTRO_WORDS.search(tail))):
                raw.append((ctx(), seg_s, tail_s))
                k = _intro_kind(tail)
                if k:
                    intro = k
            else:
                raw.append((ctx(), seg_s, seg_e))
            continue
        chunk = text[seg_s:seg_e]
        # free text right before an item of the same paragraph, or ending in a colon
        # before a list, is an intro: dropped, it may say the kind of the list
        if (nxt_ev is not None and nxt_ev.kind == "item") or _is_intro(chunk, _items_follow(events, idx)):
            sents = _sentences(text, seg_s, seg_e)
            last = text[sents[-1][0]:sents[-1][1]] if sents else chunk
            # ...except a sentence on last year's problems, which is a statement of its own
            for a, b in sents[:-1]:
                if _LAST_YEAR.search(text[a:b]) and _FOLLOW_UP.search(text[a:b]):
                    raw.append((IMPROVEMENT, a, b))
            k = _intro_kind(last) or _intro_kind(chunk)
            if k:
                intro = k
            continue
        raw.extend(_free_statements(text, seg_s, seg_e, ctx(), semicolons=head is not None))
    out: list[tuple[str, str, tuple[int, int]]] = []
    prev_kind: Optional[str] = None
    for k, s, e in raw:
        s, e = _trim(text, s, e)
        body = text[s:e]
        if not body or _NOTHING.match(body) or not re.search(r"[\u4e00-\u9fffA-Za-z]", body):
            continue
        if _TOPIC_TITLE.match(body):  # "（一）关于政策解读。存在问题：……": a topic, not a statement
            continue
        if k is None:
            k = cue_kind(body) or prev_kind or PROBLEM
        prev_kind = k
        out.append((k, orig[s:e], (base + s, base + e)))
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
    body = text[s:e].rstrip(" \t\u3000\r\n")
    cut = s
    for m in re.finditer(r"[。；;！？!?]", body[:-1]):
        cut = s + m.end()
    return cut
