"""Shared fixtures: where the seed lives, and builders for report text in the shapes real reports take."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "jiyuan-justice-2023.txt"
SEED_GOLD = SHARED / "seed" / "jiyuan-justice-2023.gold.json"
SCORE = SHARED / "tools" / "score.py"
SAMPLES = ROOT / "corpora" / "samples"


def need_shared():
    if not SEED.exists():
        pytest.skip("../shared is absent (the seed report is third-party and not in this repo)")


def score(report_json: Path, gold: Path, only: str) -> tuple[int, str]:
    """Run ../shared/tools/score.py; returns (exit code, output)."""
    p = subprocess.run([sys.executable, str(SCORE), str(report_json), str(gold), f"--only={only}"],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


# The standard Table 3 row labels (exact terms of the national format), 2021 version.
T3_LABELS_2021 = [
    ("new_received", ["一、本年新收政府信息公开申请数量"]),
    ("carried_over", ["二、上年结转政府信息公开申请数量"]),
    ("granted", ["三、本年度办理结果", "（一）予以公开"]),
    ("partially_granted", ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("denied_state_secret", ["", "（三）不予公开", "1.属于国家秘密"]),
    ("denied_prohibited_by_law", ["", "", "2.其他法律行政法规禁止公开"]),
    ("denied_three_security", ["", "", "3.危及“三安全一稳定”"]),
    ("denied_third_party", ["", "", "4.保护第三方合法权益"]),
    ("denied_internal_affairs", ["", "", "5.属于三类内部事务信息"]),
    ("denied_process_info", ["", "", "6.属于四类过程性信息"]),
    ("denied_enforcement_files", ["", "", "7.属于行政执法案卷"]),
    ("denied_query_matters", ["", "", "8.属于行政查询事项"]),
    ("unavailable_not_held", ["", "（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("unavailable_needs_creation", ["", "", "2.没有现成信息需要另行制作"]),
    ("unavailable_unclear", ["", "", "3.补正后申请内容仍不明确"]),
    ("unprocessed_petition", ["", "（五）不予处理", "1.信访举报投诉类申请"]),
    ("unprocessed_duplicate", ["", "", "2.重复申请"]),
    ("unprocessed_publication", ["", "", "3.要求提供公开出版物"]),
    ("unprocessed_excessive", ["", "", "4.无正当理由大量反复申请"]),
    ("unprocessed_confirmation", ["", "", "5.要求行政机关确认或重新出具已获取信息"]),
    ("other_no_correction", ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
    ("other_no_fee", ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    ("other_other", ["", "", "3.其他"]),
    ("results_total", ["", "（七）总计"]),
    ("carried_forward", ["四、结转下年度继续办理"]),
]


def t3_values(seed: int = 0) -> dict[str, list[int]]:
    """A consistent Table 3 (every identity holds) with some non-zero cells."""
    import random

    rnd = random.Random(seed)
    rows = {k: [0] * 6 for k, _ in T3_LABELS_2021}
    outcome = [k for k, _ in T3_LABELS_2021 if k not in ("new_received", "carried_over", "results_total", "carried_forward")]
    for c in range(6):
        n = rnd.choice([0, 1, 2, 5, 9]) if c in (0, 1, 5) else rnd.choice([0, 0, 1])
        carried = rnd.choice([0, 0, 1])
        rows["new_received"][c] = n
        rows["carried_over"][c] = carried
        left = n + carried
        fwd = rnd.choice([0, min(1, left)])
        rows["carried_forward"][c] = fwd
        left -= fwd
        rows["results_total"][c] = left
        while left:
            k = rnd.choice(outcome[:6] + ["granted", "granted"])
            rows[k][c] += 1
            left -= 1
    return {k: v + [sum(v)] for k, v in rows.items()}


def t3_text(values: dict[str, list], layout: str = "shifted", sep: str = "\t") -> str:
    """Table 3 as a text extractor flattens it.

    shifted: merged label cells appear once, so the first number moves (the seed's shape);
    grid: every row has the full width (an HTML grid copied out);
    dropped: empty cells vanished (blank cells are lost entirely).
    """
    lines = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\t\t\t\t\t\t\t总计",
             "\t\t自然人\t法人或其他组织\t\t\t\t\t",
             "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]
    for key, labels in T3_LABELS_2021:
        vals = ["" if v is None else str(v) for v in values[key]]
        if layout == "grid":
            cells = (labels + ["", "", ""])[:3] + vals
        elif layout == "dropped":
            cells = [x for x in labels if x] + [v for v in vals if v != ""]
        else:
            cells = labels + vals + [""]
        lines.append(sep.join(cells))
    return "\n".join(lines) + "\n"


T2_2021_TEXT = """第二十条第（一）项\t\t\t
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t{issued}\t{repealed}\t{in_force}
第二十条第（五）项\t\t\t
信息内容\t本年处理决定数量\t\t
行政许可\t{licensing}\t\t
第二十条第（六）项\t\t\t
信息内容\t本年处理决定数量\t\t
行政处罚\t{punishment}\t\t
行政强制\t0\t\t
第二十条第（八）项\t\t\t

信息内容\t本年收费金额（单位：万元）
行政事业性收费\t0
"""

T4_TEXT = """行政复议\t\t\t\t\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉
\t\t\t\t\t结果 维持\t结果 纠正\t其他 结果\t尚未 审结\t总计\t结果 维持\t结果 纠正\t其他 结果\t尚未 审结\t总计
{cells}
"""


def report_text(t3: dict | None = None, layout: str = "shifted", t4: list | None = None,
                agency: str = "临川县市场监督管理局", year: int = 2022, new_requests: int | None = None) -> str:
    """A whole invented 2021-format report around the given tables."""
    t3 = t3 if t3 is not None else t3_values(1)
    t4 = t4 if t4 is not None else [1, 0, 0, 0, 1] + [0] * 10
    n = t3["new_received"][6] if new_requests is None else new_requests
    return (
        f"{agency}{year}年政府信息公开工作年度报告\n\n"
        "一、总体情况\n\n"
        f"{year}年，本局围绕市场监管中心工作推进政务公开。\n\n"
        "（一）主动公开政府信息情况。全年在县政府门户网站公开信息356条，发布政务微博120条。\n\n"
        f"（二）依申请公开政府信息情况。全年新收政府信息公开申请{n}件，均在法定期限内答复。\n\n"
        "（三）政府信息管理。严格执行保密审查。\n\n"
        "（四）政府信息公开平台建设。升级网站栏目。\n\n"
        "（五）监督保障。开展业务培训2次。\n\n"
        "二、主动公开政府信息情况\n\n"
        + T2_2021_TEXT.format(issued=2, repealed=1, in_force=9, licensing=1532, punishment=87)
        + "\n三、收到和处理政府信息公开申请情况\n\n"
        + t3_text(t3, layout)
        + "\n四、政府信息公开行政复议、行政诉讼情况\n\n"
        + T4_TEXT.format(cells="\t".join(str(x) for x in t4))
        + "\n五、存在的主要问题及改进情况\n\n"
        "存在问题：一是解读形式单一。二是栏目更新不够及时。\n"
        "改进措施：一是丰富解读形式。二是加强栏目维护。\n\n"
        "六、其他需要报告的事项\n\n本年度未收取信息处理费。\n"
    )


def extract_text(tmp_path, text: str, name: str = "r.txt", encoding: str = "utf-8"):
    import reportnlp

    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return reportnlp.extract(p)
