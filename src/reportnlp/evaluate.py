"""Score report JSONs against gold files: `reportnlp evaluate REPORT... --gold DIR`.

The matching rules are those of shared/tools/score.py, reimplemented here so the
package does not depend on a file outside it:
- quantities: a gold entry matches the first unused report quantity with the same
  value, the same unit after dropping "/", and equal channel/category/label_contains
  where the gold gives them; precision = matched / report quantities.
- media: exact names; extras count against precision.
- tables: every gold cell must equal the report's; precision = equal / cells the report fills.
- statements: first unused statement containing text_contains, then kind and theme.
- meta, sections, checks: accuracy.

Exit codes as score.py: 0 when every scored area reaches --min (default 1.0),
1 otherwise, 2 when an input cannot be read.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

EXIT_OK, EXIT_SHORT, EXIT_BAD_INPUT = 0, 1, 2
AREAS = ("meta", "sections", "quantities", "media", "tables", "statements", "checks")
PR_AREAS = ("quantities", "media", "tables", "statements")


@dataclass
class AreaScore:
    hits: int = 0          # gold items found (recall numerator)
    gold: int = 0          # gold items
    predicted: int = 0     # report items (precision denominator); for accuracy areas = gold
    correct: int = 0       # report items that are right (precision numerator)
    missed: list[str] = field(default_factory=list)
    extra: int = 0         # what score.py adds to the total (media extras, unmatched statements)

    def add(self, other: "AreaScore") -> None:
        self.hits += other.hits
        self.gold += other.gold
        self.predicted += other.predicted
        self.correct += other.correct
        self.missed += other.missed
        self.extra += other.extra

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def unit_norm(u: Any) -> str:
    return (u or "").replace("/", "").replace("／", "").strip()


def quantity_matches(q: dict, g: dict) -> bool:
    """score.py's rule: value, unit (without '/'), and channel/category/label_contains when the gold has them."""
    try:
        if abs(float(q.get("value")) - float(g["value"])) > 1e-9:
            return False
    except (TypeError, ValueError, KeyError):
        return False
    if "unit" in g and unit_norm(q.get("unit")) != unit_norm(g["unit"]):
        return False
    for key in ("channel", "category"):
        if key in g and q.get(key) != g[key]:
            return False
    if "label_contains" in g and g["label_contains"] not in (q.get("label") or ""):
        return False
    return True


def match_quantities(pred: Iterable[dict], gold: Iterable[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Greedy in gold order, as score.py: -> (pairs (gold, pred), unmatched gold, unused pred)."""
    pool = list(pred)
    pairs, missed = [], []
    for g in gold:
        found = next((q for q in pool if quantity_matches(q, g)), None)
        if found is None:
            missed.append(g)
        else:
            pool.remove(found)
            pairs.append((g, found))
    return pairs, missed, pool


def score_meta(rep: dict, gold: dict) -> AreaScore:
    meta, g, s = rep.get("meta") or {}, gold.get("meta", {}), AreaScore()
    checks = []
    if "year" in g:
        checks.append((meta.get("year") == g["year"], f"year={meta.get('year')!r}"))
    if "template" in g:
        checks.append((meta.get("template") == g["template"], f"template={meta.get('template')!r}"))
    for part in g.get("agency_contains", []):
        checks.append((part in (meta.get("agency") or ""), f"agency lacks {part}"))
    for ok, msg in checks:
        s.gold += 1
        s.predicted += 1
        s.hits += ok
        s.correct += ok
        ok or s.missed.append(msg)
    return s


def score_sections(rep: dict, gold: dict) -> AreaScore:
    have = {x.get("key") for x in rep.get("sections") or []}
    want = gold.get("sections", [])
    miss = [k for k in want if k not in have]
    n = len(want) - len(miss)
    return AreaScore(n, len(want), len(want), n, miss)


def score_quantities(rep: dict, gold: dict) -> AreaScore:
    pred = list(rep.get("quantities") or [])
    want = gold.get("quantities", [])
    pairs, missed, _ = match_quantities(pred, want)
    return AreaScore(len(pairs), len(want), len(pred) if want else 0, len(pairs),
                     [json.dumps(g, ensure_ascii=False) for g in missed])


def score_media(rep: dict, gold: dict) -> AreaScore:
    if "media_outlets" not in gold:
        return AreaScore()
    have = {m.get("name") for m in rep.get("media_outlets") or [] if m.get("name")}
    want = gold.get("media_outlets", [])
    miss = [n for n in want if n not in have]
    extra = sorted(n for n in have if n not in want)
    hits = len(want) - len(miss)
    s = AreaScore(hits, len(want), len(have), len([n for n in have if n in want]), miss)
    if extra:
        s.extra = len(extra)
        s.missed.append("extra: " + "、".join(extra))
    return s


def _walk(g: Any, r: Any, path: list[str], out: list) -> None:
    if isinstance(g, dict):
        for k, v in g.items():
            _walk(v, r.get(k) if isinstance(r, dict) else None, path + [k], out)
    else:
        out.append((".".join(path), g, r))


def score_tables(rep: dict, gold: dict) -> AreaScore:
    cells: list = []
    _walk(gold.get("tables", {}), rep.get("tables") or {}, [], cells)
    miss = [f"{p}: want {w} got {g}" for p, w, g in cells if g != w]
    ok = len(cells) - len(miss)
    filled = sum(1 for _, _, g in cells if g is not None)
    right = sum(1 for _, w, g in cells if g is not None and g == w)
    return AreaScore(ok, len(cells), filled, right, miss)


def score_statements(rep: dict, gold: dict) -> AreaScore:
    pool = list(rep.get("statements") or [])
    n_pred = len(pool)
    want = gold.get("statements", [])
    s = AreaScore(gold=len(want), predicted=n_pred if want else 0)
    for g in want:
        found = next((x for x in pool if g["text_contains"] in (x.get("text") or "")), None)
        if found is None:
            s.missed.append(f"no statement with {g['text_contains']}")
            continue
        pool.remove(found)
        ok_kind, ok_theme = found.get("kind") == g["kind"], found.get("theme") in g["themes"]
        s.hits += ok_kind and ok_theme
        ok_kind or s.missed.append(f"{g['text_contains']}: kind {found.get('kind')}")
        ok_theme or s.missed.append(f"{g['text_contains']}: theme {found.get('theme')}")
    s.correct = s.hits
    if pool and want:
        s.extra = len(pool)
        s.missed.append(f"{len(pool)} extra statements")
    return s


def score_checks(rep: dict, gold: dict) -> AreaScore:
    if "checks_all_ok" not in gold:
        return AreaScore()
    checks = rep.get("checks") or []
    bad = [c.get("rule") for c in checks if not c.get("ok")]
    ok = (bool(checks) and not bad) if gold["checks_all_ok"] else bool(bad)
    miss = [] if ok else (["no checks reported"] if not checks else ["failed: " + ", ".join(map(str, bad))])
    return AreaScore(int(ok), 1, 1, int(ok), miss)


SCORERS = {
    "meta": score_meta, "sections": score_sections, "quantities": score_quantities,
    "media": score_media, "tables": score_tables, "statements": score_statements,
    "checks": score_checks,
}


def score_report(rep: dict, gold: dict, areas: Iterable[str] = AREAS) -> dict[str, AreaScore]:
    return {a: SCORERS[a](rep, gold) for a in areas}


def score_py_total(s: AreaScore) -> tuple[int, int]:
    """hits/total as score.py prints them (media extras and unmatched statements count in the total)."""
    return s.hits, s.gold + s.extra


# --- files ------------------------------------------------------------------


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gold.json", ".report.json", ".json", ".txt", ".html", ".htm", ".pdf", ".docx"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def load_report(path: Path) -> dict:
    """A report JSON as a dict; any other file is extracted first."""
    if path.suffix.lower() == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    from .pipeline import extract

    return extract(str(path)).to_dict()


def find_gold(path: Path, rep: dict, gold_dir: Path) -> Path | None:
    candidates = [_stem(path)]
    src = (rep.get("source") or {}).get("path")
    if src:
        candidates.append(_stem(Path(src)))
    # rendered variants keep the report's name before a dot: "x.ruled.pdf", "x.trad.pdf" -> x
    candidates += [c.split(".")[0] for c in candidates if "." in c]
    for c in candidates:
        g = gold_dir / f"{c}.gold.json"
        if g.exists():
            return g
    return None


def evaluate_paths(paths: list[str], gold_dir: str, areas: Iterable[str] = AREAS,
                   out=None) -> tuple[dict[str, AreaScore], list[str]]:
    """Score every report; -> (totals per area, errors). Prints one block per report."""
    out = out or sys.stdout
    areas = list(areas)
    totals = {a: AreaScore() for a in areas}
    errors: list[str] = []
    for p in paths:
        path = Path(p)
        try:
            rep = load_report(path)
        except Exception as e:  # unreadable input: reported, scoring goes on
            errors.append(f"{p}: cannot read ({type(e).__name__}: {e})".splitlines()[0])
            continue
        gpath = find_gold(path, rep, Path(gold_dir))
        if gpath is None:
            errors.append(f"{p}: no gold file {_stem(path)}.gold.json in {gold_dir}")
            continue
        try:
            gold = json.loads(gpath.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            errors.append(f"{gpath}: cannot read ({e})")
            continue
        print(f"== {path.name}  (gold {gpath.name})", file=out)
        for area, s in score_report(rep, gold, areas).items():
            if s.gold == 0 and s.predicted == 0:
                continue
            totals[area].add(s)
            h, n = score_py_total(s)
            line = f"  {area:11s} {h}/{n}"
            if area in PR_AREAS:
                line += f"  P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
            if s.missed:
                line += "  missed: " + "; ".join(s.missed[:6])
            print(line, file=out)
    return totals, errors


def evaluate_cli(args) -> int:
    paths = list(getattr(args, "paths", None) or [])
    gold_dir = getattr(args, "gold", None)
    need = float(getattr(args, "min", None) or 1.0)
    if not paths or not gold_dir:
        print("Error: evaluate needs REPORT... and --gold DIR", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not Path(gold_dir).is_dir():
        print(f"Error: {gold_dir}: not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    totals, errors = evaluate_paths(paths, gold_dir)
    for e in errors:
        print(f"Error: {e}", file=sys.stderr)
    print("== total")
    short = False
    scored = 0
    for area, s in totals.items():
        if s.gold == 0 and s.predicted == 0:
            continue
        scored += 1
        h, n = score_py_total(s)
        # the gate is score.py's: hits/total per area against --min
        short |= (h / n if n else 0.0) < need
        if area in PR_AREAS:
            print(f"  {area:11s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  "
                  f"(score {h}/{n}; {s.correct}/{s.predicted} predicted right)")
        else:
            print(f"  {area:11s} accuracy={h / n if n else 0.0:.3f}  ({h}/{n})")
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_SHORT if short or not scored else EXIT_OK
