"""Ingest of text and HTML: encodings detected, tables as grids, bad files named with a reason."""
from __future__ import annotations

import codecs

import pytest

import reportnlp
from reportnlp.errors import ReportError
from reportnlp.ingest import read
from reportnlp.ingest.html import read_html

from conftest import report_text, t3_values

TEXT = report_text(t3_values(1))


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("gbk", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("big5", b""),
])
def test_text_encodings_detected(tmp_path, encoding, prefix):
    text = TEXT
    if encoding == "big5":
        import opencc

        text = opencc.OpenCC("s2tw").convert(TEXT)  # Big5 holds Taiwan-standard traditional characters
    p = tmp_path / "r.txt"
    p.write_bytes(prefix + text.encode(encoding))
    r = reportnlp.extract(p)
    assert r.meta.agency == "临川县市场监督管理局"
    assert r.tables["t3"]["rows"]["new_received"]["total"] == t3_values(1)["new_received"][6]
    assert r.meta.script == ("traditional" if encoding == "big5" else "simplified")


def _html(body: str, charset: str = "utf-8") -> bytes:
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>报告</title><script>var x='一、总体情况';</script></head><body>"
            '<div class="nav">首页 | 政务公开 | 年度报告</div>'
            f'<div class="article">{body}</div><div class="footer">版权所有 某某县人民政府</div></body></html>')
    return page.encode(charset)


def test_html_rowspan_colspan_grid_and_declared_charset(tmp_path):
    body = ("<h1>某县教育局2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>全年公开信息20条。</p>"
            "<table><tr><td rowspan='2'>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
            "<tr><td>甲</td><td>乙</td><td>丙</td></tr>"
            "<tr><td>行政许可</td><td colspan='3'>5</td></tr></table>")
    p = tmp_path / "r.html"
    p.write_bytes(_html(body, "gbk"))
    doc = read(p)
    assert doc.encoding in ("gb18030", "gbk")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert tables[0].grid == [["信息内容", "本年处理决定数量", "", ""], ["", "甲", "乙", "丙"], ["行政许可", "5", "", ""]]
    assert tables[0].origin[1][0] is False and tables[0].origin[0][0] is True
    text = "\n".join(b.text for b in doc.blocks if b.kind == "text")
    assert "var x" not in text and "版权所有" not in text and "首页" not in text
    assert "某县教育局2022年政府信息公开工作年度报告" in text


def test_html_report_equals_text_report(tmp_path):
    """The same report as a text file and as an HTML page gives the same tables and sections."""
    body = []
    table: list[str] = []
    for line in TEXT.split("\n"):
        if "\t" in line:
            table.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if table:
            body.append("<table>" + "".join(table) + "</table>")
            table = []
        if line.strip():
            body.append(f"<p>{line}</p>")
    p = tmp_path / "r.html"
    p.write_bytes(_html("".join(body)))
    h = reportnlp.extract(p)
    t = tmp_path / "r.txt"
    t.write_text(TEXT, encoding="utf-8")
    x = reportnlp.extract(t)
    assert without_spans(h.tables) == without_spans(x.tables)
    assert [(s.key, s.title) for s in h.sections] == [(s.key, s.title) for s in x.sections]
    assert h.meta == x.meta
    assert [c.rule for c in h.checks if not c.ok] == [c.rule for c in x.checks if not c.ok]


def without_spans(tables):
    """Evidence offsets differ between formats; the values must not."""
    return {t: {k: v for k, v in d.items() if k != "spans"} for t, d in tables.items()}


@pytest.mark.parametrize("name,data,code", [
    ("empty.txt", b"", "E002"),
    ("blank.txt", b"   \n\n  ", "E002"),
    ("junk.txt", bytes(range(256)) * 40, "E005"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "E003"),
    ("fake.pdf", b"this is not a pdf at all", "E006"),
    ("fake.docx", b"plain text pretending", "E006"),
])
def test_bad_files_give_one_line_errors(tmp_path, name, data, code):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ReportError) as e:
        reportnlp.extract(p)
    assert e.value.code == code
    msg = e.value.message
    assert "\n" not in msg and name in msg


def test_news_article_is_not_a_report(tmp_path):
    body = ("<h1>我县召开春季农业生产现场会</h1><p>3月15日，我县在城关镇召开春季农业生产现场会，"
            "部署春耕备耕工作。会议要求各乡镇抓好农资供应和技术指导。</p>" * 3)
    p = tmp_path / "news.html"
    p.write_bytes(_html(body))
    with pytest.raises(ReportError) as e:
        reportnlp.extract(p)
    assert e.value.code == "E011"


def test_missing_file(tmp_path):
    with pytest.raises(ReportError) as e:
        reportnlp.extract(tmp_path / "nope.txt")
    assert e.value.code == "E001"


def test_read_html_survives_garbage_markup(tmp_path):
    data = b"<html><body><table><tr><td rowspan='x' colspan='999999'>\xe6\x94\xbf</td></tr></table>" \
           b"<p>" + "政府信息公开工作年度报告".encode() + b"</p></body></html>"
    doc = read_html(str(tmp_path / "g.html"), data)
    assert doc.blocks
