"""The worker process: loads the pipeline (and its models) once, then extracts one report
per request it reads from its socket, until the socket closes.

Run by `Sandbox` (sandbox.py) as `python -m reportnlp.batch.worker FD MEMORY_MB`; it is
never imported by the parent. The parent enforces the time limit and the memory cap from
outside (it kills and replaces the process); RLIMIT_AS here is a backstop so that a
runaway allocation fails fast with MemoryError instead of swapping the machine.

Test-only hooks (environment variables, read here, documented in docs/performance.md):
  REPORTNLP_TEST_HANG_ON=substr   a file whose path contains substr hangs forever
  REPORTNLP_TEST_CRASH_ON=substr  ... kills the worker with SIGSEGV
  REPORTNLP_TEST_OOM_ON=substr    ... asks for 8 TB at once (RLIMIT_AS refuses: MemoryError)
  REPORTNLP_TEST_GROW_ON=substr   ... grows steadily until the parent's RSS watchdog kills it
  REPORTNLP_TEST_DELAY=seconds    sleep before each file (makes interruption tests reliable)
  REPORTNLP_BATCH_EXTRACT=mod:fn  use another extract function (tests without the pipeline)
"""
from __future__ import annotations

import importlib
import os
import resource
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Callable

# Headroom RLIMIT_AS leaves above the address space the loaded pipeline already maps:
# the watchdog in the parent measures resident memory, this catches sudden huge requests.
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """If the batch is killed (even kill -9) the worker must not live on, e.g. in a hang."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # not Linux: fall back to the watcher thread alone
        pass

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # parent died before prctl took effect
        os._exit(3)


def load_extract() -> tuple[Callable[..., Any], str]:
    """The extract function and the pipeline version it stamps; models are loaded here, once."""
    spec = os.environ.get("REPORTNLP_BATCH_EXTRACT")
    if spec:
        mod_name, _, fn = spec.partition(":")
        mod = importlib.import_module(mod_name)
        extract = getattr(mod, fn or "extract")
        version = getattr(mod, "PIPELINE_VERSION", "test")
        return extract, str(version)
    from . import pipeline_version

    mod = importlib.import_module("reportnlp.pipeline")
    for warm in ("warm_up", "load_models", "get_pipeline", "load"):
        if callable(getattr(mod, warm, None)):
            getattr(mod, warm)()
            break
    else:
        _warm_up(mod.extract)
    # the local pool passes the version its parent computed (same code); a Dask worker
    # computes its own, and the client refuses results from a different version
    return mod.extract, os.environ.get("REPORTNLP_BATCH_VERSION") or pipeline_version()


# A minimal report: extracting it once loads every model and dictionary the stages use
# lazily, so the first real file's time limit is not spent on loading.
WARM_UP_TEXT = (
    "某局2023年政府信息公开工作年度报告\n一、总体情况\n2023年，主动公开政府信息10条，其中政策文件2条。"
    "发布政务微博三百余条，收到申请两件。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n一是公开内容不够全面。"
    "二是将加强政策解读。\n六、其他需要报告的事项\n無。本報告電子版可在門戶網站下載。\n"
)
# ingest modules import their parsers (pdfminer, python-docx, lxml) on first use
WARM_UP_MODULES = ("reportnlp.ingest.pdf", "reportnlp.ingest.docx", "reportnlp.ingest.html")


def _warm_up(extract: Callable[..., Any]) -> None:
    import tempfile

    for name in WARM_UP_MODULES:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    with tempfile.TemporaryDirectory(prefix="reportnlp-warm-") as d:
        p = os.path.join(d, "warm-up.txt")
        with open(p, "w", encoding="utf-8") as f:
            f.write(WARM_UP_TEXT)
        try:
            extract(p)
        except Exception:  # warming up is an optimisation; the real files report real errors
            pass


def _limit_address_space(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * resource.getpagesize()
    except OSError:
        mapped = 0
    limit = mapped + memory_mb * 1024 * 1024
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)  # KB on Linux


def _test_hooks(path: str) -> None:
    delay = os.environ.get("REPORTNLP_TEST_DELAY")
    if delay:
        time.sleep(float(delay))
    if (s := os.environ.get("REPORTNLP_TEST_HANG_ON")) and s in path:
        while True:
            time.sleep(3600)
    if (s := os.environ.get("REPORTNLP_TEST_CRASH_ON")) and s in path:
        os.kill(os.getpid(), signal.SIGSEGV)
    if (s := os.environ.get("REPORTNLP_TEST_OOM_ON")) and s in path:
        bytearray(8 * 1024 ** 4)  # one huge request: refused by RLIMIT_AS at once
    if (s := os.environ.get("REPORTNLP_TEST_GROW_ON")) and s in path:
        hog = []
        while True:  # steady growth: the parent's resident-memory watchdog stops it
            hog.append(bytearray(16 * 1024 * 1024))  # bytearray() touches its pages
            time.sleep(0.01)


def _error(code: str, path: str, detail: str | None = None) -> dict[str, str]:
    from ..errors import ReportError

    e = ReportError(code, path, detail)
    return {"code": e.code, "kind": e.kind, "message": e.message}


def run_task(extract: Callable[..., Any], version: str, task: dict[str, Any]) -> dict[str, Any]:
    from ..errors import ReportError

    path = task["path"]
    out: dict[str, Any] = {"name": task["name"], "ok": False, "version": version}
    t0 = time.perf_counter()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    out_of_memory = False
    try:
        _test_hooks(path)
        report = extract(path, ocr=task.get("ocr", False))
        try:
            out["report"] = report.to_dict(timings=True)  # batch keeps them out of OUT/json itself
        except TypeError:
            out["report"] = report.to_dict()
        out["ok"] = True
    except ReportError as e:
        out["error"] = {"code": e.code, "kind": e.kind, "message": e.message}
    except MemoryError:
        out_of_memory = True  # handled below, once the failed frames (and their memory) are gone
    except RecursionError as e:
        out["error"] = _error("E013", path, f"internal error: RecursionError: {e}"[:300])
    except Exception as e:  # a bug in a stage: record it, keep the batch going
        first = f"{type(e).__name__}: {e}".splitlines()[0][:300] if str(e) else type(e).__name__
        out["error"] = _error("E013", path, f"internal error: {first}")
    if out_of_memory:
        out["error"] = _error("E012", path, "over the worker's memory cap")
        out["restart"] = True  # the heap may be in a bad state: start afresh
    out["seconds"] = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time next to wall time: on a loaded machine the difference is the waiting
    out["cpu_seconds"] = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def main(argv: list[str]) -> int:
    fd, memory_mb = int(argv[1]), int(argv[2])
    conn = Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    t0 = time.perf_counter()
    try:
        extract, version = load_extract()
    except BaseException as e:  # cannot load the pipeline or a model: the batch cannot run
        first = f"{type(e).__name__}: {e}".splitlines()[0] if str(e) else type(e).__name__
        conn.send(("fatal", first))
        return 3
    _limit_address_space(memory_mb)
    try:
        conn.send(("ready", {"pid": os.getpid(), "version": version,
                             "load_seconds": time.perf_counter() - t0, "rss_mb": _peak_rss_mb()}))
    except OSError:  # the batch finished (or stopped) while this worker was loading
        return 0
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return 0
        if msg[0] != "task":
            return 0
        result = run_task(extract, version, msg[1])
        try:
            conn.send(("result", result))
        except MemoryError:
            conn.send(("result", {"name": result["name"], "ok": False, "version": version,
                                  "error": _error("E012", msg[1]["path"], "result too large")}))
            return 0
        except (BrokenPipeError, OSError):
            return 0
        if result.get("restart"):
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
