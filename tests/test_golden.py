"""Golden files: every sample report, in every format it exists in, against its gold JSON.

Every field of the gold is compared: meta, sections and sub-sections, every table
cell and missing mark, quantities and outlets (nothing missing, nothing extra),
statements with kind and theme, the exact set of failing checks, expected warnings.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import SAMPLES

GOLDS = sorted(SAMPLES.glob("*.gold.json"))
AREAS = ["meta", "sections", "tables", "quantities", "media", "statements", "checks", "warnings"]


def inputs_for(gold: Path) -> list[Path]:
    name = gold.name[: -len(".gold.json")]
    files = [SAMPLES / f"{name}.txt", SAMPLES / f"{name}.html"]
    files += sorted((SAMPLES / "rendered").glob(f"{name}.*.pdf")) + sorted((SAMPLES / "rendered").glob(f"{name}.*.docx"))
    files += sorted((SAMPLES / "rendered").glob(f"{name}.pdf")) + sorted((SAMPLES / "rendered").glob(f"{name}.docx"))
    return [f for f in files if f.exists()]


CASES = [(g, f) for g in GOLDS for f in inputs_for(g)]


@lru_cache(maxsize=None)
def extracted(path: Path) -> dict:
    import reportnlp

    return reportnlp.extract(path).to_dict()


def unit_norm(u):
    return (u or "").replace("/", "").replace("／", "").strip()


def q_matches(q, g):
    if abs(float(q["value"]) - float(g["value"])) > 1e-9 or unit_norm(q.get("unit")) != unit_norm(g.get("unit")):
        return False
    for key in ("channel", "category", "qualifier", "period"):
        if key in g and q.get(key, {"qualifier": "exact", "period": "annual"}.get(key)) != g[key]:
            return False
    return "label_contains" not in g or g["label_contains"] in (q.get("label") or "")


def compare(area: str, rep: dict, gold: dict) -> list[str]:
    errs: list[str] = []
    if area == "meta":
        m, g = rep["meta"], gold["meta"]
        for k in ("year", "template", "script", "scope"):
            if k in g and m.get(k) != g[k]:
                errs.append(f"meta.{k}: want {g[k]!r} got {m.get(k)!r}")
        for part in g.get("agency_contains", []):
            if part not in (m.get("agency") or ""):
                errs.append(f"meta.agency {m.get('agency')!r} lacks {part!r}")
    elif area == "sections":
        top = [s["key"] for s in rep["sections"] if "." not in s["key"]]
        if top != gold["sections"]:
            errs.append(f"sections: want {gold['sections']} got {top}")
        subs = sorted({s["key"] for s in rep["sections"] if "." in s["key"]})
        if "subsections" in gold and subs != sorted(gold["subsections"]):
            errs.append(f"subsections: want {sorted(gold['subsections'])} got {subs}")
        for s in rep["sections"]:
            if not (0 <= s["span"][0] < s["span"][1] <= len(rep["text"])):
                errs.append(f"section span out of text: {s}")
    elif area == "tables":
        want = gold.get("tables", {})
        got = {t: {k: v for k, v in d.items() if k not in ("spans", "template")} for t, d in rep["tables"].items()}
        for t in got:
            if not got[t].get("missing"):
                got[t].pop("missing", None)
        want = {t: {k: v for k, v in d.items() if not (k == "missing" and not v)} for t, d in want.items()}
        if set(got) != set(want):
            errs.append(f"tables: want {sorted(want)} got {sorted(got)}")
        for t in want:
            if t in got and got[t] != want[t]:
                for k in sorted(set(want[t]) | set(got[t])):
                    w, h = want[t].get(k), got[t].get(k)
                    if w == h:
                        continue
                    if isinstance(w, dict) and isinstance(h, dict):
                        errs += [f"{t}.{k}.{r}: want {w.get(r)} got {h.get(r)}"
                                 for r in sorted(set(w) | set(h)) if w.get(r) != h.get(r)]
                    elif isinstance(w, list) and isinstance(h, list):
                        errs += [f"{t}.{k}: want also {x}" for x in w if x not in h]
                        errs += [f"{t}.{k}: extra {x}" for x in h if x not in w]
                    else:
                        errs.append(f"{t}.{k}: want {w} got {h}")
    elif area == "quantities":
        pool = list(rep["quantities"])
        for g in gold.get("quantities", []):
            hit = next((q for q in pool if q_matches(q, g)), None)
            if hit is None:
                errs.append(f"missing quantity {json.dumps(g, ensure_ascii=False)}")
            else:
                pool.remove(hit)
        errs += [f"extra quantity {q['value']}{q['unit']} {q.get('label')!r} ({q.get('channel')}/{q.get('category')})"
                 for q in pool]
        for q in rep["quantities"]:
            s, e = q["span"]
            if not (0 <= s < e <= len(rep["text"])):
                errs.append(f"quantity span out of text: {q}")
    elif area == "media":
        have = [m["name"] for m in rep["media_outlets"]]
        want = gold.get("media_outlets", [])
        if sorted(have) != sorted(want):
            errs.append(f"media: want {sorted(want)} got {sorted(have)}")
        for m in rep["media_outlets"]:
            if rep["text"][m["span"][0]:m["span"][1]] != m["name"]:
                errs.append(f"outlet span does not show {m['name']}")
    elif area == "statements":
        pool = list(rep["statements"])
        for g in gold.get("statements", []):
            hit = next((s for s in pool if g["text_contains"] in s["text"]), None)
            if hit is None:
                errs.append(f"no statement with {g['text_contains']!r}")
                continue
            pool.remove(hit)
            if hit["kind"] != g["kind"]:
                errs.append(f"{g['text_contains']}: kind {hit['kind']} want {g['kind']}")
            # themes come from a statistical model: they are scored over the whole corpus
            # against a pinned floor (test_theme_accuracy_over_the_corpus), not one by one
        errs += [f"extra statement {s['text'][:30]!r}" for s in pool]
        for s in rep["statements"]:
            if rep["text"][s["span"][0]:s["span"][1]] != s["text"]:
                errs.append(f"statement span does not show its text: {s['text'][:20]!r}")
    elif area == "checks":
        failed = sorted(c["rule"] for c in rep["checks"] if not c["ok"])
        if "checks_all_ok" in gold:
            want = [] if gold["checks_all_ok"] else sorted(gold.get("failed_checks", []))
            if failed != want:
                errs.append(f"failed checks: want {want} got {failed}")
            if gold["checks_all_ok"] and not rep["checks"]:
                errs.append("no checks reported")
    elif area == "warnings":
        for w in gold.get("warnings_contains", []):
            if not any(w in x for x in rep["warnings"]):
                errs.append(f"no warning containing {w!r}; got {rep['warnings']}")
    return errs


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("gold,path", CASES, ids=[f.name for _, f in CASES])
def test_golden(gold, path, area):
    g = json.loads(gold.read_text(encoding="utf-8"))
    if ".trad." in path.name:
        g["meta"]["script"] = "traditional"  # a traditional-character rendering of the same report
    rep = extracted(path)
    errs = compare(area, rep, g)
    assert not errs, f"{path.name} [{area}]:\n  " + "\n  ".join(errs[:25])


# Share of gold statements whose theme the shipped model gets right, over every sample in
# every format. Measured 0.96 (51 of 53 per format) when pinned; lower it only with a reason.
THEME_ACCURACY_FLOOR = 0.94


def test_theme_accuracy_over_the_corpus():
    hits, total, misses = 0, 0, set()
    for gold, path in CASES:
        g = json.loads(gold.read_text(encoding="utf-8"))
        pool = list(extracted(path)["statements"])
        for want in g.get("statements", []):
            hit = next((s for s in pool if want["text_contains"] in s["text"]), None)
            if hit is None:
                continue  # a missing statement fails the per-report test already
            pool.remove(hit)
            total += 1
            if hit["theme"] in want["themes"]:
                hits += 1
            else:
                misses.add(f"{want['text_contains']}: {hit['theme']} (want {want['themes']})")
    assert total > 0
    assert hits / total >= THEME_ACCURACY_FLOOR, f"{hits}/{total}; misses: {sorted(misses)}"


def test_corpus_is_there():
    assert len(GOLDS) >= 10, "the sample corpus must hold at least 10 reports"
    for g in GOLDS:
        name = g.name[: -len(".gold.json")]
        assert (SAMPLES / f"{name}.txt").exists() and (SAMPLES / f"{name}.html").exists(), name
