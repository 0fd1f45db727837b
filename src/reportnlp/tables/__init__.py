"""The standard tables: template data (spec), parsing (parse) and identities (checks)."""
from __future__ import annotations

from .parse import parse_tables

__all__ = ["parse_tables"]
