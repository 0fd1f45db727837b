"""Normalisation: what changes, what stays, and that every character maps back to its source."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from reportnlp.model import Block, Document
from reportnlp.normalize import normalize, normalize_text


def norm(s: str) -> str:
    return normalize_text(s)[0]


def test_fullwidth_digits_and_brackets_fold_but_chinese_punctuation_stays():
    assert norm("公开信息１２３件（含政策文件４条），占比１０％。") == "公开信息123件(含政策文件4条)，占比10%。"


def test_spaces_inside_cjk_and_around_numbers_removed():
    assert norm("司法局 2023 年政府信息公开工作年度报告") == "司法局2023年政府信息公开工作年度报告"
    assert norm("结果 维持") == "结果维持"
    assert norm("公开 141 件") == "公开141件"


def test_traditional_converted_and_script_recorded():
    text, offsets, script = normalize_text("本機關全年主動公開政府資訊一百零五條，規範性檔案3件。")
    assert script == "traditional"
    assert text == "本机关全年主动公开政府资讯105条，规范性文件3件。" or text == "本机关全年主动公开政府信息105条，规范性文件3件。"
    assert normalize_text("本机关全年主动公开政府信息105条。")[2] == "simplified"


def test_injected_pinyin_removed():
    assert norm("政府信息公(gōng)開(kai)工作") == "政府信息公开工作"


def test_chinese_numerals_that_count_become_digits_others_stay():
    assert norm("全年受理申请两件，发布信息三百余条，召开发布会十二场。") == "全年受理申请2件，发布信息300余条，召开发布会12场。"
    # ordinals, fixed phrases and a lone 一 are not counts
    assert norm("一是落实三审三校制度，一件事一次办。") == "一是落实三审三校制度，一件事一次办。"
    assert norm("二○二三年") == "2023年"


def test_kangxi_radicals_from_broken_fonts_fold():
    assert norm("\u2f00、总体情况") == "一、总体情况"


def test_page_artefacts_dropped():
    assert norm("第一段。\n— 3 —\n第二段。\n第 2 页 共 6 页\n完。\n") == "第一段。\n第二段。\n完。\n"


def test_spaced_table_row_becomes_tab_separated():
    assert norm("行政规范性文件 1 0 5") == "行政规范性文件\t1\t0\t5"
    assert norm("行政许可 | 0 | | ") == "行政许可\t0\t"


def test_hard_wrapped_prose_rejoined_but_headings_kept():
    s = "本机关全年通过门户网站主动公开政府信息\n共计二百条，其中政策文件十条。\n二、主动公开政府信息情况\n"
    assert norm(s) == "本机关全年通过门户网站主动公开政府信息共计200条，其中政策文件10条。\n二、主动公开政府信息情况\n"


def test_offsets_point_at_source_characters():
    src = "（一） 主動公開 １４１ 件"
    text, offsets, _ = normalize_text(src)
    assert text == "(一)主动公开141件"
    assert [src[i] for i in offsets] == ["（", "一", "）", "主", "動", "公", "開", "１", "４", "１", "件"]


def test_page_starts_for_pdf_blocks():
    doc = Document(path="x.pdf", format="pdf", sha256="0", pages=2,
                   blocks=[Block(kind="text", text="第一页内容。", page=1), Block(kind="text", text="第二页内容。", page=2)])
    n = normalize(doc)
    assert n.page_starts == [0, n.text.index("第二页")]


TOKENS = list("一二两三十百件条篇年 \t\n　１２３0123（）()，。、：:|—-/政府信息公開報告余近萬万") + [
    "\u2f00", "(gōng)", "— 3 —\n", "第 2 页 共 6 页\n", "行政许可 | 0 | |", "规章 0 0 0"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_any_text_normalises_with_a_valid_offset_map(s):
    text, offsets, _ = normalize_text(s)
    assert len(offsets) == len(text)
    assert all(0 <= i < len(s) for i in offsets)
    # evidence stays in reading order: the map never runs backwards
    assert all(b >= a for a, b in zip(offsets, offsets[1:]))
    # a digit in the output came from that digit, half- or full-width, or from a Chinese numeral
    for ch, i in zip(text, offsets):
        if ch.isdigit():
            import unicodedata

            assert unicodedata.normalize("NFKC", s[i]) in "0123456789一二两三十百○〇零四五六七八九千万"
