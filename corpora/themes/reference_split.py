"""The splitting rules of README.md ("Splitting") as a small executable reference.

It exists so that tests/data/split_cases.jsonl is checked to be consistent with the written
rules (tests/test_themes_corpus.py runs it over every case). It is not the product splitter
(that is reportnlp.themes.split); it has no spans, no offsets and no model.

    split_section(body: str) -> list[{"kind", "text"}]
"""
from __future__ import annotations

import re

CN = "一二三四五六七八九十"
# Item ordinals; each must stand at the start of a paragraph or after a boundary character.
ORDINAL = re.compile(
    r"^\d{1,2}[.．、]"                            # at paragraph start even before a digit: 1.2024年…
    r"|(?:^|(?<=[。；;，,：:.．!?！？\s]))"
    rf"(?:[{CN}]{{1,3}}是"                      # 一是 … 十二是
    rf"|[（(][{CN}]{{1,3}}[）)]"               # （一） (一)
    r"|[（(]\d{1,2}[）)]"                       # （1） (1)
    r"|\d{1,2}[.．、](?!\d)"                    # 1. 1． 1、
    r"|[①②③④⑤⑥⑦⑧⑨⑩]"
    r"|(?:首先|其次|再次|最后)[，,]?)"
)
PAREN_ORD = rf"(?:[（(][{CN}\d]{{1,3}}[）)]|\d{{1,2}}[.．、])?"
IMPROVE_LABEL = (r"改进情况|改进措施|改进的措施|改进方向|整改措施|整改情况|解决办法|"
                 r"下一步工作(?:计划|打算)?|下一步打算|下一步计划|工作打算")
PROBLEM_LABEL = r"存在的?主要问题|存在的?问题|主要问题|存在的不足|不足之处"
LABEL_WORD = re.compile(rf"{IMPROVE_LABEL}|{PROBLEM_LABEL}")
# A heading: optional ordinal, a short label text with no sentence punctuation, then ：/: or end.
HEADING = re.compile(rf"^\s*{PAREN_ORD}\s*([^。，,；;：:]{{0,20}}?)\s*(?:[：:]|$)")
# An inline heading further into a paragraph ("…空白。（二）改进方向：…") starts a new segment.
INLINE_HEADING = re.compile(
    rf"(?<=[。.；;])\s*(?={PAREN_ORD}[^。，,；;：:]{{0,12}}(?:{IMPROVE_LABEL}|{PROBLEM_LABEL})[^。，,；;：:]{{0,8}}[：:])")
NOTHING = re.compile(r"^(?:本年度|今年|本年)?(?:暂)?无(?:此项内容|相关情况|相关内容)?[。.]?$")
TRAILING = "。；;，,.．、 \t"

FUTURE = ("下一步", "将", "今后", "计划", "针对上", "整改", "拟")
PROBLEM_CUES = ("存在", "不够", "不足", "有待", "不高", "不强", "偏少", "较少", "滞后", "不及时",
                "未能", "尚未", "缺乏", "缺少", "薄弱", "单一", "陈旧", "差距", "不规范",
                "不完善", "不全面", "欠缺", "不畅", "不到位", "较弱", "未")
IMPROVE_VERBS = ("进一步", "加强", "加大", "完善", "健全", "建立", "严格", "推进", "推动", "提高",
                 "提升", "落实", "规范", "丰富", "拓宽", "拓展", "组织", "明确", "实行", "开展",
                 "确保", "统一", "强化", "优化", "深化", "完成", "配齐", "积极", "持续")

try:  # cue and label matching is done on a simplified copy; texts are returned untouched
    import opencc

    _t2s = opencc.OpenCC("t2s").convert
except ImportError:  # pragma: no cover
    def _t2s(s: str) -> str:
        return s


def cue_kind(text: str) -> str | None:
    """problem / improvement from cue words; None when nothing decides."""
    s = _t2s(text)
    if any(c in s for c in FUTURE):
        return "improvement"
    if any(c in s for c in PROBLEM_CUES):
        return "problem"
    if any(c in s for c in IMPROVE_VERBS):
        return "improvement"
    return None


def _heading(segment: str) -> tuple[str | None, str]:
    """(kind, rest) if the segment starts with a kind heading, else (None, segment)."""
    m = HEADING.match(_t2s(segment))
    if m and LABEL_WORD.search(m.group(1)):
        label = m.group(1)
        kind = "improvement" if re.search(IMPROVE_LABEL, label) else "problem"
        return kind, segment[m.end():]
    return None, segment


def split_section(body: str) -> list[dict]:
    out: list[dict] = []
    kind: str | None = None
    for para in body.splitlines():
        for segment in INLINE_HEADING.split(para.strip()):
            labelled, rest = _heading(segment)
            if labelled:
                kind = labelled
            rest = rest.strip()
            if not rest or NOTHING.match(rest):
                continue
            ords = list(ORDINAL.finditer(rest))
            if not ords:
                # no ordinals: every sentence is an item; after a label, so is every ；-clause
                pieces = re.split(r"(?<=[。])" if not labelled else r"(?<=[。；;])", rest)
                for piece in pieces:
                    text = piece.strip().rstrip(TRAILING)
                    if not text:
                        continue
                    if text.endswith(("：", ":")):  # a lead-in ("…存在以下不足：")
                        kind = cue_kind(text) or kind
                        continue
                    k = kind if labelled or kind else cue_kind(text)
                    out.append({"kind": k or "problem", "text": text})
                continue
            lead = rest[: ords[0].start()].strip()
            if lead and not labelled:
                kind = cue_kind(lead) or kind
            prev = kind
            for i, m in enumerate(ords):
                end = ords[i + 1].start() if i + 1 < len(ords) else len(rest)
                text = rest[m.end():end].strip().rstrip(TRAILING)
                if not text:
                    continue
                k = kind or cue_kind(text) or prev or "problem"
                out.append({"kind": k, "text": text})
                prev = k
    return out
