"""The data model of the report contract (`reportnlp/report@1`, see spec/output.md).

One `Report` flows through the pipeline stages; each stage fills named fields.
`Document` is what ingest hands to normalisation: blocks of text and table
grids in reading order, before any normalisation.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_ID = "reportnlp/report@1"

Span = tuple[int, int]

SECTION_KEYS = (
    "overview",
    "active_disclosure",
    "requests",
    "review_litigation",
    "problems_improvements",
    "other",
)
SUBSECTION_KEYS = (
    "overview.active",
    "overview.requests",
    "overview.management",
    "overview.platforms",
    "overview.oversight",
    "overview.other",
)
CHANNELS = (
    "website", "weibo", "wechat", "douyin", "toutiao", "kuaishou", "video", "app",
    "press_conference", "gazette", "media", "hotline", "other",
)
CATEGORIES = (
    "disclosed_info", "policy_docs", "normative_docs", "other_docs", "interpretations",
    "posts", "coverage", "press_events", "requests_new", "requests_carried",
    "requests_answered", "consultations", "followers", "views", "other",
)
THEMES = (
    "breadth_depth", "interpretation", "timeliness", "platform", "interaction",
    "capacity", "mechanism", "application", "standardization", "other",
)


class _Model(BaseModel):
    # Unknown keys are kept: the contract allows additions, and a reviewed JSON
    # read back must not lose what another tool added.
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Source(_Model):
    path: str
    sha256: str
    format: Literal["pdf", "html", "docx", "txt"]
    pages: Optional[int] = None
    # page_starts[i] is the offset in `text` where page i+1 begins (PDF only);
    # with it every span maps to its page (see Report.page_of).
    page_starts: Optional[list[int]] = None
    encoding: Optional[str] = None


class Meta(_Model):
    agency: Optional[str] = None
    year: Optional[int] = None
    template: Literal["2021", "2019", "legacy", "unknown"] = "unknown"
    script: Literal["simplified", "traditional"] = "simplified"
    scope: Literal["agency", "aggregate"] = "agency"
    title: Optional[str] = None
    template_mismatch: bool = False


class Section(_Model):
    key: str
    title: str
    span: Span


def _int_if_whole(v):
    """141.0 is written 141: counts are integers; 85.4 stays a decimal."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


class Quantity(_Model):
    channel: Optional[str] = None
    category: Optional[str] = None
    label: str = ""
    value: Union[int, float]
    unit: str = ""
    span: Span
    qualifier: Literal["exact", "lower_bound", "approx"] = "exact"
    period: Literal["annual", "cumulative"] = "annual"
    scope: Optional[Literal["aggregate"]] = None
    verb: Optional[str] = None
    # index (in Report.quantities) of the total this count is a part of
    # ("141件，其中政策文件7条……"): the checks stage sums the parts.
    part_of: Optional[int] = None

    _whole = field_validator("value")(classmethod(lambda cls, v: _int_if_whole(v)))


class MediaOutlet(_Model):
    name: str
    span: Span
    # how it was found: gazetteer, pattern or ner
    source: Optional[str] = None


class Statement(_Model):
    kind: Literal["problem", "improvement"]
    text: str
    theme: str = "other"
    score: float = 0.0
    span: Span


class Check(_Model):
    rule: str
    ok: bool
    expected: Optional[Union[int, float]] = None
    actual: Optional[Union[int, float]] = None
    message: str = ""
    severity: Literal["hard", "soft"] = "hard"

    _whole = field_validator("expected", "actual")(classmethod(lambda cls, v: _int_if_whole(v)))


class Report(_Model):
    schema_: str = Field(SCHEMA_ID, alias="schema")
    source: Source
    meta: Meta = Field(default_factory=Meta)
    text: str = ""
    sections: list[Section] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    media_outlets: list[MediaOutlet] = Field(default_factory=list)
    # t2/t3/t4 as plain dicts keyed as in spec/output.md, plus "missing",
    # "spans" (evidence per row/block) and "template" for each table.
    tables: dict[str, dict[str, Any]] = Field(default_factory=dict)
    statements: list[Statement] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    pipeline: dict[str, Any] = Field(default_factory=dict)

    def to_dict(self, timings: bool = False) -> dict[str, Any]:
        d = self.model_dump(by_alias=True, mode="json")
        if not timings:
            # Same input, same bytes: run times live in memory (bench, batch summary), not in the file
            d["pipeline"] = {k: v for k, v in d.get("pipeline", {}).items() if k != "timings"}
        return d

    def to_json(self, indent: int | None = 1, timings: bool = False) -> str:
        # Field order is the model's; keys inside the table dicts follow the template's order.
        return json.dumps(self.to_dict(timings), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes | dict) -> "Report":
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        return cls.model_validate(data)

    def page_of(self, offset: int) -> Optional[int]:
        """1-based page of a text offset, for PDFs; None for other formats."""
        starts = self.source.page_starts
        if not starts:
            return None
        page = 1
        for i, s in enumerate(starts):
            if offset >= s:
                page = i + 1
        return page


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(by_alias=True)
    schema["$id"] = SCHEMA_ID
    return schema


# --- what ingest produces -------------------------------------------------


@dataclass
class Block:
    """A paragraph (kind="text") or a table (kind="table") in reading order.

    For tables, `grid` is the cell grid with rowspan/colspan expanded; `origin`
    marks the cells that carry their own content (False for the copies a span
    made), so the flattened text shows a merged cell once, as PDFs do.
    """
    kind: Literal["text", "table"]
    text: str = ""
    grid: list[list[str]] = field(default_factory=list)
    origin: list[list[bool]] = field(default_factory=list)
    page: Optional[int] = None  # 1-based page for PDFs


@dataclass
class Document:
    path: str
    format: Literal["pdf", "html", "docx", "txt"]
    sha256: str
    blocks: list[Block]
    pages: Optional[int] = None
    encoding: Optional[str] = None
    warnings: list[str] = field(default_factory=list)


Number = Union[int, float]
