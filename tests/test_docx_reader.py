"""DOCX reader: body order, merged cells (gridSpan, vMerge) expanded, bad containers refused."""
from __future__ import annotations

import zipfile

import pytest

from reportnlp.errors import ReportError
from reportnlp.ingest import read
from reportnlp.ingest.docx import read_docx


def make_docx(path):
    import docx

    d = docx.Document()
    d.add_paragraph("某局2023年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(1, 1)).text = "合并"      # 2x2 block
    t.cell(0, 2).merge(t.cell(0, 3)).text = "申请人情况"  # across
    t.cell(1, 2).text = "自然人"
    t.cell(1, 3).text = "总计"
    for c, v in enumerate(["一、本年新收", "", "2", "2"]):
        t.cell(2, c).text = v
    d.add_paragraph("二、主动公开政府信息情况")
    d.save(str(path))


def test_body_order_and_merged_cells(tmp_path):
    p = tmp_path / "r.docx"
    make_docx(p)
    doc = read_docx(str(p))
    assert [b.kind for b in doc.blocks] == ["text", "text", "table", "text"]
    t = doc.blocks[2]
    assert t.grid == [["合并", "", "申请人情况", ""], ["", "", "自然人", "总计"], ["一、本年新收", "", "2", "2"]]
    assert t.origin == [[True, False, True, False], [False, False, True, True], [True, True, True, True]]
    assert doc.format == "docx" and len(doc.sha256) == 64


def test_renamed_zip_is_refused(tmp_path):
    p = tmp_path / "fake.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "not a document")
    with pytest.raises(ReportError) as e:
        read(p)
    assert e.value.code == "E006" and "word/document.xml" in str(e.value) and str(p) in str(e.value)


def test_ole_doc_is_refused(tmp_path):
    p = tmp_path / "old.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ReportError) as e:
        read_docx(str(p))
    assert e.value.code == "E003"


def test_broken_zip_is_refused(tmp_path):
    p = tmp_path / "cut.docx"
    good = tmp_path / "good.docx"
    make_docx(good)
    p.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ReportError) as e:
        read_docx(str(p))
    assert e.value.code == "E006"


def test_layout_table_is_unwrapped(tmp_path):
    """A report typed into one big table cell (with the data table nested inside) reads as body."""
    import docx

    d = docx.Document()
    outer = d.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "某局2023年政府信息公开工作年度报告"
    cell.add_paragraph("一、总体情况" + "本年度公开信息。" * 40)
    inner = cell.add_table(rows=2, cols=2)
    for r, row in enumerate([["信息内容", "本年制发件数"], ["规章", "0"]]):
        for c, v in enumerate(row):
            inner.cell(r, c).text = v
    cell.add_paragraph("二、主动公开政府信息情况")
    p = tmp_path / "layout.docx"
    d.save(str(p))
    blocks = read_docx(str(p)).blocks
    assert [b.kind for b in blocks] == ["text", "text", "table", "text"]
    assert blocks[2].grid == [["信息内容", "本年制发件数"], ["规章", "0"]]


def test_automatic_numbering_is_written_out(tmp_path):
    """Headings numbered by Word ("一、", "（一）") get their numbers back, counters reset per level."""
    import docx
    from docx.oxml import parse_xml

    from reportnlp.ingest.docx_numbering import chinese_count

    d = docx.Document()
    numbering = d.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.append(parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text, level):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("总体情况", 0)
    numbered("主动公开政府信息情况", 1)
    numbered("依申请公开政府信息情况", 1)
    numbered("主动公开政府信息情况", 0)
    numbered("第一项", 1)
    path = tmp_path / "num.docx"
    d.save(str(path))
    texts = [b.text for b in read_docx(str(path)).blocks]
    assert texts == ["一、总体情况", "（一）主动公开政府信息情况", "（二）依申请公开政府信息情况",
                     "二、主动公开政府信息情况", "（一）第一项"]
    assert [chinese_count(n) for n in (1, 10, 11, 20, 25)] == ["一", "十", "十一", "二十", "二十五"]
