"""Which files a batch reads, and the unique, stable name each report is written under."""
from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

# What a folder scan picks up; an explicitly named file is taken whatever its extension.
EXTENSIONS = (".pdf", ".html", ".htm", ".docx", ".txt")
# Folders a scan does not enter: `sources/` holds the originals the samples came from.
SKIP_DIRS = {"sources"}
MANIFEST_EXTENSIONS = (".csv", ".jsonl")


class InputError(Exception):
    """The inputs cannot be read at all (the batch exits 2)."""


@dataclass
class Item:
    # absolute: workers (Dask ones on other machines too) may run in another folder
    path: str
    name: str = ""  # OUT/json/<name>.json
    overrides: dict[str, Any] = field(default_factory=dict)  # from a manifest: agency, year
    sha256: Optional[str] = None

    def task(self, ocr: bool) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "sha256": self.sha256, "ocr": ocr}


def _scan(folder: Path, skip: Optional[Path]) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        rootp = Path(root)
        # sorted in place: os.walk order follows the file system, our output must not
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and d not in SKIP_DIRS
            and (skip is None or (rootp / d).resolve() != skip)
        )
        for f in sorted(files):
            if f.startswith(".") or f.endswith(".gold.json"):
                continue
            if f.lower().endswith(EXTENSIONS):
                found.append(rootp / f)
    return found


def _read_manifest(path: Path) -> list[Item]:
    rows: list[dict[str, Any]] = []
    try:
        if path.suffix.lower() == ".csv":
            with open(path, newline="", encoding="utf-8-sig") as f:
                rows = list(csv.DictReader(f))
        else:
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if line.strip():
                        row = json.loads(line)
                        if not isinstance(row, dict):
                            raise InputError(f"{path}:{n}: each line must be a JSON object")
                        rows.append(row)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as e:
        raise InputError(f"{path}: cannot read manifest ({e})") from None
    items = []
    for n, row in enumerate(rows, 1):
        p = (row.get("path") or "").strip() if isinstance(row.get("path"), str) else row.get("path")
        if not p:
            raise InputError(f"{path}: row {n} has no `path`")
        full = p if os.path.isabs(p) else os.path.join(os.path.dirname(str(path)), p)
        over: dict[str, Any] = {}
        agency = row.get("agency")
        if isinstance(agency, str) and agency.strip():
            over["agency"] = agency.strip()
        year = row.get("year")
        if year not in (None, ""):
            try:
                over["year"] = int(year)
            except (TypeError, ValueError):
                raise InputError(f"{path}: row {n}: year {year!r} is not a number") from None
        items.append(Item(path=os.path.normpath(full), overrides=over))
    return items


def collect(inputs: list[str], out_dir: Optional[str] = None) -> list[Item]:
    """Files, folders (recursive) and manifests -> items with unique names, in a stable order."""
    skip = Path(out_dir).resolve() if out_dir else None
    items: list[Item] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            items.extend(Item(path=os.path.normpath(str(f))) for f in _scan(p, skip))
        elif p.suffix.lower() in MANIFEST_EXTENSIONS and p.is_file():
            items.extend(_read_manifest(p))
        elif p.is_file():
            items.append(Item(path=os.path.normpath(raw)))
        else:
            raise InputError(f"{raw}: no such file or folder")
    # the same file named twice is one report (the first mention's overrides win)
    seen: set[str] = set()
    unique = []
    for it in items:
        key = os.path.realpath(it.path)
        if key not in seen:
            seen.add(key)
            unique.append(it)
    for it in unique:
        it.path = os.path.abspath(it.path)
    assign_names(unique)
    unique.sort(key=lambda it: it.name)
    return unique


def _short_hash(path: str) -> str:
    return hashlib.sha1(os.path.abspath(path).encode("utf-8")).hexdigest()[:8]


def assign_names(items: list[Item]) -> None:
    """name = file stem; stems shared by several inputs (case-insensitively) get the
    extension, then a short hash of the absolute path: the same inputs always give the
    same names, whatever order they are listed in."""
    groups: dict[str, list[Item]] = {}
    for it in items:
        groups.setdefault(Path(it.path).stem.lower(), []).append(it)
    for group in groups.values():
        if len(group) == 1:
            group[0].name = Path(group[0].path).stem
            continue
        by_ext: dict[str, list[Item]] = {}
        for it in group:
            by_ext.setdefault(Path(it.path).name.lower(), []).append(it)
        for same in by_ext.values():
            for it in same:
                name = Path(it.path).name  # stem.ext
                it.name = name if len(same) == 1 else f"{Path(it.path).stem}-{_short_hash(it.path)}{Path(it.path).suffix}"
    for it in items:
        if not it.name or it.name.startswith("."):
            it.name = f"_{it.name}"


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
