"""Media outlets: gazetteer matches, "被A、B、C等媒体刊发" lists, and the trained NER.

Plain functions over one paragraph; offsets are relative to it. The three
sources are merged by `merge_outlets`: one entry per exact name, the first
occurrence's span, in text order, with the source that found it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
GAZETTEER = DATA / "gazetteer_media.txt"

# Words that end an outlet's name; a list item with one of these is an outlet
# even when neither the gazetteer nor the NER knows it.
MEDIA_SUFFIX = re.compile(r"(日报|晚报|晨报|时报|都市报|法制报|法治报|报社|报|网|新闻|电视台|广播电台|电台|"
                          r"广播电视台|卫视|融媒体中心|融媒|频道|杂志|之声|观察|头条|在线|手机台|视听)$")
# The outlet is the name before its channel: "新华社客户端" -> 新华社, "学习强国学习平台" -> 学习强国.
CHANNEL_TAIL = re.compile(r"(手机客户端|客户端|学习平台|官方微博|微信公众号|公众号|APP|头版|首页)$")
# "等媒体", "等中央和地方媒体", "等12家媒体", "等主流媒体及其新媒体平台"
LIST_END = re.compile(r"等(?:\d+家)?(?:中央|省级|省|市级|市|县级|县|主流|各级|新闻|网络|境内外|国内外|省内外|国家级|地方|本地|"
                      r"当地|各类|各大|主要|重要|知名|权威|和|及|、)*媒体")
# "A、B对…进行了报道", "“A”“B”先后转发…": a list of two or more outlets opening the clause
LIST_SUBJECT = re.compile(r"(?:^|(?<=[，。；：\n]))((?:[^，。；：、]{2,20}(?:、|(?<=”)(?=“)))+[^，。；：、]{2,20}?)"
                          r"(?:先后|相继|均|分别|同步)?(?:对[^，。；]{1,30}进行了?(?:报道|宣传|转载)|转发|转载|报道|刊发|刊登|采用|播发)")
# "被人民网、新华网转载" (no 等): a list right before a coverage verb
LIST_VERB = re.compile(r"(?:被|在|经)((?:[^，。；：被在经]{2,20}?、)*[^，。；：被在经]{2,20}?)"
                       r"(?:头版|首页|客户端|及其新媒体平台|等平台)?(?:先后|相继|同步|分别)?"
                       r"(?:刊发|刊登|刊载|报道|转载|采用|播发|播出|发表|宣传报道|专题报道)")
LIST_LEAD = re.compile(r"^.*?(先后被|相继被|多次被|并被|均被|还被|被|先后在|在|经由|经)")
GENERIC = re.compile(r"^(中央|省级|省|市级|市|县级|县|主流|各级|新闻|网络|地方|新|自|各大|国家级|境内外)*(媒体|平台|网站|新媒体)$")
_STRIP = "《》“”\"'‘’「」 　"


@lru_cache(maxsize=1)
def gazetteer() -> tuple[str, ...]:
    names = []
    if GAZETTEER.exists():
        for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                names.append(line)
    return tuple(sorted(set(names), key=len, reverse=True))


@lru_cache(maxsize=1)
def _gazetteer_re() -> re.Pattern | None:
    names = gazetteer()
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in names))


def gazetteer_matches(text: str) -> list[tuple[int, int, str]]:
    rx = _gazetteer_re()
    return [(m.start(), m.end(), m.group()) for m in rx.finditer(text)] if rx else []


def _split_items(s: str, base: int) -> list[tuple[int, int, str]]:
    """Split a list "A、B及《C》" into (start, end, name) with offsets from base."""
    out = []
    pos = 0
    gaz = set(gazetteer())
    for part in re.split(r"(、|，|以及|(?<=》)(?=《)|(?<=”)(?=“))", s):
        if not part:
            continue
        if part in ("、", "，", "以及"):
            pos += len(part)
            continue
        pieces = [part]
        if part.strip(_STRIP) not in gaz and re.search(r"[及和]", part):
            pieces = re.split(r"(及|和)", part)
        for piece in pieces:
            if piece in ("及", "和"):
                pos += len(piece)
                continue
            lead = len(piece) - len(piece.lstrip(_STRIP))
            name = piece.strip(_STRIP)
            name = CHANNEL_TAIL.sub("", name).strip(_STRIP) if len(CHANNEL_TAIL.sub("", name)) >= 2 else name
            if name:
                out.append((base + pos + lead, base + pos + lead + len(name), name))
            pos += len(piece)
    return out


NOT_OUTLET = re.compile(r"(公报|门户网站|政府网站|人民政府网|政务网|公开网|政务服务网|公开专栏)$")


def _plausible(name: str, strict: bool) -> bool:
    if not (2 <= len(name) <= 20) or GENERIC.match(name):
        return False
    if NOT_OUTLET.search(name) and name not in gazetteer():
        return False  # the agency's own platforms are channels, not news outlets
    if re.search(r"[，。；：！？\d]", name) and not re.match(r"^[A-Z]{2,5}-?\d{1,2}$|^\d{1,2}世纪", name):
        return False
    if re.search(r"(工作|信息|政策|稿件|文章|动态|做法|经验|成效|情况|活动|宣传|我局|我委|我市|本局|本机关)", name):
        return False
    if strict:
        return bool(MEDIA_SUFFIX.search(name)) or name in gazetteer()
    return True


def pattern_matches(text: str) -> list[tuple[int, int, str]]:
    """Outlets named in coverage lists: "被A、B、C等媒体(及其新媒体平台)刊发"."""
    out: list[tuple[int, int, str]] = []
    for m in LIST_END.finditer(text):
        start = max(text.rfind(ch, 0, m.start()) for ch in "，。；：\n") + 1
        seg = text[start:m.start()]
        lead = LIST_LEAD.match(seg)
        if lead:
            start += lead.end()
            seg = seg[lead.end():]
        # a list needs "被/在" before it or an enumeration; a bare "…等媒体" after prose is not a list
        items = _split_items(seg, start)
        strict = not lead and len(items) < 2
        for s, e, name in items:
            if _plausible(name, strict):
                out.append((s, e, name))
    for m in LIST_SUBJECT.finditer(text):
        if re.search(r"被|通过|经由", m.group(1)) or re.match(r"(在|经|由|向|对|与)", m.group(1)):
            continue  # not a subject list: the 被/在 lists are read above
        for s, e, name in _split_items(m.group(1), m.start(1)):
            if _plausible(name, strict=True):
                out.append((s, e, name))
    for m in LIST_VERB.finditer(text):
        s0 = m.start(1)
        for s, e, name in _split_items(m.group(1), s0):
            if _plausible(name, strict=True):
                out.append((s, e, name))
    return sorted(set(out))


LEAD_NOISE = "被在经向与由和及对从将把"
TAIL_NOISE = "及等对和与刊转"


_BOUNDARY = LEAD_NOISE + "、，。；：“”\"《》()（） \n"


def trim_entity(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop function characters jieba glued to a name: "被雁汀日报" -> "雁汀日报", "云南网对" -> "云南网";
    take back one orphaned character jieba cut off ("与紫|陌广播电视台" -> "紫陌广播电视台")."""
    while e - s > 2 and text[s] in LEAD_NOISE:
        s += 1
    while e - s > 2 and text[e - 1] in TAIL_NOISE:
        e -= 1
    if s >= 1 and "\u4e00" <= text[s - 1] <= "\u9fff" and text[s - 1] not in _BOUNDARY \
            and (s == 1 or text[s - 2] in _BOUNDARY):
        s -= 1
    return s, e


STRONG_SUFFIX = re.compile(r"(日报|晚报|晨报|时报|都市报|法治报|法制报|报社|电视台|广播电台|广播电视台|人民广播电台|"
                           r"卫视|融媒体中心|融媒|之声|新闻网)$")
MEDIA_CUE = re.compile(r"媒体|报道|刊发|刊登|刊载|转载|采用|播出|播发|专访|记者|发表|宣传|头版|融媒|电视|广播|日报|新闻")
_CONTEXT_BEFORE = re.compile(r"(被|在|经|由|与|和|及|、|联合|通过|向|《|“)$")
_CONTEXT_AFTER = re.compile(r"^(、|和|及|等|》|”|刊|报道|转载|采用|播|发表|专访|记者|头版|客户端|开设|合作|同步|上)")
_PLATFORM_AFTER = re.compile(r"^[”\"]?(客户端|APP|App|app|公众号|微信|微博|抖音|头条号|视频号|小程序|网站)")


def clean_ner_name(name: str) -> bool:
    return _plausible(name.strip(_STRIP), strict=False) and "、" not in name


def ner_outlet_ok(text: str, s: int, e: int) -> bool:
    """A NER MEDIA guess is kept when it looks like an outlet: a media suffix, or the
    context of one (listed, "被X报道", "在X刊发"); never when a platform word follows
    ("掌上办事客户端" is an app)."""
    name = text[s:e]
    if not clean_ner_name(name):
        return False
    after = text[e:e + 4]
    if _PLATFORM_AFTER.match(after) and not MEDIA_SUFFIX.search(name):
        return False  # "掌上办事客户端" is the agency's app; "墨阳融媒APP" is an outlet's
    if name in gazetteer() or STRONG_SUFFIX.search(name):
        return True
    # topic lists look like outlet lists ("围绕招生入学、教育收费、学生资助等"): the sentence
    # must speak of coverage
    sent_s = max(text.rfind(c, 0, s) for c in "。；！？\n") + 1
    sent_e = min([i for i in (text.find(c, e) for c in "。；！？\n") if i >= 0] or [len(text)])
    if not MEDIA_CUE.search(text[sent_s:sent_e]):
        return False
    if MEDIA_SUFFIX.search(name):
        return True
    return bool(_CONTEXT_BEFORE.search(text[max(0, s - 2):s]) and _CONTEXT_AFTER.match(after))


def merge_outlets(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """(start, end, name, source) -> one per name, earliest span, in text order.

    A name that is a strict prefix of another found at the same start is dropped
    ("新华社" inside "新华社客户端" stays only if nothing longer overlaps it).
    """
    rank = {"gazetteer": 0, "pattern": 1, "ner": 2}
    found = sorted(found, key=lambda x: (x[0], -(x[1] - x[0]), rank.get(x[3], 3)))
    kept: list[tuple[int, int, str, str]] = []
    seen: set[str] = set()
    for s, e, name, src in found:
        if any(s < ke and ks < e for ks, ke, _, _ in kept):
            continue  # overlaps an outlet already kept (longer one at the same start wins)
        if name in seen:
            continue
        seen.add(name)
        kept.append((s, e, name, src))
    return kept
