"""Plain-text reports in any common encoding, detected rather than assumed."""
from __future__ import annotations

import codecs
import re

from ..errors import ReportError
from ..model import Block, Document
from ..util import sha256_bytes

# Characters that fill any annual report, in both scripts. An encoding guess is
# scored by how many of them the decoded text contains: wrong guesses decode to
# plausible-looking but unrelated CJK characters (mojibake) and score near zero.
COMMON = set("政府信息公开年度报告工作情况申请本的和及依法行规文件机关主动处理结果总计"
             "政府資訊公開報告處理機關動請況計")
# Above this share of control characters, the bytes are not text.
MAX_CONTROL_SHARE = 0.02


def _score(text: str) -> float:
    if not text:
        return 0.0
    hits = sum(1 for ch in text if ch in COMMON)
    bad = sum(1 for ch in text if ch == "\ufffd" or ("\ue000" <= ch <= "\uf8ff"))
    return (hits - 5 * bad) / max(len(text), 1)


def decode(data: bytes, path: str = "") -> tuple[str, str]:
    """-> (text, encoding). BOMs win; otherwise the best-scoring strict decoding."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                break
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    if data[:200].count(b"\x00") > 20:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                t = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _score(t) > 0.01:
                return t, enc
    try:
        t = data.decode("utf-8")
        return t, "utf-8"
    except UnicodeDecodeError:
        pass
    best = None
    for enc in ("gb18030", "big5"):
        try:
            t = data.decode(enc)
        except UnicodeDecodeError:
            continue
        s = _score(t)
        if best is None or s > best[0]:
            best = (s, t, enc)
    if best and best[0] > 0.005:
        return best[1], best[2]
    try:
        from charset_normalizer import from_bytes

        m = from_bytes(data).best()
        if m is not None and m.encoding:
            return str(m), m.encoding
    except Exception:
        pass
    if best:
        return best[1], best[2]
    raise ReportError("E004", path, "not UTF-8, GB18030, Big5 or UTF-16")


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def check_text(text: str, path: str) -> None:
    if not text.strip():
        raise ReportError("E002", path, "no text")
    if len(_CONTROL.findall(text[:20000])) / max(len(text[:20000]), 1) > MAX_CONTROL_SHARE:
        raise ReportError("E005", path)


def read_txt(path: str, data: bytes) -> Document:
    if b"\x00" in data[:4096] and data[:200].count(b"\x00") <= 20 and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReportError("E005", path)
    text, enc = decode(data, path)
    check_text(text, path)
    return Document(path=path, format="txt", sha256=sha256_bytes(data),
                    blocks=[Block(kind="text", text=text)], encoding=enc)
