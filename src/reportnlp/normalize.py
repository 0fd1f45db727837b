"""Text normalisation with an offset map back to the source (template.md §9.0).

Input: a `Document` from ingest. Output: `Normalized`, whose `text` becomes
`Report.text`. Every character of `text` remembers the source offset it came
from, so evidence can always be traced back to what the file said.

Order of steps matters (see template.md §9.0): strip injected pinyin, convert
traditional to simplified, fold full-width and compatibility forms, tidy
whitespace (spaced-out table rows become TAB-separated first), drop page
artefacts, re-join hard-wrapped lines, convert Chinese numerals that count.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

from .model import Document

# A text is "traditional" when t2s changes at least this share of its CJK
# characters; simplified text loses well under 1% to t2s's few ambiguous chars.
TRADITIONAL_SHARE = 0.04
# Lines at least this long without end punctuation are hard-wrapped prose.
WRAP_MIN_LEN = 18

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
# Chinese sentence punctuation stays full-width; everything else in the
# full-width ASCII block (digits, letters, brackets, %, /…) folds to ASCII.
KEEP_FULLWIDTH = set("，；：！？")


@dataclass
class Normalized:
    text: str
    source: str  # the text ingest produced, before normalisation
    offsets: list[int]  # offsets[i] = index in `source` of text[i]
    page_starts: Optional[list[int]] = None
    script: str = "simplified"
    warnings: list[str] = field(default_factory=list)

    def to_source(self, i: int) -> int:
        if not self.offsets:
            return 0
        return self.offsets[min(max(i, 0), len(self.offsets) - 1)]


class _Buf:
    """Characters with the source index each came from; edits keep the map."""

    def __init__(self, s: str):
        self.s = s
        self.idx = list(range(len(s)))

    def sub(self, pattern: re.Pattern, repl: Callable[[re.Match], str] | str) -> None:
        out, oidx, pos = [], [], 0
        for m in pattern.finditer(self.s):
            r = repl(m) if callable(repl) else m.expand(repl)
            if r == m.group(0):
                continue
            out.append(self.s[pos:m.start()])
            oidx.extend(self.idx[pos:m.start()])
            out.append(r)
            oidx.extend(_align(m.group(0), r, self.idx[m.start():m.end()], self._anchor(m.start())))
            pos = m.end()
        if pos == 0 and not out:
            return
        out.append(self.s[pos:])
        oidx.extend(self.idx[pos:])
        self.s, self.idx = "".join(out), oidx

    def _anchor(self, i: int) -> int:
        if i < len(self.idx):
            return self.idx[i]
        return self.idx[-1] if self.idx else 0

    def map_chars(self, fn: Callable[[str], str]) -> None:
        out, oidx = [], []
        for ch, i in zip(self.s, self.idx):
            r = fn(ch)
            out.append(r)
            oidx.extend([i] * len(r))
        self.s, self.idx = "".join(out), oidx

    def replace_aligned(self, new: str) -> None:
        """Swap in a same-meaning rewrite of the whole string (OpenCC), keeping the map."""
        if len(new) == len(self.s):
            self.s = new
            return
        self.idx = _align(self.s, new, self.idx, self._anchor(0))
        self.s = new


def _align(old: str, new: str, idx: list[int], anchor: int) -> list[int]:
    """Source indices for `new`, a rewrite of `old` whose characters came from `idx`.

    Characters kept from `old` keep their index; inserted ones take the index of
    the old character they replace (or follow), so the map never runs backwards.
    """
    if len(new) == len(old):
        return list(idx)
    if not old:
        return [anchor] * len(new)
    import difflib

    out: list[int] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.extend(idx[i1:i2])
        elif j2 > j1:
            a = idx[i1] if i1 < len(idx) else (idx[-1] if idx else anchor)
            out.extend([a] * (j2 - j1))
    return out


# --- the steps ---------------------------------------------------------------

_CTRL = re.compile(r"\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff\u00ad]")
_PINYIN = re.compile(r"\((?:[a-zü]|[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]){1,7}\)")


def _control(b: _Buf) -> None:
    b.sub(_CTRL, lambda m: "\n" if m.group(0) in ("\r", "\r\n", "\u2028", "\u2029") else "")


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


# Taiwan-vocabulary conversions that t2s leaves wrong (template.md M7).
_TW_FIXUPS = [("规范性档案", "规范性文件"), ("公开档案", "公开文件"), ("其他档案", "其他文件")]


def _to_simplified(b: _Buf) -> str:
    cjk = len(_CJK_RE.findall(b.s))
    if not cjk:
        return "simplified"
    conv = _opencc().convert(b.s)
    if len(conv) == len(b.s):
        changed = sum(1 for x, y in zip(b.s, conv) if x != y)
    else:
        changed = cjk  # length changed: clearly a conversion happened
    script = "traditional" if changed / cjk >= TRADITIONAL_SHARE else "simplified"
    if changed:
        b.replace_aligned(conv)
    for a, c in _TW_FIXUPS:
        if a in b.s:
            b.sub(re.compile(a), c)
    return script


def _fold_char(ch: str) -> str:
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return ch if ch in KEEP_FULLWIDTH else chr(o - 0xFEE0)
    if ch in ("\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f"):
        return " "
    if 0x2E80 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF:
        # Kangxi radicals / compatibility ideographs from broken ToUnicode maps
        return unicodedata.normalize("NFKC", ch)
    if ch in "【〖":
        return "["
    if ch in "】〗":
        return "]"
    if ch == "．":
        return "."
    return ch


_NUM_TOKEN = r"(?:[+-]?\d+(?:,\d{3})*(?:\.\d+)?%?|/|-|—|–|无)"
_SPACED_ROW = re.compile(rf"^(?P<label>.*?)(?P<cells>(?:[ ]+{_NUM_TOKEN}){{2,}})[ ]*$")
# one value after a short CJK label with no digits of its own: "行政许可 0"
_SPACED_ROW1 = re.compile(rf"^(?P<label>[^\d\s]*[{CJK}][^\d]{{0,28}}?)(?P<cells>[ ]+{_NUM_TOKEN})[ ]*$")


_FUSED = re.compile(rf"^(?P<label>.*[{CJK})）])(?P<cells>(?:[ ]+{_NUM_TOKEN})+)[ ]*$")


def _split_fused(cell: str) -> str:
    m = _FUSED.match(cell)
    if not m:
        return cell
    return "\t".join([m.group("label").strip()] + m.group("cells").split())


def _spaced_rows_to_tabs(b: _Buf) -> None:
    """'规章 0 0 0' and '行政许可 | 0 | |' are table rows: make their cells TAB-separated."""

    def fix(m: re.Match) -> str:
        line = m.group(0)
        if "\t" in line:
            # a label cell that swallowed its first numbers ("2.重复申请 0"): split them off
            return "\t".join(_split_fused(c) for c in line.split("\t"))
        if line.count("|") >= 2:
            return re.sub(r"[ ]*\|[ ]*", "\t", line.strip().strip("|"))
        mm = _SPACED_ROW.match(line)
        if mm is None and "，" not in line:
            mm = _SPACED_ROW1.match(line)
        if not mm or "。" in line:
            return line
        label = mm.group("label").strip()
        cells = mm.group("cells").split()
        return "\t".join(([label] if label else []) + cells)

    b.sub(re.compile(r"[^\n]+"), fix)


_SPACE_CJK = re.compile(
    rf"(?<=[{CJK}\d%）)\]、，。；：“”\"])[ ]+(?=[{CJK}“”（(\[、，。；：])"
    rf"|(?<=[{CJK}（(、，。；：“”])[ ]+(?=[\d{CJK}])"
)


def _whitespace(b: _Buf) -> None:
    b.sub(_SPACE_CJK, "")
    b.sub(re.compile(r"[ ]{2,}"), " ")
    b.sub(re.compile(r"[ ]*\t[ ]*"), "\t")
    b.sub(re.compile(r"(?m)^[ ]+|[ ]+$"), "")


_PAGE_ARTEFACT = re.compile(
    r"(?m)^(?:[-—–_－~]+\s*\d{1,4}\s*[-—–_－~]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|(?:Page|P\.)\s*\d{1,4}(?:\s*-.*)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r")[ \t]*\n"
)


def _page_artefacts(b: _Buf) -> None:
    b.sub(_PAGE_ARTEFACT, "")


_HEADINGISH = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十]|存在|改进|下一步)"
)
_END_PUNCT = tuple("。；：！？:;!?）)\"”")


def _rejoin(b: _Buf) -> None:
    """Join hard-wrapped prose lines (a PDF's line breaks inside a sentence)."""

    def join(m: re.Match) -> str:
        first, second = m.group(1), m.group(2)
        if (
            len(first) < WRAP_MIN_LEN
            or "\t" in first
            or "\t" in second
            or first.endswith(_END_PUNCT)
            or first.endswith("报告")  # a title
            or _HEADINGISH.match(second)
            or _HEADINGISH.match(first) and len(first) < 40
            or not _CJK_RE.search(first[-1:] + second[:1])
        ):
            return m.group(0)
        return first + second

    pat = re.compile(r"([^\n]+)\n([^\n]+)")
    # run twice: a paragraph wrapped over three lines needs two joins
    for _ in range(3):
        before = b.s
        b.sub(pat, join)
        if b.s == before:
            break


_CN_DIGITS = "零〇○一二两三四五六七八九十百千万"
_CN_COUNT = re.compile(
    rf"(?<![{_CN_DIGITS}第])([{_CN_DIGITS}]{{1,8}})(?=(?:余|多)?[件条篇次个场期项份家名人则批])"
)
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_YEAR_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}


def _cn_numerals(b: _Buf) -> None:
    b.sub(_CN_YEAR, lambda m: "".join(_YEAR_DIGITS[c] for c in m.group(0)))

    def conv(m: re.Match) -> str:
        s = m.group(1)
        # A lone 一 is rarely a count ("一件事一次办", "进一步"): leave it.
        if s in ("一", "万", "千", "百") or s.startswith(("万", "千", "百")):
            return s
        try:
            import cn2an

            v = cn2an.cn2an(s.replace("○", "零").replace("〇", "零"), "smart")
        except Exception:
            return s
        return str(int(v)) if float(v).is_integer() else str(v)

    b.sub(_CN_COUNT, conv)


# --- entry point ----------------------------------------------------------------


def render_source(doc: Document) -> tuple[str, list[int], list[Optional[int]]]:
    """Lay the document's blocks out as one string: paragraphs as lines, table rows as TAB-separated cells.

    Returns the string, the start offset of each block and its page.
    """
    parts: list[str] = []
    starts: list[int] = []
    pages: list[Optional[int]] = []
    pos = 0
    for blk in doc.blocks:
        starts.append(pos)
        pages.append(blk.page)
        if blk.kind == "table":
            lines = []
            for r, row in enumerate(blk.grid):
                cells = []
                for c, cell in enumerate(row):
                    own = blk.origin[r][c] if blk.origin and r < len(blk.origin) and c < len(blk.origin[r]) else True
                    cells.append(" ".join(cell.split()) if own else "")
                lines.append("\t".join(cells))
            chunk = "\n".join(lines) + "\n"
        else:
            # a blank line after every paragraph block: a block boundary is a real paragraph
            # break, and re-joining hard-wrapped lines must never cross it
            chunk = blk.text.rstrip("\n") + ("\n\n" if len(doc.blocks) > 1 else "\n")
        parts.append(chunk)
        pos += len(chunk)
    return "".join(parts), starts, pages


def normalize_text(source: str) -> tuple[str, list[int], str]:
    b = _Buf(source)
    _control(b)
    b.sub(_PINYIN, "")
    script = _to_simplified(b)
    b.map_chars(_fold_char)
    _spaced_rows_to_tabs(b)
    _whitespace(b)
    _page_artefacts(b)
    _rejoin(b)
    _cn_numerals(b)
    b.sub(re.compile(r"\n{3,}"), "\n\n")
    # leading blank lines carry no information
    b.sub(re.compile(r"^\n+"), "")
    return b.s, b.idx, script


def normalize(doc: Document) -> Normalized:
    source, starts, pages = render_source(doc)
    text, offsets, script = normalize_text(source)
    page_starts = None
    if doc.format == "pdf" and any(p is not None for p in pages):
        page_starts = _page_starts(offsets, starts, pages, doc.pages or 0)
    return Normalized(text=text, source=source, offsets=offsets, page_starts=page_starts, script=script)


def _page_starts(offsets: list[int], starts: list[int], pages: list[Optional[int]], n_pages: int) -> list[int]:
    import bisect

    first_src: dict[int, int] = {}
    for s, p in zip(starts, pages):
        if p is not None and p not in first_src:
            first_src[p] = s
    n = max([n_pages] + list(first_src))
    out, last = [], 0
    for p in range(1, n + 1):
        if p in first_src:
            last = bisect.bisect_left(offsets, first_src[p])
        out.append(last)
    return out
