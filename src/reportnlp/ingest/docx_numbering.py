"""Automatic paragraph numbering in DOCX ("一、", "（二）", "3." typed by Word/WPS, not in the text).

Headings and sub-items of many reports are numbered by the word processor: the
paragraph's text lacks "一、", which the section recogniser needs. This module
replays the counters: numbering.xml gives each (numId, level) a start value, a
format (decimal, chineseCounting…) and a pattern ("%1、", "（%2）"); a paragraph
takes its numId/level from its own w:numPr or from its style's.
"""
from __future__ import annotations

from typing import Optional

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_count(n: int) -> str:
    """1..99 as 一..九十九 (what Word's chineseCounting writes)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN[ones]
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += s
            n -= v
    return out


def format_number(n: int, fmt: str) -> Optional[str]:
    if fmt in ("decimal", "decimalZero", "decimalFullWidth", "decimalHalfWidth"):
        return str(n)
    if fmt.startswith("chineseCounting") or fmt in ("japaneseCounting", "taiwaneseCounting",
                                                   "ideographDigital", "chineseLegalSimplified"):
        return chinese_count(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return None  # bullet, none: no text


class Numbering:
    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.style_num: dict[str, tuple[Optional[str], int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            numbering = None
        if numbering is not None:
            abstract = {}
            for an in numbering.findall(W + "abstractNum"):
                abstract[an.get(W + "abstractNumId")] = self._levels(an)
            for num in numbering.findall(W + "num"):
                ref = num.find(W + "abstractNumId")
                lv = dict(abstract.get(ref.get(W + "val") if ref is not None else None, {}))
                for ov in num.findall(W + "lvlOverride"):
                    ilvl = int(ov.get(W + "ilvl", "0"))
                    lvl = ov.find(W + "lvl")
                    if lvl is not None:
                        lv.update(self._levels_from([lvl]))
                    so = ov.find(W + "startOverride")
                    if so is not None and ilvl in lv:
                        start, fmt, text = lv[ilvl]
                        lv[ilvl] = (int(so.get(W + "val", start)), fmt, text)
                self.levels[num.get(W + "numId")] = lv
        try:
            styles = document.styles.element
        except AttributeError:
            styles = None
        if styles is not None:
            by_id = {st.get(W + "styleId"): st for st in styles.findall(W + "style")}
            for sid in by_id:
                self.style_num[sid] = self._style_num(sid, by_id, 0)

    def _levels(self, an) -> dict[int, tuple[int, str, str]]:
        return self._levels_from(an.findall(W + "lvl"))

    @staticmethod
    def _levels_from(lvls) -> dict[int, tuple[int, str, str]]:
        out = {}
        for lvl in lvls:
            def val(tag, default=""):
                el = lvl.find(W + tag)
                return el.get(W + "val", default) if el is not None else default
            out[int(lvl.get(W + "ilvl", "0"))] = (int(val("start", "1") or 1), val("numFmt", "decimal"),
                                                  val("lvlText", ""))
        return out

    def _style_num(self, sid, by_id, depth) -> tuple[Optional[str], int]:
        st = by_id.get(sid)
        if st is None or depth > 10:
            return None, 0
        np_ = st.find(f"{W}pPr/{W}numPr")
        if np_ is not None:
            num = np_.find(W + "numId")
            ilvl = np_.find(W + "ilvl")
            return (num.get(W + "val") if num is not None else None,
                    int(ilvl.get(W + "val", "0")) if ilvl is not None else 0)
        based = st.find(W + "basedOn")
        return self._style_num(based.get(W + "val"), by_id, depth + 1) if based is not None else (None, 0)

    def label(self, p) -> str:
        """The number Word shows before paragraph `p` (advancing the counters), or ""."""
        num_id, ilvl = None, 0
        ppr = p.find(W + "pPr")
        style = ppr.find(W + "pStyle") if ppr is not None else None
        if style is not None:
            num_id, ilvl = self.style_num.get(style.get(W + "val"), (None, 0))
        np_ = ppr.find(W + "numPr") if ppr is not None else None
        if np_ is not None:
            n = np_.find(W + "numId")
            lv = np_.find(W + "ilvl")
            if n is not None:
                num_id = n.get(W + "val")
            if lv is not None:
                ilvl = int(lv.get(W + "val", "0"))
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        text = levels[ilvl][2]
        for k in range(9):
            if f"%{k + 1}" in text:
                start, fmt, _ = levels.get(k, (1, "decimal", ""))
                v = format_number(counts.get(k, start), fmt)
                if v is None:
                    return ""
                text = text.replace(f"%{k + 1}", v)
        if levels[ilvl][1] == "bullet":
            return ""
        return text
