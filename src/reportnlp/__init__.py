"""reportnlp: China's 政府信息公开工作年度报告 in, checked and structured JSON out.

    >>> import reportnlp
    >>> report = reportnlp.extract("report.pdf")
    >>> report.tables["t3"]["rows"]["new_received"]["total"]
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["extract", "Report", "ReportError", "__version__"]


def __getattr__(name):
    # Lazy: importing reportnlp (e.g. for the CLI's --help) must not load pydantic, spaCy or pdfminer.
    if name == "extract":
        from .pipeline import extract

        return extract
    if name == "Report":
        from .model import Report

        return Report
    if name == "ReportError":
        from .errors import ReportError

        return ReportError
    raise AttributeError(name)
