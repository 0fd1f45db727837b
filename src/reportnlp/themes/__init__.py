"""Section 五 statements and their themes (issue 5)."""
from __future__ import annotations


def extract_statements(text, sections):
    """-> list[Statement]. Placeholder until the themes stage lands."""
    return []
