"""How the review page lays out tables 2-4: the official captions, labels and nesting.

The keys are the contract's (spec/output.md); the labels are the printed ones
(template.md §3-§5), with their numbering, because a reviewer compares the page
with the PDF. Value types say what a correction may write into a cell.
"""
from __future__ import annotations

# --- Table 2: (caption, header labels, [(block key, row label)], fields) ----------

T2 = {
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
T2_SIGNED = {"delta"}  # v2019 本年增/减 may be negative
T2_DECIMAL = {"amount_10k_yuan", "amount"}  # money

# --- Table 3: columns and rows (key None = a group header without numbers) --------

T3_COLS = [
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
]
T3_ORG_COLS = ("commercial", "research", "public_welfare", "legal_service", "other_org")
T3_SUBTOTAL = ("legal_person_subtotal", "小计")  # added by some local reports

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
T3_ROWS = {
    "2021": _T3_HEAD + [
        (None, "（六）其他处理", 1),
        ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
        ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
        ("other_other", "3.其他", 2),
    ] + _T3_TAIL,
    "2019": _T3_HEAD + [("other_total", "（六）其他处理", 1)] + _T3_TAIL,
}

# --- Table 4: three blocks of five ------------------------------------------------

T4_BLOCKS = [
    ("review", "行政复议", ""),
    ("litigation_direct", "行政诉讼", "未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼", "复议后起诉"),
]
T4_FIELDS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]


def version(report: dict, table: str) -> str:
    """'2019' or '2021': the table's own template if the parser recorded one, else the report's."""
    t = (report.get("tables") or {}).get(table) or {}
    v = str(t.get("template") or (report.get("meta") or {}).get("template") or "2021")
    return "2019" if v == "2019" else "2021"


def t2_fields(ver: str) -> dict[str, list[str]]:
    return {block: fields for _, _, rows, fields in T2[ver] for block, _ in rows}


def t3_row_keys(ver: str) -> list[str]:
    return [k for k, _, _ in T3_ROWS[ver] if k]


def t3_col_keys() -> list[str]:
    return [k for k, _ in T3_COLS] + [T3_SUBTOTAL[0]]
