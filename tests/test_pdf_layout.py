"""Pure layout functions on hand-made glyphs: lines, page artefacts, paragraphs, grids."""
from __future__ import annotations

from hypothesis import given, strategies as st

from reportnlp.ingest import pdf_layout as L
from reportnlp.ingest import pdf_unruled as U
from reportnlp.ingest.pdf_layout import Char


def line(text, x0, base, size=10.0, step=None, gaps=None):
    """Glyphs of one line; `gaps` maps an index to extra space before that glyph."""
    step = step or size
    out, x = [], x0
    for i, ch in enumerate(text):
        x += (gaps or {}).get(i, 0)
        out.append(Char(ch, x, x + step, base, size))
        x += step
    return out


def test_join_text_keeps_numbers_whole_and_words_apart():
    assert L.join_text("共公开信息1", "41件") == "共公开信息141件"
    assert L.join_text("政府", "信息") == "政府信息"
    assert L.join_text("Page", "four") == "Page four"


def test_page_number_patterns():
    for s in ("— 3 —", "- 3 -", "第 3 页 共 8 页", "第3页", "3 / 8", "P. 4", "Page 4", "12", "共8页第3页"):
        assert L.PAGE_NUMBER.match(s), s
    for s in ("2023年", "一、总体情况", "3件"):
        assert not L.PAGE_NUMBER.match(s), s


def test_group_lines_and_segments():
    chars = line("信息内容", 50, 100) + line("12", 200, 100.8) + line("规章", 50, 120)
    lines = L.group_lines(chars)
    assert [ln.text for ln in lines] == ["信息内容12", "规章"]
    assert [s.text for s in lines[0].segments] == ["信息内容", "12"]
    assert lines[0].numeric_count == 1


def test_running_header_and_page_numbers_removed_but_title_kept():
    h = 800.0
    pages = []
    for n in range(1, 4):
        chars = line("某局年度报告", 50, 40, size=9) + line(f"— {n} —", 280, 780, size=9)
        chars += line("正文第一段。", 50, 300)
        if n == 1:
            chars += line("某局年度报告", 100, 90, size=16)  # the title, in the margin band, bigger
        pages.append(L.group_lines(chars))
    out = L.strip_artefacts(pages, [h] * 3)
    assert [ln.text for ln in out[0]] == ["某局年度报告", "正文第一段。"]
    assert out[0][0].size == 16
    assert all([ln.text for ln in p] == ["正文第一段。"] for p in out[1:])


def test_paragraph_rejoin():
    # indented first line, full lines, a short last line; then a new indented paragraph
    chars = line("一二三四五六七八", 70, 100) + line("九十一二三四五六七八", 50, 118) + line("完。", 50, 136)
    chars += line("第二段开始了啊", 70, 154) + line("结束。", 50, 172)
    lines = L.group_lines(chars)
    paras = L.paragraphs(lines, 50, 150)
    assert [p.text for p in paras] == ["一二三四五六七八九十一二三四五六七八完。", "第二段开始了啊结束。"]


def test_number_at_line_end_is_not_split():
    chars = line("全年公开信息14", 50, 100, step=10) + line("1件。", 50, 118)
    paras = L.paragraphs(L.group_lines(chars), 50, 130)
    assert [p.text for p in paras] == ["全年公开信息141件。"]


def test_ruled_grid_merged_cells():
    # 3 columns x 2 rows; the first cell spans two rows, the top right two columns
    cells = [(0, 0, 10, 20), (10, 0, 30, 10), (10, 10, 20, 20), (20, 10, 30, 20)]
    chars = [Char("甲", 2, 6, 12, 4), Char("乙", 12, 16, 7, 4), Char("1", 12, 14, 17, 4), Char("2", 22, 24, 17, 4)]
    grid, origin, xs = L.ruled_grid(cells, chars)
    assert grid == [["甲", "乙", ""], ["", "1", "2"]]
    assert origin == [[True, True, False], [False, True, True]]
    assert xs == [0, 10, 20, 30]


def test_unruled_table_with_wrapped_label():
    # rows 19pt apart; a label wrapped onto a second line 10pt below its first
    size = 8.0
    chars = line("信息内容", 50, 100, size) + line("本年数", 200, 100, size) + line("总数", 260, 100, size)
    chars += line("行政规范性", 50, 119, size) + line("3", 200, 119, size) + line("21", 260, 119, size)
    chars += line("文件", 50, 129, size)
    chars += line("规章", 50, 148, size) + line("0", 200, 148, size) + line("0", 260, 148, size)
    lines = L.group_lines(chars)
    regions = U.find_unruled_tables(lines)
    assert regions == [(0, 4)]
    grid, origin, xs = U.unruled_grid(lines)
    assert grid == [["信息内容", "本年数", "总数"], ["行政规范性文件", "3", "21"], ["规章", "0", "0"]]


def test_regrid_and_same_columns():
    xs, fine = [0, 10, 30], [0, 10, 20, 30]
    assert L.same_columns(xs, fine)
    assert not L.same_columns(xs, [0, 10, 40])
    grid, origin = L.regrid([["a", "b"]], [[True, True]], xs, fine)
    assert grid == [["a", "b", ""]] and origin == [[True, True, False]]


@given(st.lists(st.sampled_from("政府信息公开2023年，。、件条"), min_size=1, max_size=60),
       st.integers(min_value=3, max_value=20))
def test_rewrapping_any_text_gives_it_back(chars, width):
    """Whatever the line width, re-joined lines give the original string (no spaces, nothing lost)."""
    text = "".join(chars)
    glyphs = []
    for i in range(0, len(text), width):
        glyphs += line(text[i:i + width], 50, 100 + 18 * (i // width))
    paras = L.paragraphs(L.group_lines(glyphs), 50, 50 + 10 * width)
    assert "".join(p.text for p in paras) == text
    assert len(paras) == 1


def test_fake_bold_glyphs_counted_once():
    chars = line("河西市", 50, 100)
    chars += [Char(c.text, c.x0 + 0.4, c.x1 + 0.4, c.base, c.size) for c in chars]  # overprinted
    chars += line("11", 200, 100)  # two real ones next to each other stay
    assert [ln.text for ln in L.group_lines(chars)] == ["河西市11"]


def test_unruled_centred_cells_labels_around_the_numbers():
    """Vertically centred cells: a 3-line label has its numbers on its middle line, a 2-line
    label has them between its lines; a caption with no numbers stays a row of its own."""
    size = 8.0
    chars = line("第二十条", 50, 80, size) + line("本年数", 200, 80, size) + line("总数", 260, 80, size)
    chars += line("三、本年", 50, 100, size)
    chars += line("度办理结", 50, 110, size) + line("2", 200, 110, size) + line("2", 260, 110, size)
    chars += line("果", 50, 120, size)
    chars += line("（二）部分", 50, 139, size)
    chars += line("4", 200, 144, size) + line("5", 260, 144, size)
    chars += line("公开", 50, 149, size)
    lines = L.group_lines(chars)
    assert U.find_unruled_tables(lines) == [(0, len(lines))]
    grid, origin, xs = U.unruled_grid(lines)
    assert grid == [["第二十条", "本年数", "总数"], ["三、本年度办理结果", "2", "2"], ["（二）部分公开", "4", "5"]]
