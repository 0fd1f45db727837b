"""Compare theme-classifier families by cross-validation on the training part.

    .venv/bin/python scripts/compare_themes.py [--write]

Every family gets the same small C grid and the same grouped, stratified folds
(a reworded variant stays with its original); the table shows each family at
its best C: macro-F1 (mean ± sd over folds), log-loss of the probabilities
(lower = better calibrated scores) and fit time. The fixed test split is never
touched. --write puts the table into docs/themes.md between the
compare markers. train.py keeps the family that wins here (train.FAMILY).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reportnlp.themes import train as T  # noqa: E402
from reportnlp.themes.model import ThemeClassifier  # noqa: E402

# (name, ThemeClassifier parameters, C values tried). LogisticRegression is slow
# to converge here and always preferred the large C, so it gets the upper range.
SVC_C = (0.3, 1.0, 3.0, 10.0)
FAMILIES = [
    ("LinearSVC + sigmoid calibration, words+chars, kind token", dict(model="svc"), SVC_C),
    ("LogisticRegression (own probabilities), words+chars", dict(model="logreg", calibrate=False), (3.0, 10.0, 30.0)),
    ("LogisticRegression + sigmoid calibration, words+chars", dict(model="logreg", calibrate=True), (10.0, 30.0)),
    ("LinearSVC + calibration, chars only", dict(model="svc", features="chars"), SVC_C),
    ("LinearSVC + calibration, jieba words only", dict(model="svc", features="words"), SVC_C),
    ("LinearSVC + calibration, words+chars, no kind token", dict(model="svc", use_kind=False), SVC_C),
    ("LinearSVC + calibration, word unigrams+chars", dict(model="svc", word_ngram=(1, 1)), SVC_C),
    ("LinearSVC + calibration, words (weight 0.5)+chars", dict(model="svc", word_weight=0.5), SVC_C),
    ("LinearSVC + calibration, words (weight 0.5)+chars, min_df 2", dict(model="svc", word_weight=0.5, min_df=2),
     SVC_C),
]
BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"
RESULTS = ("<!-- results:begin -->", "<!-- results:end -->")


def run(folds: int = T.CV_FOLDS, only: str = "") -> tuple[list[dict], int]:
    from sklearn.metrics import f1_score, log_loss

    train, _ = T.load_split()
    X, y = T.xy(train)
    g = T.groups(train)
    y = np.asarray(y)
    splits = list(T.cv_splitter(folds).split(X, y, g))
    labels = sorted(set(y))
    rows = []
    for name, fam, c_grid in FAMILIES:
        if only and only not in name:
            continue
        best = None
        for C in c_grid:
            f1s, losses, t0 = [], [], time.perf_counter()
            for tr, te in splits:
                clf = ThemeClassifier(C=C, **fam).fit([X[i] for i in tr], y[tr])
                proba = clf.predict_proba([X[i] for i in te])
                pred = clf.classes_[proba.argmax(1)]
                f1s.append(f1_score(y[te], pred, average="macro", labels=labels, zero_division=0))
                full = np.zeros((len(te), len(labels)))
                for j, c in enumerate(clf.classes_):
                    full[:, labels.index(c)] = proba[:, j]
                full = np.clip(full, 1e-6, 1)
                losses.append(log_loss(y[te], full / full.sum(1, keepdims=True), labels=labels))
            row = {"family": name, "C": C, "f1": float(np.mean(f1s)), "sd": float(np.std(f1s)),
                   "log_loss": float(np.mean(losses)), "seconds": (time.perf_counter() - t0) / len(splits)}
            if best is None or row["f1"] > best["f1"]:
                best = row
        rows.append(best)
        print(f"{best['f1']:.3f} ± {best['sd']:.3f}  log-loss {best['log_loss']:.3f}  C={best['C']:<4}  {name}",
              flush=True)
    return rows, len(train)


def table(rows: list[dict], n: int, folds: int) -> str:
    lines = [f"Cross-validation on the training part ({n} statements, {folds} grouped stratified folds; "
             f"each family at its best C of {list(SVC_C)} (LinearSVC) or the listed range (LogisticRegression); "
             "the test split untouched). log-loss measures the probabilities that become `score`.", "",
             "| family | macro-F1 | ± sd | log-loss | best C | s/fold (shared machine) |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['family']} | {r['f1']:.3f} | {r['sd']:.3f} | {r['log_loss']:.3f} | {r['C']} | "
                     f"{r['seconds']:.1f} |")
    return "\n".join(lines)


def write(doc: Path, body: str, markers: tuple[str, str] = (BEGIN, END)) -> None:
    begin, end = markers
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    block = f"{begin}\n{body}\n{end}"
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


def results_table(meta_path: Path = ROOT / "models" / "themes" / "meta.json") -> str:
    """The shipped model's numbers (from its meta.json) as markdown."""
    import json

    m = json.loads(meta_path.read_text(encoding="utf-8"))
    t, cv = m["test"], m["cv"]
    lines = [f"Trained on {m['training_data']['n']} statements (sha256 `{m['training_data']['sha256'][:12]}`), "
             f"parameters chosen by {cv['folds']}-fold grouped CV: `{cv['params']}` (CV macro-F1 "
             f"{cv['cv_macro_f1']}). On the fixed test split ({t['n']} statements): **macro-F1 {t['macro_f1']:.3f}**, "
             f"accuracy {t['accuracy']:.3f}. Confusion matrix: `docs/themes-confusion.png`.", "",
             "| theme | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for theme in t["labels"]:
        d = t["per_theme"][theme]
        lines.append(f"| {theme} | {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} | {d['support']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="update docs/themes.md")
    ap.add_argument("--folds", type=int, default=T.CV_FOLDS)
    ap.add_argument("--only", default="", help="run the families whose name contains this")
    ap.add_argument("--results", action="store_true",
                    help="only write the shipped model's numbers (models/themes/meta.json) into docs/themes.md")
    a = ap.parse_args(argv)
    if a.results:
        write(ROOT / "docs" / "themes.md", results_table(), RESULTS)
        print(results_table())
        return 0
    rows, n = run(a.folds, a.only)
    out = table(rows, n, a.folds)
    print()
    print(out)
    if a.write:
        write(ROOT / "docs" / "themes.md", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
