"""The spaCy pipeline of the narrative stage: blank zh + our jieba tokenizer + components.

    tokenizer            spaCy's zh tokenizer, segmenter "jieba", segmenting with
                         reportnlp.nlp.tokenizer.get_tokenizer() (our user dictionary)
    ner                  trained (models/ner): MEDIA, PLATFORM  -> doc.ents
    reportnlp_channels   PhraseMatcher over the channel lexicon (+ char-level fallback for
                         forms jieba splits differently)  -> doc._.channel_mentions, doc.spans["channels"]
    reportnlp_media      gazetteer + "被A、B等媒体" lists + NER MEDIA  -> doc._.outlets, doc.spans["outlets"]
    reportnlp_quantities counts linked to channel/label/category  -> doc._.quantities, doc.spans["counts"]

Components only read what the ones before them set. `get_nlp()` builds the
pipeline once per process; nothing here is imported by `import reportnlp.nlp`.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from . import lexicon as L
from .media import gazetteer_matches, merge_outlets, ner_outlet_ok, pattern_matches, trim_entity
from .quantities import Mention, find_channel_mentions, link_counts
from .tokenizer import get_tokenizer

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[3]
DEFAULT_MODEL_DIR = Path(os.environ.get("REPORTNLP_NER_MODEL") or ROOT / "models" / "ner")
ACCOUNT_AFTER = re.compile(r"[”\"]?号")
ZH_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}
_lock = threading.RLock()

for _name in ("channel_mentions", "outlets", "quantities"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def use_our_tokenizer(nlp: Language) -> Language:
    """Make spaCy's jieba segmenter use our jieba.Tokenizer (same user dictionary as everyone)."""
    nlp.tokenizer.jieba_seg = get_tokenizer()
    return nlp


def _with_our_jieba(make):
    """Run `make()` (spacy.blank / spacy.load of a zh pipeline) so that the zh tokenizer's
    jieba import hands over our tokenizer: jieba's global default is never initialised
    (it would log and write its cache to the temp directory)."""
    import spacy.lang.zh as zh

    with _lock:
        orig = zh.try_jieba_import
        zh.try_jieba_import = get_tokenizer
        try:
            nlp = make()
        finally:
            zh.try_jieba_import = orig
    return use_our_tokenizer(nlp)


def blank_zh() -> Language:
    return _with_our_jieba(lambda: spacy.blank("zh", config=ZH_CONFIG))


def load_zh(path: Path | str) -> Language:
    return _with_our_jieba(lambda: spacy.load(path))


@Language.factory("reportnlp_channels")
def make_channels(nlp: Language, name: str):
    return ChannelMatcher(nlp)


class ChannelMatcher:
    """Channel mentions: token phrases first, then any lexicon form the tokens split."""

    def __init__(self, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab)
        by_channel: dict[str, list] = {}
        for term, ch in L.CHANNEL_TERMS.items():
            by_channel.setdefault(ch, []).append(nlp.make_doc(term))
        for ch, docs in by_channel.items():
            self.matcher.add(ch, docs)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        mentions: list[Mention] = []
        taken = [False] * len(text)
        spans = []
        matches = sorted(self.matcher(doc, as_spans=True), key=lambda s: (-(s.end_char - s.start_char), s.start_char))
        for span in matches:
            s, e = span.start_char, span.end_char
            if any(taken[s:e]):
                continue
            if span.text == "媒体" and text[s - 1:s] in L.NOT_MEDIA_BEFORE:
                continue
            mentions.append(Mention(s, e, span.label_, span.text))
            spans.append(span)
            taken[s:e] = [True] * (e - s)
        for m in find_channel_mentions(text):
            if any(taken[m.start:m.end]):
                continue
            mentions.append(m)
            taken[m.start:m.end] = [True] * (m.end - m.start)
            sp = doc.char_span(m.start, m.end, label=m.channel, alignment_mode="expand")
            if sp is not None:
                spans.append(sp)
        doc._.channel_mentions = sorted(mentions, key=lambda m: m.start)
        doc.spans["channels"] = sorted(spans, key=lambda s: s.start)
        return doc


@Language.component("reportnlp_media")
def media_component(doc: Doc) -> Doc:
    text = doc.text
    found = [(s, e, n, "gazetteer") for s, e, n in gazetteer_matches(text)]
    found += [(s, e, n, "pattern") for s, e, n in pattern_matches(text)]
    # "在“学习强国”号发布": an account on the platform, not coverage by the outlet
    found = [f for f in found if not ACCOUNT_AFTER.match(text, f[1])]
    # a NER guess over a channel word ("掌上办事客户端", "《X市人民政府公报》") is a platform, not an outlet
    channel_spans = [(m.start, m.end) for m in doc._.channel_mentions or [] if m.channel != "media"]
    for ent in doc.ents:
        s, e = trim_entity(text, ent.start_char, ent.end_char)
        if ent.label_ != "MEDIA" or not ner_outlet_ok(text, s, e):
            continue
        if any(cs < e and s < ce for cs, ce in channel_spans):
            continue
        found.append((s, e, text[s:e], "ner"))
    doc._.outlets = merge_outlets(found)
    doc.spans["outlets"] = [sp for s, e, _n, src in doc._.outlets
                            if (sp := doc.char_span(s, e, label=src, alignment_mode="expand")) is not None]
    return doc


@Language.component("reportnlp_quantities")
def quantities_component(doc: Doc) -> Doc:
    mentions = list(doc._.channel_mentions or [])
    # a named outlet is a mention of the news-media channel
    taken = {(m.start, m.end) for m in mentions}
    for s, e, name, _src in doc._.outlets or []:
        inside = any(m.start <= s and e <= m.end and m.channel != "media" for m in mentions)
        if (s, e) not in taken and not inside:  # "“学习强国”号" is an account, not coverage
            mentions.append(Mention(s, e, "media", name))
    # drop lexicon mentions inside an outlet's name ("新华社客户端" is coverage, not an app)
    outlet_spans = [(s, e) for s, e, _n, _src in doc._.outlets or []]
    mentions = [m for m in mentions
                if m.channel == "media" or not any(s <= m.start and m.end <= e for s, e in outlet_spans)]
    doc._.quantities = link_counts(text=doc.text, mentions=mentions)
    # the counts as token spans labelled with their unit, for displaCy-style debugging
    doc.spans["counts"] = [sp for q in doc._.quantities
                           if (sp := doc.char_span(q.count.start, q.count.end, label=q.count.unit or "-",
                                                   alignment_mode="expand")) is not None]
    return doc


def analyse(nlp: Language, texts):
    """Docs of the folded texts (same length, so offsets hold for the originals)."""
    from .fold import fold

    return nlp.pipe((fold(t) for t in texts), batch_size=64)


def build_nlp(model_dir: Path | str | None = None) -> tuple[Language, list[str]]:
    """Load the trained NER (or a blank zh when absent) and add the rule components."""
    warnings: list[str] = []
    model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
    nlp = None
    if (model_dir / "config.cfg").exists():
        try:
            nlp = load_zh(model_dir)
        except Exception as e:  # a broken model must not stop extraction
            warnings.append(f"nlp: NER model in {model_dir} not loaded ({type(e).__name__}); rules only")
    else:
        warnings.append(f"nlp: no NER model in {model_dir}; media outlets from gazetteer and patterns only")
    if nlp is None:
        nlp = blank_zh()
    nlp.add_pipe("reportnlp_channels")
    nlp.add_pipe("reportnlp_media")
    nlp.add_pipe("reportnlp_quantities")
    return nlp, warnings


@lru_cache(maxsize=4)
def _cached(model_dir: str) -> tuple[Language, tuple[str, ...]]:
    nlp, warnings = build_nlp(model_dir)
    return nlp, tuple(warnings)


def get_nlp(model_dir: Path | str | None = None) -> tuple[Language, tuple[str, ...]]:
    """The process-wide pipeline (built on first use)."""
    with _lock:
        return _cached(str(Path(model_dir) if model_dir else DEFAULT_MODEL_DIR))
