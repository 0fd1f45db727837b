"""Corpus runs: many reports in, one JSON each plus Parquet tables out, never losing work.

    reportnlp batch INPUT... -o OUT [--workers N] [--scheduler local|tcp://HOST:8786]
                                    [--timeout S] [--memory-mb M] [--force]
    reportnlp query OUT "SQL"

inputs.py   files, folders, manifests -> items with unique names
worker.py   the worker process: pipeline loaded once, one file per request
sandbox.py  parent side of a worker: time limit, memory cap, crash -> E010/E012/E013
pool.py     local runner (several sandboxes);  dask_run.py  Dask runner (one per Dask worker)
store.py    OUT: JSON, done-index, errors.jsonl, Parquet, summary;  progress.py;  query.py
"""
from __future__ import annotations

import importlib
import os
import sys
import time
from typing import Any, Optional

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN, EXIT_INTERRUPTED = 0, 1, 2, 130

__all__ = ["batch_cli", "query_cli", "run_batch", "pipeline_version"]


def pipeline_version() -> str:
    """The version the done-index compares: the pipeline's stamp plus a fingerprint of the
    code and models, so that a rerun after a code or model change redoes the reports
    (the package version alone does not move while the pipeline is being worked on)."""
    pinned = os.environ.get("REPORTNLP_BATCH_VERSION")  # pins it: tests, or a change known not to matter
    if pinned:
        return pinned
    spec = os.environ.get("REPORTNLP_BATCH_EXTRACT")  # test-only, see worker.py
    if spec:
        mod = importlib.import_module(spec.partition(":")[0])
        return str(getattr(mod, "PIPELINE_VERSION", "test"))
    try:
        mod = importlib.import_module("reportnlp.pipeline")
    except ImportError:
        mod = None
    base = None
    for attr in ("PIPELINE_VERSION", "VERSION", "__version__"):
        v = getattr(mod, attr, None) if mod is not None else None
        if v:
            base = str(v)
            break
    if base is None:
        from .. import __version__ as base
    return f"{base}+{code_fingerprint()}"


# Model files up to this size are hashed whole; larger ones by size and name only.
FINGERPRINT_FULL_BYTES = 4 * 1024 * 1024


def code_fingerprint() -> str:
    """12 hex digits over the package's source and data files and the models folder."""
    import hashlib
    from pathlib import Path

    pkg = Path(__file__).resolve().parent.parent
    roots = [(pkg, ("*.py", "*.txt", "*.json", "*.tsv", "*.csv", "*.yaml", "*.yml"))]
    for models in (pkg.parent.parent / "models", os.environ.get("REPORTNLP_NER_MODEL")):
        if models and Path(models).is_dir():
            roots.append((Path(models), ("*",)))
    h = hashlib.sha256()
    for root, patterns in roots:
        files = sorted({p for pat in patterns for p in root.rglob(pat) if p.is_file()
                        and "__pycache__" not in p.parts and not p.name.startswith(".")})
        for p in files:
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            size = p.stat().st_size
            if size <= FINGERPRINT_FULL_BYTES:
                h.update(p.read_bytes())
            else:
                h.update(str(size).encode())
    return h.hexdigest()[:12]


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_batch(inputs: list[str], out: str, *, workers: Optional[int] = None, scheduler: Optional[str] = None,
              timeout: float = 120.0, memory_mb: int = 2048, ocr: bool = False, force: bool = False,
              progress: bool = True) -> tuple[int, dict[str, Any]]:
    """Run a batch; returns (exit code, summary). Raises nothing for bad files."""
    from .inputs import InputError, collect, sha256_file
    from .progress import Progress
    from .sandbox import WorkerStartError, failure
    from .store import SUMMARY_SCHEMA, OutError, Store

    t0 = time.monotonic()
    workers = workers or os.cpu_count() or 1
    try:
        items = collect(inputs, out)
    except InputError as e:
        _say(f"Error: {e}")
        return EXIT_CANNOT_RUN, {}
    if not items:
        _say(f"Error: no reports found in {' '.join(inputs)} (looked for .pdf .html .htm .docx .txt)")
        return EXIT_CANNOT_RUN, {}
    store = Store(out)
    try:
        store.open()
    except OutError as e:
        _say(f"Error: {e}")
        return EXIT_CANNOT_RUN, {}
    try:
        version = pipeline_version()
        limits = {"timeout": timeout, "memory_mb": memory_mb, "ocr": ocr}
        status: dict[str, dict[str, Any]] = {}  # name -> state record, for this run's inputs
        todo = []
        skipped = 0
        by_name = {it.name: it for it in items}
        for it in items:
            try:
                it.sha256 = sha256_file(it.path)
            except OSError as e:
                code = "E001" if isinstance(e, FileNotFoundError) else "E006"
                status[it.name] = store.save(it, version, failure(it.task(ocr), code, e.strerror or str(e), version), limits)
                continue
            rec = None if force else store.is_done(it, version, limits)
            if rec is not None:
                status[it.name] = rec
                skipped += 1
            else:
                todo.append(it)
        processed = 0
        interrupted = False
        info: dict[str, Any] = {}

        with Progress(len(items), skipped, enabled=progress) as prog:
            def on_result(result: dict[str, Any]) -> None:
                nonlocal processed
                it = by_name[result["name"]]
                if result.get("ok") and result.get("version") != version:
                    result = failure(it.task(ocr), "E020",
                                     f"worker pipeline {result.get('version')} differs from {version}", version)
                status[it.name] = store.save(it, version, result, limits)
                processed += 1
                prog.update(bool(result.get("ok")))

            tasks = [it.task(ocr) for it in todo]
            try:
                if not tasks:
                    pass
                elif scheduler:
                    from .dask_run import run_dask

                    info = run_dask(tasks, on_result, scheduler=scheduler, workers=workers, timeout=timeout,
                                    memory_mb=memory_mb, on_tick=prog.tick)
                else:
                    from .pool import run_pool

                    info = run_pool(tasks, on_result, workers=workers, timeout=timeout, memory_mb=memory_mb,
                             log_path=store.worker_log, version=version, on_tick=prog.tick)
            except WorkerStartError as e:
                _say(f"Error: workers cannot load the pipeline: {e} (log: {store.worker_log})")
                store.rebuild()
                return EXIT_CANNOT_RUN, {}
            except KeyboardInterrupt:
                interrupted = True

        counts = store.rebuild()
        seconds = time.monotonic() - t0
        failed = sorted(n for n, r in status.items() if r["status"] != "ok")
        ok = sum(1 for r in status.values() if r["status"] == "ok")
        by_code: dict[str, int] = {}
        for n in failed:
            code = status[n].get("error", {}).get("code", "?")
            by_code[code] = by_code.get(code, 0) + 1
        summary = {
            "schema": SUMMARY_SCHEMA,
            "pipeline_version": version,
            "inputs": len(items), "ok": ok, "failed": len(failed),
            "not_done": len(items) - len(status),
            "errors_by_code": dict(sorted(by_code.items())),
            "tables": counts,
            # everything that differs between an interrupted-then-resumed run and a clean one
            "run": {
                "processed": processed, "skipped": skipped, "seconds": round(seconds, 3),
                "reports_per_second": round(processed / seconds, 3) if seconds > 0 else None,
                "workers": workers, "scheduler": scheduler or "pool", "interrupted": interrupted,
                "limits": limits, **info,
            },
        }
        store.write_summary(summary)
    finally:
        store.close()

    errors_at = os.path.join(out, "errors.jsonl")
    line = f"{len(items)} reports, {ok} ok, {len(failed)} failed"
    line += f" (see {errors_at})" if failed else ""
    line += f" in {seconds:.1f} s"
    if skipped:
        line += f"; {skipped} already done, {processed} processed"
    if interrupted:
        _say(f"interrupted: {line}; {summary['not_done']} not done, rerun the same command to resume")
        return EXIT_INTERRUPTED, summary
    print(line, flush=True)
    return (EXIT_SOME_FAILED if failed else EXIT_OK), summary


def batch_cli(args) -> int:
    if args.workers is not None and args.workers < 1:
        _say("Error: --workers must be at least 1")
        return EXIT_CANNOT_RUN
    code, _ = run_batch(list(args.inputs), args.out, workers=args.workers, scheduler=args.scheduler,
                        timeout=args.timeout, memory_mb=args.memory_mb, ocr=getattr(args, "ocr", False),
                        force=args.force)
    return code


def query_cli(args) -> int:
    from .query import query_cli as _query_cli

    return _query_cli(args)
