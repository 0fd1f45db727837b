"""The theme classifier: jieba word n-grams + character n-grams, TF-IDF, a
linear model with calibrated probabilities.

`ThemeClassifier` is a scikit-learn estimator: `__init__` stores parameters,
`fit` returns self, fitted state ends in `_`, so `clone`, `GridSearchCV` and
`cross_val_score` work on it. Its input is one document per statement: a
plain string, a `(kind, text)` pair or a `{"kind", "text"}` dict; the kind
becomes a token of its own (an improvement about training reads differently
from a problem about training).

The analyzers are module-level functions, never lambdas, so the fitted
pipeline can be saved with skops and loaded back with explicit trusted types.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ..nlp.tokenizer import tokenize

SEP = "\t"  # kind SEP text inside a document string
RANDOM_STATE = 0  # one seed for every random step: same data, same model


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional -> simplified, so a report in either script meets the same features."""
    return _t2s().convert(text)


def to_doc(x: Any) -> str:
    """One input (str, (kind, text) or {"kind","text"}) -> "kind<TAB>text" (text simplified)."""
    if isinstance(x, str):
        kind, text = x.split(SEP, 1) if SEP in x else ("", x)
    elif isinstance(x, dict):
        kind, text = x.get("kind"), x.get("text")
    elif isinstance(x, (tuple, list)) and len(x) == 2:
        kind, text = x
    else:
        raise ValueError(f"cannot read a statement from {type(x).__name__}")
    text = (text or "").replace(SEP, " ")
    return f"{kind or ''}{SEP}{simplified(text)}"


def to_docs(X: Iterable[Any]) -> list[str]:
    if isinstance(X, (str, bytes)):
        raise ValueError("expected a list of statements, got one string")
    return [to_doc(x) for x in X]


def doc_text(doc: str) -> str:
    """The statement text of a document (character n-grams read this)."""
    return doc.split(SEP, 1)[1] if SEP in doc else doc


@lru_cache(maxsize=20000)
def _tokens(text: str) -> tuple[str, ...]:
    # cross-validation refits the vectoriser many times on the same texts
    return tuple(tokenize(text))


def doc_tokens(doc: str) -> list[str]:
    """jieba tokens of the text, led by a kind token when the kind is known."""
    kind, _, text = doc.partition(SEP) if SEP in doc else ("", "", doc)
    return ([f"KIND={kind}"] if kind else []) + list(_tokens(text))


def doc_tokens_nokind(doc: str) -> list[str]:
    return list(_tokens(doc_text(doc)))


def _compact_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer


class CompactTfidfVectorizer(_compact_tfidf()):
    """TfidfVectorizer whose saved state holds the vocabulary as one array of terms.

    skops writes a dict entry by entry into its JSON schema: ten thousand
    n-grams made a 8 MB schema that took seconds to load. As an array ordered
    by column index the same vocabulary is one .npy file that loads at once.
    """

    def __getstate__(self):
        state = super().__getstate__()
        vocab = state.pop("vocabulary_", None)
        if vocab is not None:
            terms = sorted(vocab, key=vocab.__getitem__)
            if [vocab[t] for t in terms] != list(range(len(terms))) or any(t != t.rstrip("\x00") for t in terms):
                state["vocabulary_"] = vocab  # not representable as an array: keep the dict
            else:
                state["vocabulary_terms_"] = np.array(terms, dtype=str)
        return state

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        super().__setstate__(state)
        if terms is not None:
            self.vocabulary_ = {str(t): i for i, t in enumerate(terms.tolist())}


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Statement -> theme, with calibrated probabilities.

    Parameters
    ----------
    model : "svc" (LinearSVC + sigmoid calibration) or "logreg" (LogisticRegression,
        optionally calibrated too).
    features : "both" (jieba words + characters), "words" or "chars".
    word_weight : weight of the word block against the character block (features="both").
    C : inverse regularisation strength of the linear model.
    word_ngram, char_ngram : n-gram ranges of the jieba-word and character TF-IDF.
    min_df : minimum document frequency of a feature.
    use_kind : add the statement's kind as a token.
    calibrate : wrap the linear model in CalibratedClassifierCV (always for "svc").
    cal_cv : folds of the calibration.
    class_weight : passed to the linear model ("balanced" evens out rare themes).
    random_state : seed of the linear model.
    """

    def __init__(self, model="svc", features="both", word_weight=1.0, C=1.0, word_ngram=(1, 2),
                 char_ngram=(1, 3), min_df=1,
                 use_kind=True, calibrate=True, cal_cv=3, class_weight="balanced",
                 random_state=RANDOM_STATE):
        self.model = model
        self.features = features
        self.word_weight = word_weight
        self.C = C
        self.word_ngram = word_ngram
        self.char_ngram = char_ngram
        self.min_df = min_df
        self.use_kind = use_kind
        self.calibrate = calibrate
        self.cal_cv = cal_cv
        self.class_weight = class_weight
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.non_deterministic = False
        return tags

    def _build(self, y) -> Any:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.svm import LinearSVC

        if self.model not in ("svc", "logreg"):
            raise ValueError(f"model must be 'svc' or 'logreg', not {self.model!r}")
        words = CompactTfidfVectorizer(tokenizer=doc_tokens if self.use_kind else doc_tokens_nokind,
                                token_pattern=None, lowercase=False, ngram_range=tuple(self.word_ngram),
                                min_df=self.min_df, sublinear_tf=True)
        chars = CompactTfidfVectorizer(analyzer="char", preprocessor=doc_text, lowercase=False,
                                ngram_range=tuple(self.char_ngram), min_df=self.min_df, sublinear_tf=True)
        if self.features not in ("both", "words", "chars"):
            raise ValueError(f"features must be 'both', 'words' or 'chars', not {self.features!r}")
        parts = [("words", words), ("chars", chars)]
        parts = [p for p in parts if self.features in ("both", p[0])]
        weights = {"words": float(self.word_weight), "chars": 1.0}
        features = FeatureUnion(parts, transformer_weights={n: weights[n] for n, _ in parts})
        if self.model == "svc":
            clf = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
        else:
            clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000,
                                     random_state=self.random_state)
        if self.model == "svc" or self.calibrate:
            _, counts = np.unique(y, return_counts=True)
            folds = int(max(2, min(self.cal_cv, counts.min())))
            # ensemble=False: one linear model fitted on all data, the sigmoid fitted on
            # out-of-fold decisions; a third of the size of an ensemble of fold models
            clf = CalibratedClassifierCV(
                clf, method="sigmoid", ensemble=False,
                cv=StratifiedKFold(folds, shuffle=True, random_state=self.random_state))
        return Pipeline([("features", features), ("clf", clf)])

    def fit(self, X, y):
        docs = to_docs(X)
        y = np.asarray(y)
        if len(docs) != len(y):
            raise ValueError(f"{len(docs)} statements but {len(y)} labels")
        if len(np.unique(y)) < 2:
            raise ValueError("need at least two themes to train")
        self.pipeline_ = self._build(y).fit(docs, y)
        self.classes_ = self.pipeline_.classes_
        self.n_features_ = sum(len(v.vocabulary_) for _, v in self.pipeline_.named_steps["features"].transformer_list)
        return self

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.predict_proba(to_docs(X))

    def predict(self, X) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_with_score(self, X) -> list[tuple[str, float]]:
        """(theme, probability of that theme) per statement."""
        proba = self.predict_proba(X)
        best = np.argmax(proba, axis=1)
        return [(str(self.classes_[i]), float(proba[r, i])) for r, i in enumerate(best)]
