"""Counts as written -> value, unit, qualifier (template.md §7.2 <NUM> grammar)."""
from __future__ import annotations

import pytest

from reportnlp.nlp.numbers import find_counts, parse_number


@pytest.mark.parametrize("text, surface, value, unit, qualifier", [
    ("发布信息2.5万条。", "2.5万条", 25000, "条", "exact"),
    ("推送信息100余条。", "100余条", 100, "条", "lower_bound"),
    ("刊发稿件近300篇。", "近300篇", 300, "篇", "approx"),
    ("受理申请两件。", "两件", 2, "件", "exact"),
    ("发布解读一百零五篇。", "一百零五篇", 105, "篇", "exact"),
    ("更新信息三百余条。", "三百余条", 300, "条", "lower_bound"),
    ("开展活动十余次。", "十余次", 10, "次", "lower_bound"),
    ("公开信息2,316条。", "2,316条", 2316, "条", "exact"),
    ("刊发87篇/次。", "87篇/次", 87, "篇次", "exact"),
    ("访问量85.4 万人次。", "85.4 万人次", 854000, "人次", "exact"),
    ("粉丝总数达到12.3万。", "12.3万", 123000, "", "exact"),
    ("播放量超过80万次。", "超过80万次", 800000, "次", "lower_bound"),
    ("约3,500人次", "约3,500人次", 3500, "人次", "approx"),
    ("刊发信息近百篇。", "近百篇", 100, "篇", "approx"),
    ("粉丝超过二十万。", "超过二十万", 200000, "", "lower_bound"),
    ("受理申请1件。", "1件", 1, "件", "exact"),
])
def test_counts(text, surface, value, unit, qualifier):
    counts = find_counts(text)
    assert len(counts) == 1, counts
    c = counts[0]
    assert text[c.start:c.end] == surface
    assert (c.value, c.unit, c.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize("text", [
    "2023年12月31日", "第二十条第(一)项", "〔2021〕30号", "三审三校", "一是加强统筹", "进一步统一标准",
    "办理时限3个月", "增长15%", "12345热线", "微博、微信两个平台", "一次性告知",
])
def test_not_counts(text):
    assert find_counts(text) == []


def test_parse_number():
    assert parse_number("1.06", "万") == 10600
    assert parse_number("两") == 2
    assert parse_number("3", "亿") == 300000000
    assert parse_number("") is None
