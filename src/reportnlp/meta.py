"""Report metadata: title, agency, year, template version, script, scope."""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from .model import Meta
from .tables import spec

_TITLE = re.compile(r"(?P<agency>.*?)(?P<year>(?:19|20)\d{2})年(?:度)?(?P<rest>.*?(?:政府)?(?:信息|政务)公开.*?(?:年度)?报告)")
_YEAR_ANY = re.compile(r"((?:19|20)\d{2})年度")
# Agency names without a place prefix ("司法局") are common in titles (template.md §2.1)
_PLACE = re.compile(r"省|市|县|区|州|盟|旗|镇|乡|街道|自治|中国|国家|中华人民共和国")
_STOP_PREFIX = set("本我全各该上下其此")
# Region-level reports for all departments are aggregates (template.md M17)
_AGGREGATE = re.compile(r"^(?:.*?(?:省|市|县|区|州|自治区|自治州|盟|旗))(?:人民政府)?$")


def find_title(text: str) -> tuple[Optional[str], Optional[int]]:
    """The title line and its start offset: the first early line naming a 年度报告."""
    lines, pos = [], 0
    for n, line in enumerate(text.split("\n")):
        if n > 40:
            break
        t = line.strip()
        if t and "\t" not in t and len(t) <= 80 and re.search(r"(?:19|20)\d{2}", t):
            lines.append((t, pos + line.index(t)))
        pos += len(line) + 1
    # a title names the report and is not a sentence; a preamble sentence mentioning 报告 is the fallback
    for t, at in lines:
        if re.search(r"(年度|工作)报告", t) and "。" not in t:
            return t, at
    for t, at in lines:
        if "报告" in t:
            return t, at
    return None, None


def _clean_agency(s: str) -> str:
    s = re.sub(r"^[《“\"]|关于", "", s.strip())
    s = s.strip(" 　:：-—《》“”\"")
    return s


def recover_agency(title_agency: str, text: str) -> str:
    """A title that lost its place prefix ("司法局"): take the prefix the body uses most ("济源司法局")."""
    if not title_agency or _PLACE.search(title_agency[:-1]):
        return title_agency  # already names its place or level ("XX市司法局", "国家…")
    counts: Counter[str] = Counter()
    for m in re.finditer(rf"([\u4e00-\u9fff]{{2,6}}){re.escape(title_agency)}", text):
        prefix = m.group(1)
        # cut at words that end a clause so "坚持…济源" does not creep in
        prefix = re.split(r"[，。、；：年月日是的在由和与及为对]", prefix)[-1]
        if len(prefix) >= 2 and prefix[0] not in _STOP_PREFIX:
            counts[prefix] += 1
    if counts:
        prefix, _ = counts.most_common(1)[0]
        return prefix + title_agency
    return title_agency


def detect_meta(text: str, versions: dict[str, Optional[str]], script: str) -> tuple[Meta, list[str]]:
    warnings: list[str] = []
    title, _ = find_title(text)
    agency = year = None
    if title:
        m = _TITLE.search(title.replace(" ", ""))
        if m:
            year = int(m.group("year"))
            agency = _clean_agency(m.group("agency")) or None
    if year is None:
        m = _YEAR_ANY.search(text[:2000])
        if m:
            year = int(m.group(1))
    if agency:
        agency = recover_agency(agency, text)
    template, mismatch = _template(text, versions, year)
    if template == "unknown":
        warnings.append("template: no table or heading of the 2019/2021 formats found")
    scope = "aggregate" if agency and (_AGGREGATE.match(agency) or "汇总" in (title or "")) else "agency"
    return Meta(agency=agency, year=year, template=template, script=script, scope=scope, title=title,
                template_mismatch=mismatch), warnings


def _template(text: str, versions: dict[str, Optional[str]], year: Optional[int]) -> tuple[str, bool]:
    found = [v for v in (versions.get("t2"), versions.get("t3")) if v]
    prior = None
    if year:
        prior = "2021" if year >= 2021 else "2019" if year >= 2019 else "legacy"
    if found:
        # Table 2 carries the most markers; it decides when the two tables disagree
        template = versions.get("t2") or found[0]
        mismatch = (len(set(found)) > 1) or (prior is not None and prior != template)
        return template, mismatch
    c = spec.compact(text[:20000])
    if prior == "legacy" or (any(m in c for m in spec.LEGACY_MARKERS) and "第二十条" not in c and prior is None):
        return "legacy", False
    if prior in ("2019", "2021") and "信息公开" in c:
        # the format's headings without readable tables (tables published as images)
        return prior, False
    return "unknown", False
