"""The spaCy pipeline: blank zh segmenting with our jieba tokenizer; components in order."""
from __future__ import annotations

from reportnlp.nlp.components import blank_zh, get_nlp
from reportnlp.nlp.tokenizer import get_tokenizer, tokenize

SENTENCE = "通过政府公开网主动公开政府信息141件，微信公众号发布文章213篇。"
# Pinned: a change of jieba, of its dictionary or of our user dictionary shows here first.
TOKENS = ["通过", "政府公开网", "主动公开", "政府", "信息", "141", "件", "，",
          "微信公众号", "发布", "文章", "213", "篇", "。"]


def test_pinned_tokens_through_spacy():
    nlp = blank_zh()
    assert [t.text for t in nlp(SENTENCE)] == TOKENS
    assert nlp.tokenizer.jieba_seg is get_tokenizer()


def test_spacy_and_tokenize_agree():
    nlp = blank_zh()
    assert [t.text for t in nlp(SENTENCE)] == tokenize(SENTENCE)


def test_pipeline_components_and_cache():
    nlp, _ = get_nlp()
    assert nlp.pipe_names[-3:] == ["reportnlp_channels", "reportnlp_media", "reportnlp_quantities"]
    assert get_nlp()[0] is nlp
    doc = nlp(SENTENCE)
    assert [(m.text, m.channel) for m in doc._.channel_mentions] == [("政府公开网", "website"), ("微信公众号", "wechat")]
    assert {s.label_ for s in doc.spans["channels"]} == {"website", "wechat"}
    assert [q.count.value for q in doc._.quantities] == [141, 213]
    assert [(s.text, s.label_) for s in doc.spans["counts"]] == [("141件", "件"), ("213篇", "篇")]


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, reportnlp.nlp; print('spacy' in sys.modules, 'jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    assert out == "False False"


def test_user_dictionary_is_well_formed_and_free_of_invented_outlets():
    from reportnlp.nlp.tokenizer import USER_DICT
    from reportnlp.nlp.train import excluded_names

    words = []
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        assert 1 <= len(parts) <= 3, line
        if len(parts) > 1:
            assert parts[1].isdigit(), line
        words.append(parts[0])
    assert len(words) == len(set(words))
    assert not set(words) & excluded_names()
