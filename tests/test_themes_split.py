"""Section 五 splitting: the corpus writer's cases exactly, shapes of template.md §8, and invariants."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportnlp.themes.split import cue_kind, heading_kind, split_statements

CASES = Path(__file__).resolve().parent / "data" / "split_cases.jsonl"


def _cases():
    if not CASES.exists():
        return []
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_split_case(case):
    text = case["text"]
    got = split_statements(text, base=7)
    assert [(k, t) for k, t, _ in got] == [(e["kind"], e["text"]) for e in case["expected"]]
    for _k, t, (s, e) in got:
        assert text[s - 7:e - 7] == t


def test_cases_file_present():
    if not CASES.exists():
        pytest.skip("tests/data/split_cases.jsonl not written yet")
    assert len(_cases()) >= 45


def _kt(text):
    return [(k, t) for k, t, _ in split_statements(text)]


def test_two_labelled_paragraphs_with_mixed_end_marks():
    text = ("存在问题：一是政府信息公开的广度、深度有待进一步增强。二是政策解读的形式不够丰富；"
            "三是新媒体运用还要进一步加强。\n\n改进情况：一是进一步压实工作责任；二是拓宽信息发布渠道。")
    assert _kt(text) == [
        ("problem", "政府信息公开的广度、深度有待进一步增强"),
        ("problem", "政策解读的形式不够丰富"),
        ("problem", "新媒体运用还要进一步加强"),
        ("improvement", "进一步压实工作责任"),
        ("improvement", "拓宽信息发布渠道"),
    ]


@pytest.mark.parametrize("open_, close", [("(", ")"), ("（", "）")])
def test_numbered_subsections_both_bracket_forms(open_, close):
    text = (f"{open_}一{close}存在的主要问题和困难\n1.工作人员业务能力有待提高。\n2、部分栏目更新不及时。\n"
            f"{open_}二{close}解决办法和改进措施\n{open_}1{close}加强业务培训。\n{open_}2{close}落实栏目维护责任。")
    assert _kt(text) == [
        ("problem", "工作人员业务能力有待提高"),
        ("problem", "部分栏目更新不及时"),
        ("improvement", "加强业务培训"),
        ("improvement", "落实栏目维护责任"),
    ]


def test_inline_labelled_subsections():
    text = "(一)主要问题：信息更新频率不均衡，基层站点栏目存在空白。(二)改进方向：实行栏目责任到人，每月开展一次自查。"
    assert _kt(text) == [("problem", "信息更新频率不均衡，基层站点栏目存在空白"),
                         ("improvement", "实行栏目责任到人，每月开展一次自查")]


def test_one_paragraph_problem_then_plan_by_cue_words():
    text = "我局政府信息公开工作还存在政策解读形式单一等问题。下一步，我局将进一步丰富解读形式，提高解读质量。"
    kinds = [k for k, _ in _kt(text)]
    assert kinds == ["problem", "improvement"]


def test_intro_sentences_set_the_kind_and_are_dropped():
    text = ("本年度我局政府信息公开工作存在以下问题：一是公开内容不够全面；二是互动回应不够及时。"
            "下一步，我局将重点做好以下工作：一是拓展公开内容；二是及时回应社会关切。")
    assert _kt(text) == [("problem", "公开内容不够全面"), ("problem", "互动回应不够及时"),
                         ("improvement", "拓展公开内容"), ("improvement", "及时回应社会关切")]


def test_sequence_words():
    text = "存在问题：首先，栏目更新不及时；其次，解读形式单一。改进措施：最后，加强培训。"
    assert _kt(text) == [("problem", "栏目更新不及时"), ("problem", "解读形式单一"), ("improvement", "加强培训")]


@pytest.mark.parametrize("text", ["无", "无。", "暂无。", "", "\n\n"])
def test_nothing_to_report(text):
    assert split_statements(text) == []


def test_one_sentence_is_one_statement():
    assert _kt("本年度信息公开工作人员变动较大，业务衔接不够顺畅。") == [
        ("problem", "本年度信息公开工作人员变动较大，业务衔接不够顺畅")]


def test_section_title_line_sets_no_kind():
    text = "五、存在的主要问题及改进情况\n\n一是栏目更新不够及时。二是将加强栏目维护。"
    assert _kt(text) == [("problem", "栏目更新不够及时"), ("improvement", "将加强栏目维护")]


def test_numbers_are_not_markers():
    text = "改进措施：一是年内推出图解解读不少于10期，覆盖率提高1.5倍；二是每季度开展1次培训。"
    assert _kt(text) == [("improvement", "年内推出图解解读不少于10期，覆盖率提高1.5倍"),
                         ("improvement", "每季度开展1次培训")]


def test_heading_and_cue_words():
    assert heading_kind("存在问题") == (True, "problem")
    assert heading_kind("下一步工作打算") == (True, "improvement")
    assert heading_kind("存在的主要问题及改进情况") == (True, None)
    assert heading_kind("政策解读形式不够丰富，图解偏少")[0] is False
    assert cue_kind("政府信息公开的广度、深度有待进一步增强") == "problem"
    assert cue_kind("进一步压实工作责任") == "improvement"


# --- invariants ---------------------------------------------------------------

_pieces = st.sampled_from([
    "一是", "二是", "三是", "1.", "2、", "(1)", "（2）", "(一)", "（二）", "首先，", "其次，", "最后，",
    "存在问题：", "改进措施：", "下一步工作", "存在的主要问题及改进情况", "。", "；", "：", "\n", "\n\n",
    "政策解读形式单一", "将加强培训", "栏目更新不及时", "无", " ", "10", "1.5", "（", ")", "五、",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_pieces, st.text(max_size=6)), max_size=30), st.integers(0, 5000))
def test_random_text_never_crashes_and_spans_index_the_text(parts, base):
    text = "".join(parts)
    for kind, body, (s, e) in split_statements(text, base=base):
        assert kind in ("problem", "improvement")
        assert body and body == body.strip()
        assert text[s - base:e - base] == body
        assert not body.endswith(("。", "；"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode(text):
    for _k, body, (s, e) in split_statements(text):
        assert text[s:e] == body


def test_intro_naming_problems_and_plans_takes_the_later_word():
    text = ("2023年，我局政务公开工作还存在以下不足：\n一是栏目更新不及时。\n二是解读形式单一。\n"
            "针对上述问题，我局将采取以下措施：\n一是建立更新台账。\n二是丰富解读形式。")
    assert _kt(text) == [("problem", "栏目更新不及时"), ("problem", "解读形式单一"),
                         ("improvement", "建立更新台账"), ("improvement", "丰富解读形式")]


@pytest.mark.parametrize("text, kind", [
    ("对规范性文件的起草背景和依据解读不足", "problem"),
    ("加强业务培训，解决工作人员能力不足的问题", "improvement"),
    ("已对上年度指出的会议信息公开滞后问题完成整改", "improvement"),
    ("2024年我委将丰富公开形式", "improvement"),
    ("2023年我局政务公开工作仍存在信息更新不够及时的问题", "problem"),
])
def test_cue_kind_cases(text, kind):
    assert cue_kind(text) == kind


def test_follow_up_of_last_year_before_a_list_is_kept():
    text = ("2022年，我市针对上年度报告提出的基层政务公开发展不平衡问题，组织开展提升行动，问题得到一定改善。"
            "但对照新要求，仍存在一些不足：一是事项目录更新不及时；二是解读质量有待提升。")
    assert _kt(text) == [
        ("improvement", "2022年，我市针对上年度报告提出的基层政务公开发展不平衡问题，组织开展提升行动，问题得到一定改善"),
        ("problem", "事项目录更新不及时"), ("problem", "解读质量有待提升")]


def test_tongshi_opens_a_new_statement():
    text = "下一步，我镇将加强业务培训，提升工作人员业务水平。同时细化重点领域信息公开清单。"
    assert _kt(text) == [("improvement", "下一步，我镇将加强业务培训，提升工作人员业务水平"),
                         ("improvement", "同时细化重点领域信息公开清单")]


# --- generated sections: a shape of template.md §8 built from known items must split back exactly

_P_ITEMS = ["栏目更新不及时", "政策解读形式较为单一，图解和视频偏少", "工作人员业务能力有待提高",
            "依申请公开答复文书不够规范", "政务新媒体运营不够规范", "基层公开目录不够完善"]
_I_ITEMS = ["建立栏目更新台账，明确责任人", "丰富解读形式，每季度制作2期图解", "加强业务培训",
            "统一答复文书模板", "完善政务新媒体管理制度", "对照标准指引完善公开目录"]
_P_HEADS = ["存在问题：", "主要问题：", "存在的不足：", "（一）存在的主要问题\n", "(一)存在的主要问题和困难\n", "存在问题\n"]
_I_HEADS = ["改进情况：", "改进措施：", "整改措施：", "（二）改进措施\n", "(二)解决办法和改进措施\n", "下一步工作：",
            "下一步打算\n"]
_ORD = {
    "shi": lambda i: "一二三四五六"[i] + "是",
    "dot": lambda i: f"{i + 1}.",
    "dun": lambda i: f"{i + 1}、",
    "paren": lambda i: f"({i + 1})",
    "fparen": lambda i: f"（{i + 1}）",
    "circled": lambda i: "①②③④⑤⑥"[i],
}


@st.composite
def _section(draw):
    fam = draw(st.sampled_from(sorted(_ORD)))
    sep = draw(st.sampled_from(["；", "。", "。\n", "；\n"]))
    ph, ih = draw(st.sampled_from(_P_HEADS)), draw(st.sampled_from(_I_HEADS))
    ps = draw(st.lists(st.sampled_from(_P_ITEMS), min_size=1, max_size=4, unique=True))
    im = draw(st.lists(st.sampled_from(_I_ITEMS), min_size=1, max_size=4, unique=True))

    def block(head, items):
        body = sep.join(_ORD[fam](i) + t for i, t in enumerate(items)) + "。"
        return head + body

    text = block(ph, ps) + "\n" + block(ih, im)
    return text, [("problem", t) for t in ps] + [("improvement", t) for t in im]


@settings(max_examples=200, deadline=None)
@given(_section())
def test_generated_sections_split_back_exactly(case):
    text, expected = case
    assert _kt(text) == expected


def test_semicolons_split_only_under_a_label():
    # corpora/themes/README.md rule 6: without ordinals, sentences are statements;
    # `；` parts are statements only directly under a kind label
    assert _kt("主要问题：信息更新不及时；解读形式单一。") == [("problem", "信息更新不及时"), ("problem", "解读形式单一")]
    assert _kt("我局信息更新不及时；解读形式单一。") == [("problem", "我局信息更新不及时；解读形式单一")]


def test_lead_in_after_a_label_changes_the_kind():
    text = "存在问题：1.公开内容不够全面；2.解读形式单一。下一步，我局将从以下几个方面加以改进：1.拓展公开内容；2.丰富解读形式。"
    assert _kt(text) == [("problem", "公开内容不够全面"), ("problem", "解读形式单一"),
                         ("improvement", "拓展公开内容"), ("improvement", "丰富解读形式")]


def test_topic_titles_are_not_statements():
    text = ("（一）关于政策解读。存在问题：解读形式单一。改进措施：制作图解解读。\n"
            "（二）关于信息更新。存在问题：栏目更新不及时。改进措施：建立更新台账。")
    assert _kt(text) == [("problem", "解读形式单一"), ("improvement", "制作图解解读"),
                         ("problem", "栏目更新不及时"), ("improvement", "建立更新台账")]


@pytest.mark.parametrize("label", ["不足之处", "存在问题和不足", "今后工作打算", "2024年工作计划", "改进方向"])
def test_more_heading_labels(label):
    assert heading_kind(label)[0] is True


def test_short_items_that_look_like_labels_stay_statements():
    text = ("存在问题：\n一是整改措施不到位。\n二是人员不足。\n改进措施：\n一是持续改进工作作风。\n"
            "二是制定下一步工作计划。\n今后将加强培训。")
    assert _kt(text) == [("problem", "整改措施不到位"), ("problem", "人员不足"),
                         ("improvement", "持续改进工作作风"), ("improvement", "制定下一步工作计划"),
                         ("improvement", "今后将加强培训")]
