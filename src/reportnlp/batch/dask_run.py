"""The Dask runner: the same worker process (sandbox.py) under each Dask worker thread.

A WorkerPlugin starts one sandbox per Dask worker when the worker joins (models load
there, once); a task borrows a sandbox, which enforces the time limit and memory cap
exactly as the local pool does (kill and replace the process, record E010/E012/E013).
Cancelling a Dask future cannot stop a running task; killing its sandbox can.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Optional

from distributed import WorkerPlugin

from .sandbox import Sandbox, WorkerStartError, failure

PLUGIN_NAME = "reportnlp-sandbox"


class SandboxPlugin(WorkerPlugin):
    name = PLUGIN_NAME

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb  # only picklable state here: the plugin travels to the workers

    def setup(self, worker) -> None:
        self._free: list[Sandbox] = []
        self._lock = threading.Lock()
        box = Sandbox(self.memory_mb)
        box.start()  # does not block: the models load while the worker gets tasks
        self._free.append(box)

    def teardown(self, worker) -> None:
        with self._lock:
            boxes, self._free = self._free, []
        for b in boxes:
            b.stop()

    def run(self, task: dict[str, Any], timeout: float) -> dict[str, Any]:
        with self._lock:
            box = self._free.pop() if self._free else Sandbox(self.memory_mb)
        try:
            return box.run(task, timeout)
        finally:
            with self._lock:
                self._free.append(box)


def extract_task(task: dict[str, Any], timeout: float) -> dict[str, Any]:
    from distributed import get_worker

    return get_worker().plugins[PLUGIN_NAME].run(task, timeout)


def run_dask(tasks: list[dict[str, Any]], on_result: Callable[[dict[str, Any]], None], *,
             scheduler: str, workers: int, timeout: float, memory_mb: int,
             on_tick: Optional[Callable[[], None]] = None) -> dict[str, Any]:
    from distributed import Client, LocalCluster, as_completed

    # importing distributed sets its loggers to INFO: back to quiet unless --verbose
    quiet = logging.getLogger().level > logging.DEBUG
    if quiet:
        for name in ("distributed", "tornado", "bokeh"):
            logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR if quiet else False)
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="30s")
    try:
        info = {"dask_workers": len(client.scheduler_info().get("workers", {}))}
        client.register_plugin(SandboxPlugin(memory_mb), name=PLUGIN_NAME)
        by_key = {}
        futures = []
        for task in tasks:
            fut = client.submit(extract_task, task, timeout, pure=False)
            by_key[fut.key] = task
            futures.append(fut)
        for fut in as_completed(futures):
            task = by_key[fut.key]
            try:
                result = fut.result()
            except WorkerStartError:
                raise
            except Exception as e:  # the Dask worker itself died (KilledWorker) or the task failed
                result = failure(task, "E013", f"dask: {type(e).__name__}: {e}".splitlines()[0][:300])
                # about the cluster, not the file (also what a Ctrl-C reaching the workers
                # looks like): recorded, but retried by the next run
                result["transient"] = True
            on_result(result)
            if on_tick is not None:
                on_tick()
        return info
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
