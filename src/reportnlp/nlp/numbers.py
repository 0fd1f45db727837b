"""Counts as written: find "<qualifier><number><万/亿><余><unit>" and turn it into a value.

Pure functions over plain strings (no spaCy), so they are cheap to test:
`find_counts(text)` returns every count with its character span; the span
(`Count.start`, `Count.end`) covers the leading qualifier, the number, the
multiplier, the trailing qualifier and the unit, e.g. "近300篇", "2.5万条",
"三百余条", "87篇/次". That is the evidence span of a Quantity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as L

CN_DIGITS = "零〇一二两三四五六七八九十百千"
_units = "|".join(re.escape(u) for u in sorted(L.UNITS, key=len, reverse=True) if u != "余条")
_pre = "|".join(sorted(L.LOWER_BOUND_BEFORE + L.APPROX_BEFORE, key=len, reverse=True))

COUNT_RE = re.compile(
    rf"(?P<pre>{_pre})?"
    rf"(?:(?<![\d.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?<![{CN_DIGITS}])(?P<cn>[{CN_DIGITS}]+))"
    rf" ?(?P<mult>万|亿)?(?P<after>余|多)?(?P<unit>{_units})?(?P<post>以上|左右)?"
)

# One-character Chinese numerals are words far more often than counts
# (统一, 进一步, 一是, 一批, 三审三校); "一" counts only after a counting word.
_ONE_CONTEXT = re.compile(r"(结转|共|计|发布|收到|受理|新收|办理|公开|召开|举办|开展|组织|上线|更新|推送|刊发|"
                          r"编印|印发|制定|出台|为|达|有|了|申请|答复|回复|征集|报送)$")
# Preceding characters that make a number an ordinal, a rate or part of a code.
_BAD_BEFORE = ("第", "每", "〔", "[", "前", "No", "编号", "近一", "/")


@dataclass
class Count:
    start: int
    end: int
    value: float
    unit: str
    qualifier: str = "exact"
    number_start: int = 0  # where the digits begin (after a leading qualifier)


def cn_to_number(s: str) -> float | None:
    """Chinese numerals -> number ("两" -> 2, "一百零五" -> 105); None when cn2an cannot read it."""
    import cn2an

    s = s.replace("两", "二").replace("〇", "零")
    if s[:1] in "百千":
        s = "一" + s
    try:
        v = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return float(v)


def _clean_value(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 6)


def parse_number(num: str, mult: str = "") -> float | int | None:
    """"2,316" -> 2316, "2.5"+"万" -> 25000, "三百" -> 300."""
    if not num:
        return None
    if num[0].isdigit():
        try:
            v = float(num.replace(",", ""))
        except ValueError:
            return None
    else:
        v = cn_to_number(num)
        if v is None:
            return None
    if mult == "万":
        v *= 1e4
    elif mult == "亿":
        v *= 1e8
    return _clean_value(v)


def _accept(text: str, m: re.Match) -> bool:
    unit, mult = m.group("unit"), m.group("mult")
    if not unit and not mult:
        return False
    ns = m.start("num") if m.group("num") else m.start("cn")
    before = text[max(0, ns - 3):ns]
    if any(before.endswith(b) for b in _BAD_BEFORE):
        return False
    after = text[m.end():m.end() + 1]
    if after in ("%", "‰", "年", "月", "日", "号", "时", "岁"):
        return False
    nxt = text[m.end() + 1:m.end() + 2]
    if after and (after.isdigit() or (after in ".," and nxt.isdigit())):
        return False
    # a unit followed by more letters can be a different word (3个月, 一次性, 5个工作日)
    if unit:
        tail = text[m.start("unit"):m.start("unit") + 5]
        if any(tail.startswith(b) for b in L.UNIT_BLOCKERS):
            return False
    cn = m.group("cn")
    if cn:
        if not unit and not mult:
            return False
        if cn in ("一", "十") and not m.group("after"):
            if cn == "一" and not _ONE_CONTEXT.search(text[max(0, ns - 6):ns]):
                return False
        if len(cn) == 1 and cn not in "一两二三四五六七八九十":
            # "近百篇", "千余条": a bare 百/千 only with a qualifier
            if not (cn in "百千" and (m.group("pre") or m.group("after"))):
                return False
        # a numeral glued to a preceding Chinese word ("统一", "专项")
        prev = text[ns - 1:ns]
        if len(cn) == 1 and cn in "一" and prev and "\u4e00" <= prev <= "\u9fff" and not _ONE_CONTEXT.search(text[max(0, ns - 6):ns]):
            return False
    return True


def find_counts(text: str) -> list[Count]:
    out: list[Count] = []
    for m in COUNT_RE.finditer(text):
        if not (m.group("num") or m.group("cn")):
            continue
        if not _accept(text, m):
            continue
        num = m.group("num") or m.group("cn")
        value = parse_number(num, m.group("mult") or "")
        if value is None:
            continue
        pre, after, post = m.group("pre") or "", m.group("after") or "", m.group("post") or ""
        qualifier = "exact"
        if pre in L.LOWER_BOUND_BEFORE or after in L.LOWER_BOUND_AFTER or post in L.LOWER_BOUND_AFTER:
            qualifier = "lower_bound"
        elif pre in L.APPROX_BEFORE or post in L.APPROX_AFTER:
            qualifier = "approx"
        unit = m.group("unit") or ""
        unit = L.UNIT_NORMALISE.get(unit, unit)
        ns = m.start("num") if m.group("num") else m.start("cn")
        out.append(Count(m.start(), m.end(), value, unit, qualifier, ns))
    return out
