"""Train, save, load and evaluate the theme classifier.

    reportnlp train themes [JSONL...] [--model-dir models/themes]
    reportnlp evaluate themes [JSONL...] [--model-dir models/themes] [--png docs/themes-confusion.png]

Training data are JSONL lines {"text", "kind", "theme"} (the corpus adds "id"
and "source"; the review page's export adds "report" and "source": "review").
A review correction overrides any other line with the identical text. The
statements of the fixed test split (corpora/themes/split.json) never enter
training. The model is saved with skops (never pickle) and loaded back with
an explicit list of trusted types.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Optional

from ..model import THEMES

ROOT = Path(__file__).resolve().parents[3]  # the checkout (editable install)
MODEL_FILE, META_FILE = "model.skops", "meta.json"
CV_FOLDS = 5  # folds of the hyperparameter search
# The small grid searched at every training (model family fixed by scripts/compare_themes.py)
FAMILY = {"model": "svc"}
GRID = {"C": [1.0, 3.0, 10.0], "word_weight": [0.5, 1.0], "min_df": [1, 2]}
# Types inside model.skops that are ours or plain library types skops does not trust by default.
TRUSTED = [
    "reportnlp.themes.model.ThemeClassifier",
    "reportnlp.themes.model.CompactTfidfVectorizer",
    "reportnlp.themes.model.doc_tokens",
    "reportnlp.themes.model.doc_tokens_nokind",
    "reportnlp.themes.model.doc_text",
    "builtins.tuple",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
]
EXIT_OK, EXIT_BAD_INPUT = 0, 2


class DataError(ValueError):
    """Unreadable or invalid training/evaluation data; str() is the one-line message."""


def _base() -> Path:
    # Run from a checkout: paths are relative to it; otherwise to the package's checkout.
    cwd = Path.cwd()
    return cwd if (cwd / "corpora" / "themes").is_dir() else ROOT


def corpus_dir() -> Path:
    return _base() / "corpora" / "themes"


def default_model_dir() -> Path:
    return ROOT / "models" / "themes"


# --- data -------------------------------------------------------------------


def read_jsonl(path: str | Path) -> list[dict]:
    """Statement records of one JSONL file, validated."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise DataError(f"{p}: cannot read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise DataError(f"{p}: not UTF-8 text") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as e:
            raise DataError(f"{p}:{n}: not JSON ({e.msg})") from None
        if not isinstance(rec, dict):
            raise DataError(f"{p}:{n}: expected an object")
        text, theme, kind = rec.get("text"), rec.get("theme"), rec.get("kind")
        if not isinstance(text, str) or not text.strip():
            raise DataError(f"{p}:{n}: missing text")
        if theme not in THEMES:
            raise DataError(f"{p}:{n}: unknown theme {theme!r}")
        if kind not in (None, "problem", "improvement"):
            raise DataError(f"{p}:{n}: unknown kind {kind!r}")
        rec = dict(rec, text=text.strip())
        out.append(rec)
    return out


def split_test_ids() -> set[str]:
    p = corpus_dir() / "split.json"
    if not p.exists():
        return set()
    try:
        return set(json.loads(p.read_text(encoding="utf-8")).get("test_ids", []))
    except (OSError, ValueError, AttributeError) as e:
        raise DataError(f"{p}: unreadable split ({e})") from None


def corpus_files() -> list[Path]:
    return sorted(corpus_dir().glob("*.jsonl"))


def merge(records: list[dict]) -> list[dict]:
    """One record per text; a review correction overrides other lines with the same text."""
    by_text: dict[str, dict] = {}
    for r in records:
        if r["text"] not in by_text or r.get("source") == "review":
            by_text[r["text"]] = r
    return list(by_text.values())


def load_split(paths: Optional[list[str]] = None) -> tuple[list[dict], list[dict]]:
    """(train, test) records. Test = the fixed split's ids, from the team's corpus."""
    ids = split_test_ids()
    corpus = [r for f in corpus_files() for r in read_jsonl(f)]
    test = [r for r in corpus if r.get("id") in ids]
    if paths:
        given = [r for p in paths for r in read_jsonl(p)]
        if not given:
            raise DataError(f"no statements in {', '.join(map(str, paths))}")
        if all(r.get("source") == "review" for r in given):
            given = corpus + given  # corrections alone: add them to the corpus
    else:
        given = corpus
    if not given:
        raise DataError(f"no training data (looked in {corpus_dir()})")
    held_out = {r["text"] for r in test}
    train = [r for r in merge(given) if r.get("id") not in ids and r["text"] not in held_out]
    return train, test


def data_hash(records: list[dict]) -> str:
    h = hashlib.sha256()
    for r in records:
        h.update(json.dumps([r.get("kind"), r["text"], r["theme"]], ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def xy(records: list[dict]) -> tuple[list[tuple], list[str]]:
    return [(r.get("kind"), r["text"]) for r in records], [r["theme"] for r in records]


def groups(records: list[dict]) -> list[str]:
    """CV groups: a reworded variant stays in the fold of its original ("...:variant-of:<id>")."""
    out = []
    for i, r in enumerate(records):
        src = str(r.get("source") or "")
        if ":variant-of:" in src:
            out.append(src.rsplit(":variant-of:", 1)[1])
        else:
            out.append(str(r.get("id") or f"#{i}"))
    return out


def cv_splitter(folds: int):
    from sklearn.model_selection import StratifiedGroupKFold

    from .model import RANDOM_STATE

    return StratifiedGroupKFold(folds, shuffle=True, random_state=RANDOM_STATE)


# --- model ------------------------------------------------------------------


def fit(records: list[dict], grid: Optional[dict] = None, family: Optional[dict] = None,
        folds: int = CV_FOLDS) -> tuple[Any, dict]:
    """Search the grid by stratified CV (macro-F1) and refit the best on all records."""
    from sklearn.model_selection import GridSearchCV

    from .model import ThemeClassifier

    X, y = xy(records)
    counts = {t: y.count(t) for t in set(y)}
    if len(counts) < 2:
        raise DataError("need statements of at least two themes")
    rare = sorted(t for t, c in counts.items() if c < 2)
    if rare:
        raise DataError(f"need at least two statements of each theme, have one of: {', '.join(rare)}")
    k = max(2, min(folds, min(counts.values())))
    base = ThemeClassifier(**(family if family is not None else FAMILY))
    grid = GRID if grid is None else grid
    if not grid:
        return base.fit(X, y), {"params": {}, "cv_macro_f1": None, "folds": 0}
    search = GridSearchCV(base, {k_: list(v) for k_, v in grid.items()}, scoring="f1_macro",
                          cv=cv_splitter(k), n_jobs=1, refit=True, error_score="raise")
    search.fit(X, y, groups=groups(records))
    params = {k_: (list(v) if isinstance(v, tuple) else v) for k_, v in search.best_params_.items()}
    return search.best_estimator_, {"params": params, "cv_macro_f1": round(float(search.best_score_), 4),
                                    "folds": k, "grid": {k_: [list(x) if isinstance(x, tuple) else x
                                                              for x in v] for k_, v in grid.items()}}


def save(clf: Any, model_dir: Path, meta: dict) -> None:
    import skops.io as sio

    from ..util import atomic_write_text

    model_dir.mkdir(parents=True, exist_ok=True)
    tmp = model_dir / (MODEL_FILE + ".tmp")
    sio.dump(clf, tmp, compression=zipfile.ZIP_DEFLATED)
    tmp.replace(model_dir / MODEL_FILE)
    atomic_write_text(model_dir / META_FILE, json.dumps(meta, ensure_ascii=False, indent=1) + "\n")


def load(model_dir: Optional[Path] = None) -> Any:
    """The saved classifier; refuses a file that holds types outside TRUSTED."""
    from ..errors import ReportError

    path = Path(model_dir or default_model_dir()) / MODEL_FILE
    if not path.exists():
        raise ReportError("E030", str(path), "train it with `reportnlp train themes`")
    import skops.io as sio

    try:
        unknown = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED]
        if unknown:
            raise ReportError("E030", str(path), f"untrusted types: {', '.join(unknown[:3])}")
        return sio.load(path, trusted=TRUSTED)
    except ReportError:
        raise
    except Exception as e:  # corrupt or foreign file
        raise ReportError("E030", str(path), f"{type(e).__name__}: {e}".splitlines()[0]) from None


def metrics(clf: Any, records: list[dict]) -> dict:
    """Per-theme precision/recall/F1, macro-F1 and the confusion matrix."""
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    X, y = xy(records)
    pred = [str(p) for p in clf.predict(X)]
    labels = [t for t in THEMES if t in set(y) | set(pred)]
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    return {
        "n": len(y),
        "labels": labels,
        "per_theme": {t: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                          "f1": round(float(f[i]), 4), "support": int(s[i])} for i, t in enumerate(labels)},
        "macro_f1": round(float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)), 4),
        "accuracy": round(sum(a == b for a, b in zip(y, pred)) / max(1, len(y)), 4),
        "confusion": confusion_matrix(y, pred, labels=labels).tolist(),
    }


def versions() -> dict:
    import jieba
    import sklearn
    import skops

    from .. import __version__
    from ..nlp.tokenizer import user_dictionary_version

    return {"reportnlp": __version__, "scikit-learn": sklearn.__version__, "skops": skops.__version__,
            "jieba": jieba.__version__, "user_dictionary": user_dictionary_version()}


# --- commands ---------------------------------------------------------------


def _rel(path) -> str:
    """A path as written in meta.json: relative to the checkout when inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(_base().resolve()).as_posix()
    except ValueError:
        return str(path)


def _err(msg: str) -> int:
    print(f"Error: {msg}", file=sys.stderr)
    return EXIT_BAD_INPUT


def train_cli(args) -> int:
    from ..errors import ReportError

    try:
        train, test = load_split(getattr(args, "paths", None))
        t0 = time.perf_counter()
        clf, cv = fit(train)
        model_dir = Path(args.model_dir) if getattr(args, "model_dir", None) else default_model_dir()
        test_metrics = metrics(clf, test) if test else None
        meta = {
            "versions": versions(),
            "trained_at_seconds": round(time.perf_counter() - t0, 1),
            "training_data": {"n": len(train), "sha256": data_hash(train),
                              "files": [_rel(p) for p in (getattr(args, "paths", None) or corpus_files())]},
            "labels": [str(c) for c in clf.classes_],
            "family": FAMILY,
            "cv": cv,
            "test": ({k: v for k, v in test_metrics.items() if k != "confusion"} if test_metrics else None),
        }
        save(clf, model_dir, meta)
    except DataError as e:
        return _err(str(e))
    except ReportError as e:
        return _err(e.message)
    except OSError as e:
        return _err(f"cannot write the model ({e.strerror or e})")
    test_txt = f", test macro-F1 {test_metrics['macro_f1']:.3f} on {test_metrics['n']}" if test_metrics else ""
    print(f"themes: trained on {len(train)} statements, {len(clf.classes_)} themes, "
          f"CV macro-F1 {cv['cv_macro_f1']} with {cv['params']}{test_txt} -> {model_dir / MODEL_FILE}")
    return EXIT_OK


def format_report(m: dict) -> str:
    lines = [f"{'theme':<16}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}"]
    for t in m["labels"]:
        d = m["per_theme"][t]
        lines.append(f"{t:<16}{d['precision']:>10.3f}{d['recall']:>8.3f}{d['f1']:>8.3f}{d['support']:>9d}")
    lines.append(f"macro-F1: {m['macro_f1']:.3f}")
    lines.append(f"accuracy: {m['accuracy']:.3f} ({m['n']} statements)")
    lines.append("confusion matrix (rows: gold, columns: predicted):")
    short = [t[:6] for t in m["labels"]]
    lines.append(" " * 16 + "".join(f"{s:>7}" for s in short))
    for t, row in zip(m["labels"], m["confusion"]):
        lines.append(f"{t:<16}" + "".join(f"{v:>7d}" for v in row))
    return "\n".join(lines)


def save_confusion_png(m: dict, path: str | Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    cm = np.array(m["confusion"])
    labels = m["labels"]
    fig, ax = plt.subplots(figsize=(7.5, 6.5), dpi=100)
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"Themes: confusion on {m['n']} test statements (macro-F1 {m['macro_f1']:.3f})")
    hi = cm.max() if cm.size else 0
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                        color="white" if cm[i, j] > hi / 2 else "black", fontsize=8)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})  # no timestamp or version: same bytes twice
    plt.close(fig)


def evaluate_cli(args) -> int:
    from ..errors import ReportError

    try:
        paths = getattr(args, "paths", None) or []
        if paths:
            records = [r for p in paths for r in read_jsonl(p)]
        else:
            _, records = load_split()
            if not records:
                raise DataError(f"no test split in {corpus_dir()}")
        clf = load(Path(args.model_dir) if getattr(args, "model_dir", None) else None)
        m = metrics(clf, records)
        png = getattr(args, "png", None) or str(_base() / "docs" / "themes-confusion.png")
        save_confusion_png(m, png)
    except DataError as e:
        return _err(str(e))
    except ReportError as e:
        return _err(e.message)
    except OSError as e:
        return _err(f"cannot write the confusion matrix ({e.strerror or e})")
    print(format_report(m))
    print(f"confusion matrix saved to {png}")
    stale = _stale_dictionary(Path(args.model_dir) if getattr(args, "model_dir", None) else default_model_dir())
    if stale:
        print(f"note: {stale}", file=sys.stderr)
    return EXIT_OK


def _stale_dictionary(model_dir: Path) -> Optional[str]:
    """A note when the jieba user dictionary changed since the model was trained."""
    from ..nlp.tokenizer import user_dictionary_version

    try:
        meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
        was = meta["versions"]["user_dictionary"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    now = user_dictionary_version()
    if was != now:
        return f"the user dictionary changed since training ({was} -> {now}): retrain with `reportnlp train themes`"
    return None
