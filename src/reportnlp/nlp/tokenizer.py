"""The one jieba tokenizer of the project, with the domain dictionary.

spaCy's zh pipeline and the theme classifier both segment through `tokenize`,
so they see identical tokens. We own a `jieba.Tokenizer` instead of using the
module-level default: the default writes its cache to the temp directory and
logs at first use.
"""
from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

USER_DICT = Path(__file__).resolve().parent.parent / "data" / "userdict.txt"
_lock = threading.Lock()


def _cache_dir() -> Path:
    base = os.environ.get("REPORTNLP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "reportnlp")
    return Path(base)


@lru_cache(maxsize=1)
def get_tokenizer():
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()  # jieba's bundled dictionary
    try:
        d = _cache_dir()
        d.mkdir(parents=True, exist_ok=True)
        tk.tmp_dir = str(d)
        # spaCy's zh tokenizer warms up jieba's module-level default tokenizer: keep its cache with ours
        jieba.dt.tmp_dir = str(d)
    except OSError:
        pass  # read-only home: jieba falls back to the temp dir
    with _lock:
        tk.initialize()
        if USER_DICT.exists():
            tk.load_userdict(str(USER_DICT))
    return tk


def tokenize(text: str) -> list[str]:
    """Precise-mode jieba tokens, whitespace tokens dropped. Module-level so models can be saved."""
    return [t for t in get_tokenizer().lcut(text, HMM=True) if t.strip()]


def user_dictionary_version() -> str:
    import hashlib

    data = USER_DICT.read_bytes() if USER_DICT.exists() else b""
    return hashlib.sha256(data).hexdigest()[:12]
