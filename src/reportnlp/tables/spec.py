"""The standard tables of both formats as data (template.md §3–§5).

Everything the parser and the checks know about the template lives here: row
labels and their keys, column keys, version markers, identities' members.
"""
from __future__ import annotations

import re

T3_COLS = ["natural_person", "commercial", "research", "public_welfare", "legal_service", "other_org", "total"]
T3_ORG_COLS = ["commercial", "research", "public_welfare", "legal_service", "other_org"]
T3_APPLICANT_COLS = T3_COLS[:6]
SUBTOTAL_COL = "legal_person_subtotal"

# (key, compact label) in template order; compact = no numbering, spaces or punctuation
_T3_HEAD = [
    ("new_received", "本年新收政府信息公开申请数量"),
    ("carried_over", "上年结转政府信息公开申请数量"),
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("denied_state_secret", "属于国家秘密"),
    ("denied_prohibited_by_law", "其他法律行政法规禁止公开"),
    ("denied_three_security", "危及三安全一稳定"),
    ("denied_third_party", "保护第三方合法权益"),
    ("denied_internal_affairs", "属于三类内部事务信息"),
    ("denied_process_info", "属于四类过程性信息"),
    ("denied_enforcement_files", "属于行政执法案卷"),
    ("denied_query_matters", "属于行政查询事项"),
    ("unavailable_not_held", "本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "没有现成信息需要另行制作"),
    ("unavailable_unclear", "补正后申请内容仍不明确"),
    ("unprocessed_petition", "信访举报投诉类申请"),
    ("unprocessed_duplicate", "重复申请"),
    ("unprocessed_publication", "要求提供公开出版物"),
    ("unprocessed_excessive", "无正当理由大量反复申请"),
    ("unprocessed_confirmation", "要求行政机关确认或重新出具已获取信息"),
]
_T3_TAIL = [
    ("results_total", "总计"),
    ("carried_forward", "结转下年度继续办理"),
]
T3_ROWS = {
    "2021": _T3_HEAD + [
        ("other_no_correction", "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请"),
        ("other_no_fee", "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"),
        ("other_other", "其他"),
    ] + _T3_TAIL,
    "2019": _T3_HEAD + [("other_total", "其他处理")] + _T3_TAIL,
}
T3_OUTCOME_ROWS = {
    v: [k for k, _ in rows if k not in ("new_received", "carried_over", "results_total", "carried_forward")]
    for v, rows in T3_ROWS.items()
}

# Table 2: block key -> (row labels (compact), fields); per version
T2_BLOCKS = {
    "2021": {
        "regulations": (["规章"], ["issued", "repealed", "in_force"]),
        "normative_documents": (["行政规范性文件", "规范性文件"], ["issued", "repealed", "in_force"]),
        "licensing": (["行政许可"], ["decisions"]),
        "punishment": (["行政处罚"], ["decisions"]),
        "coercion": (["行政强制"], ["decisions"]),
        "fees": (["行政事业性收费"], ["amount_10k_yuan"]),
    },
    "2019": {
        "regulations": (["规章"], ["new_made", "new_published", "total_published"]),
        "normative_documents": (["规范性文件", "行政规范性文件"], ["new_made", "new_published", "total_published"]),
        "licensing": (["行政许可"], ["prev_items", "delta", "decisions"]),
        "other_services": (["其他对外管理服务事项"], ["prev_items", "delta", "decisions"]),
        "punishment": (["行政处罚"], ["prev_items", "delta", "decisions"]),
        "coercion": (["行政强制"], ["prev_items", "delta", "decisions"]),
        "fees": (["行政事业性收费"], ["prev_items", "delta"]),
        "procurement": (["政府集中采购"], ["items", "amount"]),
    },
}
# fields that may be negative (v2019 本年增/减) or decimal (money)
T2_SIGNED = {"delta"}
T2_DECIMAL = {"amount_10k_yuan", "amount"}

T4_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
T4_FIELDS = ["upheld", "corrected", "other", "pending", "total"]

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
