"""The standard tables of both formats as data (template.md §3–§5): the one home of template knowledge.

Row and column labels are the printed ones, with their numbering and nesting, as a
reviewer sees them in the PDF (the review page lays tables out from here). The
parser matches rows on compacted labels derived from them; the checks take the
identities' members from here too.
"""
from __future__ import annotations

import re

# --- Table 2: (caption, header labels, [(block key, row label)], fields) per version ----

T2_LAYOUT = {
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("regulations", "规章"), ("normative_documents", "行政规范性文件")],
         ["issued", "repealed", "in_force"]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可")], ["decisions"]),
        ("第二十条第（六）项", ["本年处理决定数量"],
         [("punishment", "行政处罚"), ("coercion", "行政强制")], ["decisions"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费")], ["amount_10k_yuan"]),
    ],
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("regulations", "规章"), ("normative_documents", "规范性文件")],
         ["new_made", "new_published", "total_published"]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         ["prev_items", "delta", "decisions"]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("punishment", "行政处罚"), ("coercion", "行政强制")], ["prev_items", "delta", "decisions"]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")], ["prev_items", "delta"]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("procurement", "政府集中采购")], ["items", "amount"]),
    ],
}
# the same rows under the other version's label ("规范性文件" in 2021 reports, and back)
T2_ALIASES = {"normative_documents": ["行政规范性文件", "规范性文件"]}
# fields that may be negative (v2019 本年增/减) or decimal (money)
T2_SIGNED = {"delta"}
T2_DECIMAL = {"amount_10k_yuan", "amount"}

# --- Table 3: columns, and rows with their nesting level (key None: a group header) ----

T3_COLUMNS = [
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
]
SUBTOTAL_COL = "legal_person_subtotal"
T3_SUBTOTAL = (SUBTOTAL_COL, "小计")  # added by some local reports (template.md §4.1)

_T3_HEAD = [
    ("new_received", "一、本年新收政府信息公开申请数量", 0),
    ("carried_over", "二、上年结转政府信息公开申请数量", 0),
    (None, "三、本年度办理结果", 0),
    ("granted", "（一）予以公开", 1),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    (None, "（三）不予公开", 1),
    ("denied_state_secret", "1.属于国家秘密", 2),
    ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", 2),
    ("denied_three_security", "3.危及“三安全一稳定”", 2),
    ("denied_third_party", "4.保护第三方合法权益", 2),
    ("denied_internal_affairs", "5.属于三类内部事务信息", 2),
    ("denied_process_info", "6.属于四类过程性信息", 2),
    ("denied_enforcement_files", "7.属于行政执法案卷", 2),
    ("denied_query_matters", "8.属于行政查询事项", 2),
    (None, "（四）无法提供", 1),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", 2),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作", 2),
    ("unavailable_unclear", "3.补正后申请内容仍不明确", 2),
    (None, "（五）不予处理", 1),
    ("unprocessed_petition", "1.信访举报投诉类申请", 2),
    ("unprocessed_duplicate", "2.重复申请", 2),
    ("unprocessed_publication", "3.要求提供公开出版物", 2),
    ("unprocessed_excessive", "4.无正当理由大量反复申请", 2),
    ("unprocessed_confirmation", "5.要求行政机关确认或重新出具已获取信息", 2),
]
_T3_TAIL = [
    ("results_total", "（七）总计", 1),
    ("carried_forward", "四、结转下年度继续办理", 0),
]
T3_LAYOUT = {
    "2021": _T3_HEAD + [
        (None, "（六）其他处理", 1),
        ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
        ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
        ("other_other", "3.其他", 2),
    ] + _T3_TAIL,
    "2019": _T3_HEAD + [("other_total", "（六）其他处理", 1)] + _T3_TAIL,
}

# --- Table 4: three blocks of five ------------------------------------------------

T4_BLOCK_LABELS = [
    ("review", "行政复议", ""),
    ("litigation_direct", "行政诉讼", "未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼", "复议后起诉"),
]
T4_FIELD_LABELS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]


# version markers (template.md §1.1), matched on compact text
T2_MARKERS = {
    "2021": ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"],
    "2019": ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减",
             "第二十条第九项", "政府集中采购", "采购总金额", "其他对外管理服务事项"],
}
T3_MARKERS_2021 = ["申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用"]
LEGACY_MARKERS = ["概述", "依申请公开政府信息情况", "收费及减免", "咨询处理情况", "申诉"]

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）][、.]?|\d{1,2}[.、．](?!\d))"
)
_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】,，、.。:：;；!！?？/／\-—_]")


def compact(label: str) -> str:
    """Compact form of a label: numbering, spaces, punctuation and quotes removed."""
    s = label.strip()
    for _ in range(3):
        s2 = _NUMBERING.sub("", s.strip())
        if s2 == s:
            break
        s = s2
    return _PUNCT.sub("", s)


def compact_cells(cells: list[str]) -> str:
    return "".join(compact(c) for c in cells if c.strip())

# --- derived views --------------------------------------------------------------------

T3_COLS = [k for k, _ in T3_COLUMNS]
T3_ORG_COLS = ["commercial", "research", "public_welfare", "legal_service", "other_org"]
T3_APPLICANT_COLS = T3_COLS[:6]
T4_BLOCKS = [k for k, _, _ in T4_BLOCK_LABELS]
T4_FIELDS = [k for k, _ in T4_FIELD_LABELS]


def match_label(printed: str) -> str:
    """What a row label must contain to match: compacted, without its explanatory note.

    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" matches on "部分公开", because
    reports print the note in many ways or drop it.
    """
    return compact(re.sub(r"[（(][^（()）]*[)）]\s*$", "", printed))


# (key, match label) in template order, per version
T3_ROWS = {v: [(k, match_label(lab)) for k, lab, _ in rows if k] for v, rows in T3_LAYOUT.items()}
T3_OUTCOME_ROWS = {
    v: [k for k, _ in rows if k not in ("new_received", "carried_over", "results_total", "carried_forward")]
    for v, rows in T3_ROWS.items()
}
# Table 2: block key -> (row labels (compact), fields), per version
T2_BLOCKS = {
    v: {block: ([compact(x) for x in T2_ALIASES.get(block, [label])] if v == "2021"
                else [compact(x) for x in reversed(T2_ALIASES.get(block, [label]))], fields)
        for _, _, rows, fields in layout for block, label in rows}
    for v, layout in T2_LAYOUT.items()
}
