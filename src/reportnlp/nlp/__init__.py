"""Narrative NLP: quantities, channels and media outlets of section 一 (issue 4)."""
from __future__ import annotations


def extract_narrative(text, sections):
    """-> (quantities, media_outlets, warnings). Placeholder until the narrative stage lands."""
    return [], [], []
