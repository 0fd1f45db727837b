"""Length-preserving fold of a line for matching: full-width -> half-width, traditional -> simplified.

The pipeline's text is already normalised; this makes the narrative stage give the
same answer on text that is not (the annotated corpus keeps some traditional and
full-width sentences on purpose). Every character maps to exactly one character,
so offsets into the folded line are offsets into the original.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # OpenCC missing or without its data: fold widths only
        return None


def _fold_char(ch: str) -> str:
    # digits, letters, brackets, % and . fold to ASCII; Chinese punctuation (，。；：、) stays
    # full-width, as in the pipeline's text
    if ch.isascii():
        return ch
    n = unicodedata.normalize("NFKC", ch)
    if len(n) == 1 and (n.isascii() and (n.isalnum() or n in "()%.")):
        return n
    if len(n) == 1 and "\u4e00" <= n <= "\u9fff" and not ("\u4e00" <= ch <= "\u9fff"):
        return n  # Kangxi radicals and compatibility ideographs
    return ch


def fold(text: str) -> str:
    folded = "".join(_fold_char(c) for c in text)
    if not any("\u4e00" <= c <= "\u9fff" for c in folded):
        return folded
    cc = _t2s()
    if cc is None:
        return folded
    s = cc.convert(folded)
    if len(s) == len(folded):
        return s
    # a phrase conversion changed the length: convert character by character
    return "".join(c2 if len(c2 := cc.convert(c)) == 1 else c for c in folded)
