"""Link each count of a paragraph to its channel, counted noun, category and verb.

Plain functions over one paragraph (a line of the normalised text); the spaCy
component in `components.py` calls `link_counts` with the channel mentions the
matcher found. Offsets are relative to the paragraph.

Rules, in order (see template.md §7.2):
- channel: the first channel mention between the previous count of the clause
  (or the clause start) and the number; else the first in the clause before the
  number; else the channel of the previous count of the sentence; else the
  last mention earlier in the sentence. Channels coordinated with 、/和/及 share
  one count: one record per channel, each with `shared=True`.
- label: the words after the last counting verb, or the whole clause part when
  the verb ends right at the number ("法定主动公开67条").
- part_of: counts after "其中" (up to "；" or the sentence end) are parts of the
  last count before "其中".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from . import lexicon as L
from .numbers import Count, find_counts

SENTENCE_END = "。！？!?\n"
CLAUSE_END = "，；：,;:" + SENTENCE_END
ITEM_END = CLAUSE_END + "、"
_VERB_RE = re.compile("|".join(sorted(set(L.VERBS), key=len, reverse=True)))
_COORD = re.compile(r"^[、和及与以及\s]*$")


@dataclass
class Mention:
    start: int
    end: int
    channel: str
    text: str = ""


@dataclass
class Linked:
    count: Count
    channel: Optional[str]
    category: Optional[str]
    label: str
    verb: Optional[str]
    period: str = "annual"
    scope: Optional[str] = None
    part_of: Optional["Linked"] = None
    shared: bool = False
    extra_channels: list[str] = field(default_factory=list)
    channel_term: str = ""
    label_start: int = -1  # where the label sits in the paragraph (-1: not a verbatim slice)
    respective: Optional[tuple] = None  # (channels, k) while "A、B分别…x、y" is being distributed


def _last_boundary(text: str, pos: int, chars: str, floor: int = 0) -> int:
    """Index just after the last char of `chars` before pos (>= floor)."""
    i = pos - 1
    while i >= floor:
        if text[i] in chars:
            return i + 1
        i -= 1
    return floor


def _next_boundary(text: str, pos: int, chars: str) -> int:
    i = pos
    while i < len(text) and text[i] not in chars:
        i += 1
    return i


def _channels_in(mentions: list[Mention], s: int, e: int) -> list[Mention]:
    return [m for m in mentions if m.start >= s and m.end <= e]


def _coordinated(text: str, first: Mention, pool: list[Mention]) -> list[Mention]:
    """The first mention plus those joined to it by 、/和/及 only."""
    group = [first]
    for m in pool:
        if m.start >= group[-1].end and _COORD.match(text[group[-1].end:m.start]) and m.channel != group[-1].channel:
            group.append(m)
        elif m.start >= group[-1].end:
            break
    return group


_HEAD_AFTER = re.compile(r"[\u4e00-\u9fff]{1,4}?(?=进行|开展|给予|予以|[，。；、,;]|$)")


def _clean_label(s: str) -> str:
    s = s.strip(" 　\t\"“”《》")
    prev = None
    while prev != s:
        prev = s
        s = L.LABEL_LEAD.sub("", s)
        s = L.LABEL_TAIL.sub("", s)
        s = s.strip(" 　\t\"“”()（）《》")
    return s


def _mask_nouns(region: str) -> str:
    """Hide verbs inside fixed nouns ("政务公开", "公开申请", "发布会") from the verb search."""
    return L.NOUNS_WITH_VERBS.sub(lambda m: "□" * len(m.group()), region)


def _strip_channel(label: str, mentions: list[Mention]) -> str:
    """"门户网站各栏目信息" -> "信息": a channel named at the label's start is not the counted noun."""
    for m in sorted(mentions, key=lambda m: -m.end):
        if m.channel not in L.STRIP_CHANNELS or not m.text:
            continue
        k = label.rfind(m.text)
        if k >= 0 and len(label) > k + len(m.text):
            rest = _clean_label(label[k + len(m.text):].lstrip("”\"》"))
            if rest:
                return rest
    return label


def _label_and_verb(text: str, item_start: int, num_start: int,
                    mentions: list[Mention] = ()) -> tuple[str, Optional[str]]:
    region = text[item_start:num_start]
    # a verb followed by a coordinator is used as a noun ("规划批前公示和批后公布信息")
    verbs = [v for v in _VERB_RE.finditer(_mask_nouns(region))
             if not re.match(r"(和|及|与|、|以及)", region[v.end():])]
    if not verbs:
        return _strip_channel(_clean_label(region), mentions), None
    v = verbs[-1]
    after = _clean_label(region[v.end():])
    if after and not L.BARE_MEASURE.match(after) and "等" not in after:
        return _strip_channel(after, mentions), v.group()
    # the verb ends at the number: the counted noun includes it ("法定主动公开67条",
    # "经审查确定主动公开23件" -> "确定主动公开"), back to the previous verb
    start = verbs[-2].end() if len(verbs) > 1 else 0
    before = region[start:]
    if "等" in before[:v.start() - start]:  # "……等媒体及其新媒体平台刊发"
        before = before[before.rfind("等", 0, v.start() - start) + 1:]
    return _strip_channel(_clean_label(before), mentions), v.group()


def categorise(label: str, clause: str, channel: Optional[str], unit: str,
               verb: Optional[str] = None, channel_term: str = "") -> str:
    """The contract's category; "other" when the count is of something no category names."""
    fields = {"label": label, "clause": clause, "verb": verb or ""}
    for cat, where, rx in L.CATEGORY_RULES:
        if cat != "disclosed_info" and rx.search(fields[where]):
            return cat
    if channel == "media":
        return "coverage" if verb not in ("报送", "合作", "开设", "推出", "上线") else "other"
    newmedia = (channel in L.POST_CHANNELS or channel == "app" or channel_term in L.NEWMEDIA_TERMS
                or (channel == "other" and channel_term.endswith("号")))
    if unit == "个" and label in L.CHANNEL_TERMS:
        return "other"  # "微博1个、微信公众号4个": accounts, not posts
    if channel in L.POST_CHANNELS and not L.NOT_POST_LABEL.search(label) and unit not in ("人", "家", "项"):
        return "posts"
    if newmedia and L.POST_LABEL.search(label) and unit not in ("个", "项", "人", "家"):
        return "posts"
    if channel == "press_conference" and unit in ("场", "次", "场次"):
        return "press_events"
    if channel in (None, "website", "other") and not newmedia:
        for cat, where, rx in L.CATEGORY_RULES:
            if cat == "disclosed_info" and rx.search(label):
                return cat
    return "other"


def sentence_so_far(text: str, sent_start: int, p: int) -> str:
    return text[sent_start:p]


def link_counts(text: str, mentions: list[Mention], counts: Optional[list[Count]] = None) -> list[Linked]:
    counts = find_counts(text) if counts is None else counts
    mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
    out: list[Linked] = []
    sent_start_prev = -1
    sent_items: list[Linked] = []
    for c in counts:
        p = c.start
        sent_start = _last_boundary(text, p, SENTENCE_END)
        if sent_start != sent_start_prev:
            sent_items, sent_start_prev = [], sent_start
        clause_start = _last_boundary(text, p, CLAUSE_END, sent_start)
        prev_in_clause = [x for x in sent_items if x.count.end <= p and x.count.start >= clause_start]
        item_floor = prev_in_clause[-1].count.end if prev_in_clause else clause_start
        item_start = _last_boundary(text, p, ITEM_END, item_floor)

        # a rate ("日均访问量约3,500人次", "每周推送3期") is not a count of the year
        if any(k in text[clause_start:p] for k in L.RATE_MARKERS):
            continue

        # channel
        region = _channels_in(mentions, item_floor, p) or _channels_in(mentions, clause_start, p)
        group: list[Mention] = []
        term = ""
        respective = None
        prev = sent_items[-1] if sent_items else None
        if prev is not None and prev.respective is not None and not _channels_in(mentions, prev.count.end, p):
            region = []  # "粉丝量分别达到2.3万和1.8万": keep distributing the earlier list
        if region:
            group = _coordinated(text, region[0], region[1:])
            channel, term = group[0].channel, group[0].text
        else:
            # carry: the previous count's channel, or the first channel of the latest
            # clause that names one, whichever comes later
            earlier = _channels_in(mentions, sent_start, p)
            last = earlier[-1] if earlier else None
            prev = sent_items[-1] if sent_items else None
            if prev is not None and (last is None or last.start < prev.count.start):
                channel, term = prev.channel, prev.channel_term
                respective = prev.respective
            elif last is not None:
                cs = _last_boundary(text, last.start, CLAUSE_END, sent_start)
                first = _channels_in(mentions, cs, p)[0]
                group = _coordinated(text, first, _channels_in(mentions, cs, p)[1:])
                channel, term = first.channel, first.text
            else:
                channel = None
        # "门户网站、政务微博、微信公众号分别发布信息1,326条、845条和392篇": nth count, nth channel
        if len(group) > 1 and "分别" in text[group[0].start:p]:
            respective = (group, 0)
            group = []
        elif respective is not None:
            grp, k = respective
            respective = (grp, k + 1) if k + 1 < len(grp) else None
            group = []
        if respective is not None:
            grp, k = respective
            channel, term = grp[k].channel, grp[k].text

        label, verb = _label_and_verb(text, item_start, p, mentions)
        if channel == "media" and not label and not verb:
            # "我局法治宣传稿件先后被A、B采用，共计41篇": the subject of 被 is what was counted
            bei = text.rfind("被", sent_start, p)
            if bei >= 0:
                label = _clean_label(text[_last_boundary(text, bei, CLAUSE_END, sent_start):bei])
                label = re.sub(r"(先后|相继|多次|均)$", "", label)
        elif channel == "media" and verb and label.endswith(verb):
            # coverage with no noun after the verb: the outlet of a per-outlet breakdown
            # ("在人民日报刊发3篇、新华社播发5篇"), else the verb ("被…等媒体采用65篇/次")
            outlets = [m for m in _channels_in(mentions, item_floor, p) if m.channel == "media" and m.text != "媒体"]
            if len(outlets) == 1 and "等" not in text[item_floor:p] and "被" not in text[item_floor:outlets[0].start]:
                label = outlets[0].text
            else:
                label = verb
        if not label and sent_items and sent_items[-1].label and c.unit and (
                respective is not None or sent_items[-1].count.unit == c.unit):
            label = sent_items[-1].label  # "分别发布信息1,326条、845条": the noun is said once
        if "等" in label and item_start > item_floor and text[item_start - 1] == "、":
            # "征收补偿方案、安置房分配结果等信息21条": the label is the whole enumeration
            label, verb = _label_and_verb(text, item_floor, p, mentions)
        if label.endswith("的"):
            # "对评估中发现问题的12个单位进行通报": the head noun follows the count
            head = _HEAD_AFTER.match(text, c.end)
            if head:
                label += head.group()
        clause = text[clause_start:p]
        category = categorise(label, clause if label else sentence_so_far(text, sent_start, p),
                              channel, c.unit, verb, term)
        if category == "other" and not label and prev_in_clause:
            category = prev_in_clause[-1].category

        # period and scope read the sentence up to the number
        sentence = text[sent_start:p]
        period = "annual"
        if any(k in clause for k in L.CUMULATIVE_MARKERS):
            period = "cumulative"
        elif L.CUTOFF.search(sentence) and not L.REFERENCE_DATE.search(sentence):
            period = "cumulative"
        if period == "cumulative" and any(k in clause for k in L.ANNUAL_MARKERS):
            period = "annual"
        scope = "aggregate" if L.AGGREGATE.search(sentence) else None

        # breakdowns: "141件，其中，政策文件7条……" up to "；" or the sentence end
        part_of = None
        k = sentence.rfind("其中")
        if k >= 0 and "；" not in sentence[k:] and ";" not in sentence[k:]:
            totals = [x for x in sent_items if x.count.end <= sent_start + k and not x.part_of]
            if totals:
                part_of = totals[-1]
        if part_of is not None and category == "other" and part_of.category in L.INHERITED_CATEGORIES:
            category = part_of.category
        item = Linked(c, channel, category, label, verb, period, scope, part_of)
        item.channel_term, item.respective = term, respective
        if label:
            item.label_start = text.rfind(label, item_start if item_start < p else clause_start, p)
        if len(group) > 1:
            item.shared = True
            item.extra_channels = [m.channel for m in group[1:]]
        out.append(item)
        sent_items.append(item)
    return out


def find_channel_mentions(text: str) -> list[Mention]:
    """Char-level channel mentions (the spaCy matcher's fallback and the plain-string path)."""
    found: list[Mention] = []
    taken = [False] * len(text)
    for term in sorted(L.CHANNEL_TERMS, key=len, reverse=True):
        for m in re.finditer(re.escape(term), text):
            s, e = m.span()
            if any(taken[s:e]):
                continue
            if term == "媒体" and text[s - 1:s] in L.NOT_MEDIA_BEFORE:
                continue
            found.append(Mention(s, e, L.CHANNEL_TERMS[term], term))
            for i in range(s, e):
                taken[i] = True
    for rx, ch in L.CHANNEL_REGEXES:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(taken[s:e]):
                continue
            found.append(Mention(s, e, ch, m.group()))
            for i in range(s, e):
                taken[i] = True
    return sorted(found, key=lambda m: m.start)
