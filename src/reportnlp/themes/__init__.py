"""Section 五 statements and their themes (issue 5).

    extract_statements(text, sections) -> list[Statement]

Reads the `problems_improvements` section, splits it into statements
(`split.py`, rules only) and gives each a theme and the classifier's
probability of that theme (`model.py`, loaded once per process from
models/themes/model.skops). scikit-learn and skops are imported on first use,
so `import reportnlp.themes` stays light.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Optional

from .split import split_statements

__all__ = ["extract_statements", "split_statements", "classify", "get_model"]

SECTION_KEY = "problems_improvements"
MODEL_ENV = "REPORTNLP_THEMES_MODEL"  # a model folder to use instead of models/themes

MAX_TITLE_LEN = 40  # a longer first line is content, not the section's title
_lock = threading.Lock()
_cache: dict[str, Any] = {}


def get_model(model_dir: Optional[str | Path] = None) -> Any:
    """The classifier, loaded once per process and folder. Raises ReportError (E030) if missing."""
    from .train import default_model_dir, load

    d = str(Path(model_dir or os.environ.get(MODEL_ENV) or default_model_dir()).resolve())
    with _lock:
        if d not in _cache:
            _cache[d] = load(Path(d))
        return _cache[d]


def classify(items: list[tuple[str, str]], model_dir: Optional[str | Path] = None) -> list[tuple[str, float]]:
    """[(kind, text)] -> [(theme, probability)]."""
    if not items:
        return []
    return get_model(model_dir).predict_with_score(items)


def _section_body(text: str, sec) -> tuple[int, int]:
    s, e = sec.span
    s, e = max(0, s), min(len(text), e)
    # the section's text starts with its heading line: skip it
    # (a first line that goes on into the content is left to the splitter,
    # which reads "五、存在的主要问题及改进情况：" as a heading that sets no kind)
    nl = text.find("\n", s, e)
    first = text[s:nl if nl >= 0 else e]
    if len(first.strip()) <= MAX_TITLE_LEN and "。" not in first and "；" not in first:
        s = nl + 1 if nl >= 0 else e
    return s, e


def extract_statements(text: str, sections: list) -> list:
    """Statements of section 五 with kind, theme, score and spans indexing `text`."""
    from ..errors import ReportError
    from ..model import Statement

    out = []
    for sec in sections:
        if getattr(sec, "key", None) != SECTION_KEY:
            continue
        s, e = _section_body(text, sec)
        parts = split_statements(text[s:e], base=s)
        if not parts:
            continue
        try:
            labels = classify([(k, t) for k, t, _ in parts])
        except ReportError:  # no usable model: statements still carry kind and evidence
            labels = [("other", 0.0)] * len(parts)
        for (kind, body, span), (theme, score) in zip(parts, labels):
            out.append(Statement(kind=kind, text=body, theme=theme, score=round(score, 4), span=span))
    return out
