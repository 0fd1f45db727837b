"""The narrative stage: counts with channel/category/label, breakdowns, outlets, spans."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportnlp.evaluate import score_media, score_quantities
from reportnlp.model import Section
from reportnlp.nlp import extract_narrative, narrative_lines

from conftest import SEED, SEED_GOLD, need_shared


def run(text: str, key: str = "overview"):
    return extract_narrative(text, [Section(key=key, title="", span=(0, len(text)))])


def one(text: str, **want):
    qs, _, _ = run(text)
    assert len(qs) == 1, [q.model_dump() for q in qs]
    q = qs[0]
    for k, v in want.items():
        assert getattr(q, k) == v, (k, getattr(q, k), v)
    return q


# --- template.md §7.2, the invented examples ---------------------------------

def test_example_1_breakdown():
    t = "全年依托区政府门户网站公开各类政务信息2,316条，其中机构职能类41条、政策文件类87条。"
    qs, _, _ = run(t)
    assert [(q.value, q.channel, q.part_of) for q in qs] == [(2316, "website", None), (41, "website", 0), (87, "website", 0)]
    assert qs[0].category == "disclosed_info" and qs[2].category == "policy_docs"
    assert [q.label for q in qs[1:]] == ["机构职能类", "政策文件类"]


def test_example_2_weibo_wechat_followers():
    t = "“示例发布”政务微博推送信息980余条，官方微信公众号编发图文1,204篇，粉丝总数达到12.3万。"
    qs, _, _ = run(t)
    got = [(q.channel, q.category, q.value, q.qualifier) for q in qs]
    assert got == [("weibo", "posts", 980, "lower_bound"), ("wechat", "posts", 1204, "exact"),
                   ("wechat", "followers", 123000, "exact")]


def test_example_3_shared_count_and_views():
    t = "在抖音、视频号同步上线政策短视频57个，累计播放量超过80万次。"
    qs, _, _ = run(t)
    assert [(q.channel, q.value, q.model_extra.get("shared")) for q in qs[:2]] == [("douyin", 57, True), ("video", 57, True)]
    assert (qs[2].category, qs[2].value, qs[2].qualifier) == ("views", 800000, "lower_bound")


def test_example_4_chinese_numeral_channel_from_earlier_clause():
    one("开设“示例政务”头条号，年内更新信息三百余条。", channel="toutiao", value=300, qualifier="lower_bound")


def test_example_5_app():
    one("依托“示例通”手机客户端(APP)新增上线便民事项126项。", channel="app", value=126, unit="项", label="便民事项")


def test_example_6_events():
    qs, _, _ = run("举办新闻发布会14场、政策吹风会3场，开展在线访谈6期。")
    assert [(q.channel, q.value, q.unit) for q in qs] == [
        ("press_conference", 14, "场"), ("press_conference", 3, "场"), ("other", 6, "期")]
    assert qs[0].category == "press_events" and qs[2].label == "在线访谈"


def test_example_7_gazette():
    qs, _, _ = run("编印《示例市人民政府公报》12期，刊载规章和规范性文件29件。")
    assert [(q.channel, q.value, q.unit) for q in qs] == [("gazette", 12, "期"), ("gazette", 29, "件")]
    assert qs[1].category == "normative_docs"


def test_example_8_media_coverage_and_outlets():
    t = "工作动态先后被人民网、新华网及《示例日报》等媒体采用65篇/次。"
    qs, ms, _ = run(t)
    assert [(q.channel, q.category, q.value, q.unit) for q in qs] == [("media", "coverage", 65, "篇次")]
    assert [m.name for m in ms] == ["人民网", "新华网", "示例日报"]
    assert all(t[m.span[0]:m.span[1]] == m.name for m in ms)


def test_example_9_cumulative():
    one("截至2024年12月31日，专栏累计公开信息1.06万条。", channel="website", value=10600, period="cumulative")


def test_example_10_requests_two():
    one("全年共受理政府信息公开申请两件，均在法定期限内答复。", category="requests_new", value=2, channel=None)


# --- tricky cases ---------------------------------------------------------------

def test_reference_date_is_not_cumulative():
    # the seed's "截至…(下同)" states the report date: its 141件 is an ordinary annual count
    one("截至2023年12月31日(下同)，通过政府公开网主动公开政府信息141件。", period="annual", channel="website")


def test_aggregate_scope():
    one("全市各级行政机关共主动公开政府信息一百零五篇。", scope="aggregate", value=105)


def test_respective_channels():
    qs, _, _ = run("门户网站、政务微博、微信公众号分别发布信息1,326条、845条和392篇。")
    assert [(q.channel, q.value) for q in qs] == [("website", 1326), ("weibo", 845), ("wechat", 392)]


def test_traditional_and_full_width_line():
    t = "全年發布政務微博四百餘條，微信公眾號推送文章１８６篇。"
    qs, _, _ = run(t)
    assert [(q.channel, q.value, q.qualifier) for q in qs] == [("weibo", 400, "lower_bound"), ("wechat", 186, "exact")]
    assert qs[0].label == "政務微博"  # the label as written


def test_table_lines_and_section_five_are_not_read():
    text = "一、总体情况\n发布政务微博315条。\n规章\t0\t0\t3\n五、存在的主要问题及改进情况\n年内推出图解解读不少于10期。\n"
    a, b = text.index("一"), text.index("五")
    secs = [Section(key="overview", title="一、总体情况", span=(a, b)),
            Section(key="problems_improvements", title="五", span=(b, len(text)))]
    qs, _, _ = extract_narrative(text, secs)
    assert [q.value for q in qs] == [315]
    lines, _ = narrative_lines(text, secs)
    assert all("\t" not in line for _, line in lines)


def test_no_sections_warns_and_reads_all_prose():
    qs, _, warnings = extract_narrative("发布政务微博315条。", [])
    assert [q.value for q in qs] == [315] and any("no sections" in w for w in warnings)


# --- the seed: section 一 gives exactly the gold ----------------------------------

def test_seed_section_one_matches_gold():
    need_shared()
    from reportnlp import extract

    report = extract(str(SEED))
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    overview = [s for s in report.sections if s.key.startswith("overview")]
    assert overview, "segment found no section 一"
    qs, ms, _ = extract_narrative(report.text, overview)
    rep = {"quantities": [q.model_dump() for q in qs], "media_outlets": [m.model_dump() for m in ms]}
    sq, sm = score_quantities(rep, gold), score_media(rep, gold)
    assert (sq.hits, sq.gold) == (10, 10), sq.missed
    assert len(qs) == 10  # nothing beyond the gold's counts
    assert (sm.hits, sm.gold, sm.extra) == (4, 4, 0), sm.missed
    assert [m.name for m in ms] == ["法制与新闻", "法新网", "大象新闻", "济源日报"]
    for q in qs:
        assert report.text[q.span[0]:q.span[1]].startswith(str(int(q.value)))
    total = next(i for i, q in enumerate(qs) if q.value == 141)
    assert [q.part_of for q in qs if q.value in (7, 67)] == [total] * 3


# --- invariants -------------------------------------------------------------------

ALPHABET = st.sampled_from(list("发布政务微博信息公开条件篇万余近约超过两三百十一二零被等媒体、，。；其中累计截至全市各级\t\n")
                           + list("0123456789") + ["人民网", "新华网", "公众号", "抖音", "(下同)", "2023年", "，其中"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_random_text_never_crashes_and_spans_index_text(text):
    qs, ms, _ = run(text)
    for q in qs:
        s, e = q.span
        assert 0 <= s < e <= len(text)
        assert q.part_of is None or 0 <= q.part_of < len(qs)
    for m in ms:
        s, e = m.span
        assert text[s:e] == m.name
    assert len({m.name for m in ms}) == len(ms)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_never_crashes(text):
    qs, ms, _ = run(text)
    assert all(0 <= q.span[0] < q.span[1] <= len(text) for q in qs)


def test_rates_are_not_counts_of_the_year():
    qs, _, _ = run("微信公众号每周推送3期，每月开展一次自查，全年推送156期。")
    assert [q.value for q in qs] == [156]


def test_shared_part_is_summed_once():
    qs, _, _ = run("全年发布信息500条，其中在抖音、视频号发布短视频57个，在网站发布443条。")
    assert [(q.value, q.channel, q.part_of) for q in qs] == [
        (500, None, None), (57, "douyin", 0), (57, "video", None), (443, "website", 0)]


@pytest.mark.parametrize("text, want", [
    ("全年答复政府信息公开申请30件，其中予以公开12件、部分公开3件。",
     [(30, None, "requests_answered", None), (12, None, "requests_answered", 0), (3, None, "requests_answered", 0)]),
    ("依托12345政务服务便民热线受理群众咨询1,580件，办结率100%。", [(1580, "hotline", "consultations", None)]),
    ("通过“示例市场监管”抖音号发布短视频120条，累计播放量达350万次。",
     [(120, "douyin", "posts", None), (3500000, "douyin", "views", None)]),
    ("我局在人民日报、河南日报等媒体发表稿件36篇，其中人民日报2篇。",
     [(36, "media", "coverage", None), (2, "media", "coverage", 0)]),
])
def test_invented_report_sentences(text, want):
    qs, _, _ = run(text)
    assert [(q.value, q.channel, q.category, q.part_of) for q in qs] == want
