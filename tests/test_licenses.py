"""reportnlp is Apache-2.0: no run-time dependency, direct or transitive, may be GPL/AGPL."""
from __future__ import annotations

import importlib.metadata as md
import re

COPYLEFT = re.compile(r"\b(A?GPL|General Public License)\b", re.I)
LESSER = re.compile(r"LGPL|Lesser General Public", re.I)


def runtime_closure(name: str = "reportnlp") -> set[str]:
    seen: set[str] = set()
    todo = [name]
    while todo:
        n = todo.pop()
        key = n.lower().replace("_", "-").replace(".", "-")
        if key in seen:
            continue
        seen.add(key)
        try:
            reqs = md.requires(n) or []
        except md.PackageNotFoundError:
            continue
        for r in reqs:
            if "extra ==" in r:
                continue
            todo.append(re.split(r"[\s;<>=!~\[(]", r, maxsplit=1)[0])
    return seen


def test_no_copyleft_runtime_dependency():
    closure = runtime_closure()
    assert {"spacy", "pdfminer-six", "scikit-learn", "opencc"} <= closure
    bad = []
    for name in sorted(closure - {"reportnlp"}):
        try:
            m = md.metadata(name)
        except md.PackageNotFoundError:
            continue
        text = " ".join([m.get("License-Expression") or "", (m.get("License") or "")[:200]]
                        + [c for c in (m.get_all("Classifier") or []) if c.startswith("License")])
        if COPYLEFT.search(text) and not LESSER.search(text):
            bad.append(f"{name}: {text[:80]}")
    assert not bad, bad
