#!/usr/bin/env python3
"""Render the bundled sample corpus from its structured sources.

Each invented report is written once, as `corpora/samples/sources/<name>.json`
(format: corpora/samples/README.md). This script renders every source to

    corpora/samples/<name>.txt        flattened like a PDF text extractor, in the
                                      source's text encoding
    corpora/samples/<name>.html       a government web page with real <table> grids
    corpora/samples/<name>.gold.json  the answers, tables computed from the same data

so the numbers can never disagree between formats.

usage: make_samples.py [--check] [NAME ...]
  --check  write nothing; exit 1 and list the files that differ from a fresh render
"""
from __future__ import annotations

import html
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
SOURCES = SAMPLES / "sources"

# ---------------------------------------------------------------- template data

T3_COLS = ("natural_person", "commercial", "research", "public_welfare",
           "legal_service", "other_org", "total")

# (key, level-0 group, level-1 group, level-2 label); None = no label at that level.
# Group labels are written once, on the first row of their group.
_T3_2021 = [
    ("new_received", "一、本年新收政府信息公开申请数量", None, None),
    ("carried_over", "二、上年结转政府信息公开申请数量", None, None),
    ("granted", "三、本年度办理结果", "（一）予以公开", None),
    ("partially_granted", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("denied_state_secret", None, "（三）不予公开", "1.属于国家秘密"),
    ("denied_prohibited_by_law", None, None, "2.其他法律行政法规禁止公开"),
    ("denied_three_security", None, None, "3.危及“三安全一稳定”"),
    ("denied_third_party", None, None, "4.保护第三方合法权益"),
    ("denied_internal_affairs", None, None, "5.属于三类内部事务信息"),
    ("denied_process_info", None, None, "6.属于四类过程性信息"),
    ("denied_enforcement_files", None, None, "7.属于行政执法案卷"),
    ("denied_query_matters", None, None, "8.属于行政查询事项"),
    ("unavailable_not_held", None, "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", None, None, "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", None, None, "3.补正后申请内容仍不明确"),
    ("unprocessed_petition", None, "（五）不予处理", "1.信访举报投诉类申请"),
    ("unprocessed_duplicate", None, None, "2.重复申请"),
    ("unprocessed_publication", None, None, "3.要求提供公开出版物"),
    ("unprocessed_excessive", None, None, "4.无正当理由大量反复申请"),
    ("unprocessed_confirmation", None, None, "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", None, "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", None, None,
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", None, None, "3.其他"),
    ("results_total", None, "（七）总计", None),
    ("carried_forward", "四、结转下年度继续办理", None, None),
]
_T3_2019 = [r for r in _T3_2021 if not r[0].startswith("other_")]
_T3_2019.insert(20, ("other_total", None, "（六）其他处理", None))
T3_ROWS = {"2021": _T3_2021, "2019": _T3_2019}

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

T4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
T4_FIELDS = ("upheld", "corrected", "other", "pending", "total")
T4_LEAVES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# Table 2: sub-tables in order: (caption, header cells, [(row key, label)], field keys)
T2_SPEC = {
    "2021": [
        ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
         [("regulations", "规章"), ("normative_documents", "行政规范性文件")],
         ("issued", "repealed", "in_force")),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"],
         [("licensing", "行政许可")], ("decisions",)),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
         [("punishment", "行政处罚"), ("coercion", "行政强制")], ("decisions",)),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"],
         [("fees", "行政事业性收费")], ("amount_10k_yuan",)),
    ],
    "2019": [
        ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("regulations", "规章"), ("normative_documents", "规范性文件")],
         ("new_made", "new_published", "total_published")),
        ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         ("prev_items", "delta", "decisions")),
        ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("punishment", "行政处罚"), ("coercion", "行政强制")],
         ("prev_items", "delta", "decisions")),
        ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
         [("fees", "行政事业性收费")], ("prev_items", "delta")),
        ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"],
         [("procurement", "政府集中采购")], ("items", "amount")),
    ],
}

NUM_RE = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SECTION_KEYS = ("overview", "active_disclosure", "requests", "review_litigation",
                "problems_improvements", "other")

# ---------------------------------------------------------------- cell values


def cell_value(raw):
    """A source cell -> (number or None, printed text). Strings that are not
    numbers ("", "/", "-", "—", "无") are blank/not-applicable cells."""
    if isinstance(raw, bool):
        raise ValueError(f"bad cell {raw!r}")
    if isinstance(raw, (int, float)):
        return raw, str(raw)
    if isinstance(raw, str) and NUM_RE.match(raw):
        v = float(raw)
        return (int(v) if "." not in raw else v), raw
    if isinstance(raw, str):
        return None, raw
    raise ValueError(f"bad cell {raw!r}")


def t3_data(src):
    """The t3 grid as {row: [7 or 8 printed cells]} plus the subtotal flag."""
    t3 = src["tables"]["t3"]
    version = src["template"]
    keys = [r[0] for r in T3_ROWS[version]]
    unknown = set(t3.get("rows", {})) - set(keys)
    if unknown:
        raise ValueError(f"{src['name']}: unknown t3 rows {sorted(unknown)}")
    rows = {k: list(t3.get("rows", {}).get(k, [0] * 7)) for k in keys}
    for k, cells in rows.items():
        if len(cells) == 6:                                # total left to the script
            nums = [cell_value(c)[0] for c in cells]
            cells.append(sum(nums) if None not in nums else "")
        if len(cells) != 7:
            raise ValueError(f"{src['name']}: t3 row {k} has {len(cells)} cells")
    subtotal = t3.get("legal_person_subtotal")
    if subtotal:
        for k, cells in rows.items():
            given = subtotal.get(k) if isinstance(subtotal, dict) else None
            if given is None:
                nums = [cell_value(c)[0] for c in cells[1:6]]
                given = sum(nums) if None not in nums else ""
            cells.insert(6, given)
    return rows, bool(subtotal)


def t2_data(src):
    t2 = src["tables"]["t2"]
    out = {}
    for _cap, _hdr, rows, fields in T2_SPEC[src["template"]]:
        for key, _label in rows:
            cells = t2.get(key, [0] * len(fields))
            if len(cells) != len(fields):
                raise ValueError(f"{src['name']}: t2 {key} needs {len(fields)} cells")
            out[key] = list(cells)
    return out


def t4_data(src):
    cells = src["tables"]["t4"]
    if len(cells) != 15:
        raise ValueError(f"{src['name']}: t4 needs 15 cells")
    return list(cells)


# ---------------------------------------------------------------- gold


def gold_tables(src):
    tables = {}
    have = src.get("tables") or {}
    if "t2" in have:
        t2, missing = {}, []
        data = t2_data(src)
        for _cap, hdr, rows, fields in T2_SPEC[src["template"]]:
            for key, _label in rows:
                block = {}
                for f, raw in zip(fields, data[key]):
                    v, text = cell_value(raw)
                    if v is None:
                        missing.append({"row": key, "col": f, "raw": text})
                    else:
                        block[f] = v
                if key == "procurement":
                    block["amount_unit"] = src["tables"].get("procurement_unit")
                t2[key] = block
        if missing:
            t2["missing"] = missing
        tables["t2"] = t2
    if "t3" in have:
        rows, subtotal = t3_data(src)
        cols = list(T3_COLS)
        if subtotal:
            cols.insert(6, "legal_person_subtotal")
        grid, missing = {}, []
        for key, cells in rows.items():
            row = {}
            for c, raw in zip(cols, cells):
                v, text = cell_value(raw)
                if v is None:
                    missing.append({"row": key, "col": c, "raw": text})
                else:
                    row[c] = v
            grid[key] = row
        t3 = {"rows": grid}
        if missing:
            t3["missing"] = missing
        tables["t3"] = t3
    if "t4" in have:
        t4, missing = {}, []
        cells = t4_data(src)
        for i, block in enumerate(T4_BLOCKS):
            t4[block] = {}
            for j, f in enumerate(T4_FIELDS):
                v, text = cell_value(cells[i * 5 + j])
                if v is None:
                    missing.append({"row": block, "col": f, "raw": text})
                else:
                    t4[block][f] = v
        if missing:
            t4["missing"] = missing
        tables["t4"] = t4
    return tables


def section_text(src, key):
    """Simplified text of one section (its paragraphs), for validating annotations."""
    out, inside = [], False
    for b in src["body"]:
        if "h" in b:
            inside = b.get("key") == key
            continue
        if inside:
            for field in ("h2", "p"):
                if field in b:
                    out.append(b[field])
    return "\n".join(out)


def build_gold(src):
    ann = src["gold"]
    sections = [b["key"] for b in src["body"] if "h" in b and b.get("key")]
    subsections = [b["key"] for b in src["body"]
                   if ("h2" in b or "p" in b) and str(b.get("key", "")).startswith("overview.")]
    gold = {
        "about": (f"Gold answers for {src['name']} (.txt and .html render the same source, "
                  "sources/" + src["name"] + ".json). Generated by scripts/make_samples.py; "
                  "format in corpora/samples/README.md."),
        "meta": {
            "year": src["year"],
            "template": src["template"],
            "agency_contains": ann["agency_contains"],
            "script": src.get("script", "simplified"),
            "scope": src.get("scope", "agency"),
        },
        "sections": sections,
        "subsections": subsections,
        "quantities": ann.get("quantities", []),
        "media_outlets": ann.get("media_outlets", []),
        "tables": gold_tables(src),
        "statements": ann.get("statements", []),
    }
    failed = ann.get("failed_checks", [])
    if ann.get("checks", True):
        gold["checks_all_ok"] = not failed
        if failed:
            gold["failed_checks"] = failed
    if ann.get("says_no_review_litigation"):
        # the narrative says there was no review/litigation: X-3 compares it with t4
        gold["says_no_review_litigation"] = True
    if ann.get("warnings_contains"):
        gold["warnings_contains"] = ann["warnings_contains"]
    gold["files"] = {
        "txt": {"encoding": src["txt"]["encoding"]},
        "html": {"encoding": src["html"]["encoding"], "charset_label": src["html"]["charset"]},
    }
    validate(src, gold)
    return gold


def validate(src, gold):
    """Annotations must point at text that exists, in the right section."""
    name = src["name"]
    overview = section_text(src, "overview")
    five = section_text(src, "problems_improvements")
    # quantities are every count of the narrative (spec/output.md), in whichever section's prose
    prose = "\n".join(section_text(src, k) for k in
                      ("overview", "active_disclosure", "requests", "review_litigation",
                       "problems_improvements", "other"))
    for q in gold["quantities"]:
        if q.get("label_contains") and q["label_contains"] not in prose:
            raise ValueError(f"{name}: label {q['label_contains']!r} not in the report's prose")
        unit = q["unit"]
        if unit not in prose and unit != "篇次":
            raise ValueError(f"{name}: unit {unit!r} not in the report's prose")
        if "part_of" in q and not 0 <= q["part_of"] < len(gold["quantities"]):
            raise ValueError(f"{name}: bad part_of {q}")
    for m in gold["media_outlets"]:
        if m not in overview:
            raise ValueError(f"{name}: outlet {m!r} not in section 一")
    for s in gold["statements"]:
        if s["text_contains"] not in five:
            raise ValueError(f"{name}: statement {s['text_contains']!r} not in section 五")
        if s["kind"] not in ("problem", "improvement") or not s["themes"]:
            raise ValueError(f"{name}: bad statement {s}")
    for part in gold["meta"]["agency_contains"]:
        body = "\n".join(b.get("p", "") + b.get("h", "") for b in src["body"])
        if part not in src["title"] and part not in body:
            raise ValueError(f"{name}: agency part {part!r} nowhere in the report")
    if src.get("script") == "traditional":
        import opencc
        s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
        probes = ([q.get("label_contains") for q in gold["quantities"]]
                  + gold["media_outlets"] + [s["text_contains"] for s in gold["statements"]]
                  + gold["meta"]["agency_contains"])
        for p in filter(None, probes):
            if t2s.convert(s2t.convert(p)) != p:
                raise ValueError(f"{name}: {p!r} does not survive s2t -> t2s")


# ---------------------------------------------------------------- TXT rendering


def _brackets(label, style):
    """Table-label brackets as the PDF shows them: ASCII '(一) ' (seed) or full-width."""
    if style.get("label_brackets", "ascii") == "ascii":
        label = re.sub(r"^（([一二三四五六七])）", r"(\1) ", label)
        label = label.replace("（区分处理的，只计这一情形，不计其他情形）",
                              " (区分处理的, 只计这一情形, 不计其他情形)")
        label = re.sub(r"^(\d)\.", r"\1. ", label)
    return label


def t3_lines_tab(src, style):
    """Table 3 as the cell lists a PDF text extractor produces (cf. template.md §9 M1)."""
    rows, subtotal = t3_data(src)
    spec = T3_ROWS[src["template"]]
    quirks = style.get("t3_layout", "seed") == "seed"
    pad = [""] if subtotal else []
    header = [
        ["(" + T3_NOTE[1:-1] + ")" if style.get("label_brackets", "ascii") == "ascii" else T3_NOTE,
         "", "申请人情况", "", "", "", "", ""] + pad + ["总计", ""],
        ["", "", "自然人", "法人或其他组织", "", "", "", "", ""] + pad + [""],
        ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
        + (["小计"] if subtotal else []) + ["", ""],
    ]
    out = []
    for key, l0, l1, l2 in spec:
        cells = [cell_value(c)[1] for c in rows[key]]
        l1 = _brackets(l1, style) if l1 else l1
        l2 = _brackets(l2, style) if l2 else l2
        if l0 and not l1:                                  # 一、二、四、
            line = [l0, ""] + cells + [""]
        elif l0:                                           # 三、 + （一）
            line = [l0, l1] + cells + [""]
        elif l1 and not l2:                                # （二）（七） / 2019 （六）
            if key == "results_total" and quirks:
                line = [l1] + cells + ["", ""]
            else:
                line = ["", l1] + cells + [""]
        elif quirks and key == "unprocessed_confirmation":
            line = [l2, ""] + cells + [""]
        elif quirks and key.startswith("other_"):
            line = [l1 or "", l2] + cells + [""]
        else:                                              # level-2 rows
            line = ["", l1 or "", l2] + cells
        out.append((key, line))
    return header, out


def t2_lines_tab(src, style):
    data = t2_data(src)
    split = set(style.get("t2_split_caption", ["fees"]))
    lines = []
    for cap, hdr, rows, fields in T2_SPEC[src["template"]]:
        keys = [k for k, _ in rows]
        lines.append([cap, "", "", ""])
        if split & set(keys):
            lines.append(None)                             # page break after the caption
            hdr_cells = list(hdr)
            if src["template"] == "2019" and "procurement" in keys and src["tables"].get("procurement_header_unit"):
                hdr_cells[2] += "（" + src["tables"]["procurement_header_unit"] + "）"
            lines.append(hdr_cells)
            for k, label in rows:
                lines.append([label] + [cell_value(c)[1] for c in data[k]])
            continue
        hdr_cells = list(hdr) + [""] * (4 - len(hdr))
        if "procurement" in keys and src["tables"].get("procurement_header_unit"):
            hdr_cells[2] += "（" + src["tables"]["procurement_header_unit"] + "）"
        lines.append(hdr_cells)
        for k, label in rows:
            cells = [cell_value(c)[1] for c in data[k]]
            lines.append([label] + cells + [""] * (3 - len(cells)))
    return lines


def t4_lines_tab(src, style):
    cells = [cell_value(c)[1] for c in t4_data(src)]
    form = style.get("t4_header", "split")
    leaves = [lab[:2] + " " + lab[2:] if len(lab) == 4 else lab for lab in T4_LEAVES] \
        if form == "split" else list(T4_LEAVES)
    lines = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9]
    if form == "vertical":
        lines.append([""] * 5 + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""])
        labels = list(T4_LEAVES) * 3
        for i in range(4):
            lines.append([lab[i] if i < len(lab) else "" for lab in labels])
    else:
        lines.append(leaves + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""])
        lines.append([""] * 5 + leaves + leaves)
    if style.get("t4_values_split"):
        lines.append(cells[:5])
        lines.append(cells[5:])
    else:
        lines.append(cells)
    return lines


def join_cells(cells, mode):
    if mode == "space":
        return " ".join(c for c in cells if c)
    if mode == "pipe":
        out = ""
        for c in cells:
            out += (c + " | ") if c else "|"
        return out.rstrip()
    return "\t".join(cells)


def table_lines(src, which, style):
    mode = style.get("txt_tables", "tab")
    if which == "t2":
        return ["" if cells is None else join_cells(cells, mode) for cells in t2_lines_tab(src, style)]
    if which == "t4":
        return [join_cells(c, mode) for c in t4_lines_tab(src, style)]
    header, rows = t3_lines_tab(src, style)
    out = [join_cells(c, mode) for c in header]
    for key, cells in rows:
        if key == style.get("t3_break_before"):
            out.append("\f")                               # page break, header repeated
            out.extend(join_cells(c, mode) for c in header)
        out.append(join_cells(cells, mode))
    return out


def render_txt(src):
    style = src.get("style", {})
    lines = ["", src["title"], ""]
    for b in src["body"]:
        if "h" in b:
            lines.extend(b["h"].split("\n"))
        elif "h2" in b:
            lines.extend(b["h2"].split("\n"))
        elif "p" in b:
            lines.extend(b["p"].split("\n"))
        elif "table" in b:
            if b["table"] in src.get("tables", {}):
                lines.extend(table_lines(src, b["table"], style))
        elif "image" in b:
            if style.get("txt_image_marker"):
                lines.append(style["txt_image_marker"])
            else:
                continue
        else:
            raise ValueError(f"{src['name']}: unknown block {b}")
        lines.append("")
    lines = _paginate(lines, style)
    text = "\n".join(lines).rstrip("\n") + "\n"
    return _finish_text(text, src)


def _paginate(lines, style):
    """Insert page footers: every N lines and at forced breaks ("\f")."""
    foot = style.get("page_footer")
    every = style.get("page_lines", 0)
    if not foot:
        return [ln for ln in lines if ln != "\f"]
    pages, cur = [], []
    for ln in lines:
        if ln == "\f" or (every and len(cur) >= every):
            pages.append(cur)
            cur = []
            if ln == "\f":
                continue
        cur.append(ln)
    pages.append(cur)
    out = []
    for i, page in enumerate(pages, 1):
        out.extend(page)
        if foot == "dash":
            out.append(f"— {i} —")
        else:
            out.append(f"第 {i} 页 共 {len(pages)} 页")
    return out


def _finish_text(text, src, digits=True):
    style = src.get("style", {})
    if digits and style.get("fullwidth_digits"):
        text = text.translate(FULLWIDTH)
    if src.get("script") == "traditional":
        import opencc
        text = opencc.OpenCC(style.get("opencc", "s2t")).convert(text)
    return text


# ---------------------------------------------------------------- HTML rendering


def _td(text, rowspan=1, colspan=1, attrs=""):
    a = ""
    if rowspan > 1:
        a += f' rowspan="{rowspan}"'
    if colspan > 1:
        a += f' colspan="{colspan}"'
    return f"<td{a}{attrs}>{html.escape(str(text), quote=False)}</td>"


def html_t2(src):
    data = t2_data(src)
    out = ['<table class="xxgk-table" border="1" cellspacing="0" cellpadding="0" width="100%">', "<tbody>"]
    for cap, hdr, rows, fields in T2_SPEC[src["template"]]:
        out.append("<tr>" + _td(cap, colspan=4) + "</tr>")
        hdr = list(hdr)
        if "procurement" in [k for k, _ in rows] and src["tables"].get("procurement_header_unit"):
            hdr[2] += "（" + src["tables"]["procurement_header_unit"] + "）"
        cells = [_td(h) for h in hdr[:-1]] + [_td(hdr[-1], colspan=5 - len(hdr))]
        out.append("<tr>" + "".join(cells) + "</tr>")
        for k, label in rows:
            vals = [cell_value(c)[1] for c in data[k]]
            cells = [_td(label)] + [_td(v) for v in vals[:-1]] + [_td(vals[-1], colspan=4 - len(vals))]
            out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def html_t3(src, split_at=None):
    rows, subtotal = t3_data(src)
    spec = T3_ROWS[src["template"]]
    ncol = 8 if subtotal else 7
    head = [
        "<tr>" + _td(T3_NOTE, rowspan=3, colspan=3) + _td("申请人情况", colspan=ncol) + "</tr>",
        "<tr>" + _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=ncol - 2)
        + _td("总计", rowspan=2) + "</tr>",
        "<tr>" + "".join(_td(x) for x in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
                         + (["小计"] if subtotal else [])) + "</tr>",
    ]
    # rowspans of the group cells, counted over the spec
    keys = [r[0] for r in spec]
    group_len = {}
    for i, (key, l0, l1, l2) in enumerate(spec):
        if l0 and l1:
            group_len[key] = keys.index("results_total") - i + 1
        elif l1 and l2:
            n = 1
            while i + n < len(spec) and spec[i + n][1] is None and spec[i + n][2] is None and spec[i + n][3]:
                n += 1
            group_len[key] = n
    split_i = keys.index(split_at) if split_at else None
    if split_at and not spec[split_i][2]:
        raise ValueError(f"{src['name']}: t3 may only be split where a （…） group starts")
    body = []
    for i, (key, l0, l1, l2) in enumerate(spec):
        vals = "".join(_td(cell_value(c)[1]) for c in rows[key])
        if l0 and not l1:
            tr = _td(l0, colspan=3)
        elif l0:
            span = group_len[key]
            if split_i is not None and i < split_i < i + span:
                span = split_i - i                          # the part in the first table
            tr = _td(l0, rowspan=span) + _td(l1, colspan=2)
        elif l1 and not l2:
            tr = _td(l1, colspan=2)
        elif l1:
            tr = _td(l1, rowspan=group_len[key]) + _td(l2)
        else:
            tr = _td(l2)
        if i == split_i:
            # the second table continues the 三、本年度办理结果 column with an empty merged cell
            tr = _td("", rowspan=keys.index("results_total") - i + 1) + tr
        body.append((key, "<tr>" + tr + vals + "</tr>"))
    open_t = '<table class="xxgk-table" border="1" cellspacing="0" cellpadding="0" width="100%">\n<tbody>'
    out = [open_t] + head
    for key, tr in body:
        if key == split_at:
            # the CMS split the table in two; the second part has no header rows
            out += ["</tbody>", "</table>", "<p>　</p>", open_t]
        out.append(tr)
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def html_t4(src):
    vals = [cell_value(c)[1] for c in t4_data(src)]
    return "\n".join([
        '<table class="xxgk-table" border="1" cellspacing="0" cellpadding="0" width="100%">', "<tbody>",
        "<tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr>",
        "<tr>" + "".join(_td(x, rowspan=2) for x in T4_LEAVES)
        + _td("未经复议直接起诉", colspan=5) + _td("复议后起诉", colspan=5) + "</tr>",
        "<tr>" + "".join(_td(x) for x in T4_LEAVES * 2) + "</tr>",
        "<tr>" + "".join(_td(v) for v in vals) + "</tr>",
        "</tbody>", "</table>",
    ])


PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="{site}">
<meta name="ArticleTitle" content="{title_attr}">
<title>{title}_{site}</title>
<link rel="stylesheet" type="text/css" href="/static/css/common.css">
{script}</head>
<body>
<div class="topbar"><div class="w1200"><span>欢迎访问{site}网站</span><span class="right"><a href="/wza/">无障碍</a> | <a href="/zzms/">长者模式</a> | <a href="/login/">登录</a></span></div></div>
<div class="header"><div class="w1200"><div class="logo"><a href="/">{site}</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进{short}</a></li></ul>
<form class="search" action="/search/"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form></div></div>
<div class="crumb w1200">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgknb/">政府信息公开年报</a></div>
<div class="article w1200">
<table class="xxgk-meta" width="100%"><tr><td>索引号：{index_no}</td><td>发布机构：{publisher}</td></tr><tr><td>发布日期：{date}</td><td>主题分类：政务公开</td></tr></table>
<h1 class="article-title">{title}</h1>
<div class="article-info">发布时间：{date}　来源：{publisher}　浏览次数：<span id="hits">0</span>　字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</div>
<div class="article-content" id="zoom">
"""

PAGE_FOOT = """</div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related w1200"><h3>相关链接</h3><ul><li><a href="/zwgk/xxgknb/">政府信息公开年报</a></li><li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li><li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li></ul></div>
<div class="footer"><div class="w1200">
<p>主办：{site}办公室　承办：{short}政务服务数据管理局</p>
<p>网站标识码：{site_code}　<a href="https://beian.miit.gov.cn/">{icp}</a>　{police}</p>
<p>地址：{address}　联系电话：{phone}</p>
</div></div>
</body>
</html>
"""

SCRIPT = """<script type="text/javascript">
var _hits = 0;
function doZoom(size) {{ document.getElementById('zoom').style.fontSize = size + 'px'; }}
window.onload = function () {{
  var el = document.getElementById('hits');
  if (el) {{ el.innerHTML = '{hits}'; }}
  // 页面统计：本页浏览量
}};
</script>
"""


def render_html(src):
    style = src.get("style", {})
    page = src["html"]
    inline = style.get("html_inline_styles", False)
    p_attr = ' style="text-indent:2em;line-height:2em;font-family:仿宋_GB2312;font-size:16pt;"' if inline \
        else ' style="text-indent:2em;"'
    h_attr = ' style="text-indent:2em;font-family:黑体;font-size:16pt;"' if inline else ""
    body = []
    for b in src["body"]:
        if "h" in b:
            text = "<br/>".join(html.escape(x, quote=False) for x in b["h"].split("\n"))
            body.append(f"<p{h_attr}><strong>{text}</strong></p>")
        elif "h2" in b:
            text = "<br/>".join(html.escape(x, quote=False) for x in b["h2"].split("\n"))
            body.append(f"<p{p_attr}><strong>{text}</strong></p>")
        elif "p" in b:
            for para in b["p"].split("\n"):
                body.append(f"<p{p_attr}>{html.escape(para, quote=False)}</p>")
        elif "table" in b:
            which = b["table"]
            if which not in src.get("tables", {}):
                continue
            if which == "t2":
                body.append(html_t2(src))
            elif which == "t3":
                body.append(html_t3(src, style.get("html_t3_split_at")))
            else:
                body.append(html_t4(src))
        elif "image" in b:
            body.append(f'<p style="text-align:center;"><img src="/uploads/{src["name"]}-{b["image"]}.png" '
                        f'alt="" width="600"></p>')
    label = page["charset"]
    if page.get("charset_form") == "http-equiv":
        charset = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    else:
        charset = f'<meta charset="{label}">'
    fields = dict(
        charset=charset, site=page["site"], short=page.get("short", page["site"][:2]),
        title=html.escape(src["title"].replace("\n", ""), quote=False),
        title_attr=html.escape(src["title"].replace("\n", "")),
        script=SCRIPT.format(hits=page.get("hits", 100)) if style.get("html_script") else "",
        index_no=page.get("index_no", ""), publisher=page.get("publisher", src["agency"]),
        date=page.get("date", f"{src['year'] + 1}-01-20"),
        site_code=page.get("site_code", ""), icp=page.get("icp", ""), police=page.get("police", ""),
        address=page.get("address", ""), phone=page.get("phone", ""),
    )
    content = "\n".join(body)
    if style.get("fullwidth_digits"):
        # the article was pasted from Word: digits in its text are full-width, markup is not
        content = re.sub(r">([^<]+)<", lambda m: ">" + m.group(1).translate(FULLWIDTH) + "<", content)
    text = PAGE_HEAD.format(**fields) + content + "\n" + PAGE_FOOT.format(**fields)
    return _finish_text(text, src, digits=False)


# ---------------------------------------------------------------- driver


def load_sources(names=None):
    out = []
    for path in sorted(SOURCES.glob("*.json")):
        src = json.loads(path.read_text(encoding="utf-8"))
        if src["name"] != path.stem:
            raise ValueError(f"{path}: name {src['name']!r} differs from the file name")
        if names and src["name"] not in names:
            continue
        out.append(src)
    return out


def render(src):
    """{file name: bytes} for one source."""
    txt = render_txt(src).encode(src["txt"]["encoding"])
    page = render_html(src).encode(src["html"]["encoding"])
    gold = json.dumps(build_gold(src), ensure_ascii=False, indent=1) + "\n"
    return {
        f"{src['name']}.txt": txt,
        f"{src['name']}.html": page,
        f"{src['name']}.gold.json": gold.encode("utf-8"),
    }


def main(argv):
    check = "--check" in argv
    names = [a for a in argv if not a.startswith("--")]
    differ = []
    for src in load_sources(names):
        for fname, data in render(src).items():
            path = SAMPLES / fname
            if check:
                if not path.exists() or path.read_bytes() != data:
                    differ.append(fname)
            else:
                path.write_bytes(data)
    if check and differ:
        print("differs from a fresh render: " + ", ".join(differ))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
