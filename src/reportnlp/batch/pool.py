"""The local runner: a small pool of worker processes (sandbox.py) driven from one loop.

Unlike concurrent.futures, a worker stuck in one file can be killed and replaced
without losing the others; each replacement loads the models once, like the first.
"""
from __future__ import annotations

import time
from collections import deque
from multiprocessing.connection import wait
from typing import Any, Callable, Optional

from .sandbox import Sandbox, WorkerStartError

# Workers that die while loading the pipeline this many times in a row: give up.
MAX_START_FAILURES = 3
# Longest sleep of the loop, so progress lines and the memory watchdog keep ticking.
MAX_WAIT_SECONDS = 0.5


def run_pool(tasks: list[dict[str, Any]], on_result: Callable[[dict[str, Any]], None], *,
             workers: int, timeout: float, memory_mb: int, log_path: Optional[str] = None,
             version: Optional[str] = None, on_tick: Optional[Callable[[], None]] = None) -> dict[str, Any]:
    """Runs the tasks; returns {"worker_starts": n} (workers + restarts)."""
    pending = deque(tasks)
    boxes = [Sandbox(memory_mb, log_path, version) for _ in range(max(1, min(workers, len(tasks))))]
    start_failures = 0
    try:
        for b in boxes:
            b.start()
        while pending or any(b.state == "busy" for b in boxes):
            for b in boxes:
                if pending and b.can_take():
                    b.send(pending.popleft(), timeout)
                elif b.state == "down" and pending:
                    b.start()
            now = time.monotonic()
            for b in boxes:
                fail = b.check_limits(now)
                if fail is not None:
                    on_result(fail)
            live = {b.conn: b for b in boxes if b.conn is not None}
            if not live:
                continue
            sleep = min([b.next_wakeup(now) for b in live.values()] + [MAX_WAIT_SECONDS])
            for conn in wait(list(live), max(0.0, sleep)):
                b = live[conn]
                event, payload = b.on_readable()
                if event == "ready":
                    start_failures = 0
                elif event == "result":
                    if pending and b.can_take():  # next file first, then write this one
                        b.send(pending.popleft(), timeout)
                    on_result(payload)
                elif event == "fatal":
                    raise WorkerStartError(payload)
                elif event == "died":
                    if isinstance(payload, dict):
                        on_result(payload)
                    elif isinstance(payload, str):
                        start_failures += 1
                        if start_failures >= MAX_START_FAILURES:
                            raise WorkerStartError(payload)
            if on_tick is not None:
                on_tick()
    finally:
        for b in boxes:
            b.stop()
    return {"worker_starts": sum(b.starts for b in boxes)}
