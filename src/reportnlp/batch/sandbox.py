"""Parent side of one worker process: start it, hand it a file, and kill and replace it
when the file takes too long (E010), uses too much memory (E012) or kills it (E013).

Used by both runners: the local pool drives several sandboxes at once through
`multiprocessing.connection.wait`; on Dask each worker thread owns one and calls `run()`.
The worker is a plain subprocess (not multiprocessing.Process) so it can be started
from a daemonic Dask worker too.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection, wait
from typing import Any, Optional

import psutil

# How often the parent looks at a busy worker's resident memory.
MEMORY_POLL_SECONDS = 0.2
# An idle worker whose resident memory has grown past this share of --memory-mb is
# replaced before its next file, so slow growth (caches, interned strings) never turns
# into an E012 on an innocent file. Only after at least one file: never a restart loop.
RECYCLE_FRACTION = 0.75
# A worker that has not loaded the pipeline after this long is treated as failed to start.
START_TIMEOUT_SECONDS = 300.0


class WorkerStartError(Exception):
    """The worker could not load the pipeline: no file can be processed (batch exits 2)."""


def failure(task: dict[str, Any], code: str, detail: Optional[str] = None, version: str = "") -> dict[str, Any]:
    from ..errors import ReportError

    e = ReportError(code, task["path"], detail)
    return {"name": task["name"], "ok": False, "version": version,
            "error": {"code": e.code, "kind": e.kind, "message": e.message}}


def _signal_name(returncode: Optional[int]) -> str:
    if returncode is None:
        return "exit status unknown"
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


class Sandbox:
    def __init__(self, memory_mb: int, log_path: Optional[str] = None, version: Optional[str] = None):
        self.memory_mb = memory_mb
        self.env = dict(os.environ, REPORTNLP_BATCH_VERSION=version) if version else None
        self.log_path = log_path
        self.proc: Optional[subprocess.Popen] = None
        self.conn: Optional[Connection] = None
        self.state = "down"  # down | starting | idle | busy
        self.task: Optional[dict[str, Any]] = None
        self.deadline = 0.0
        self.timeout = 0.0
        self.started_at = 0.0
        self.info: dict[str, Any] = {}
        self.version = ""
        self._ps: Optional[psutil.Process] = None
        self._next_poll = 0.0
        self.starts = 0  # processes started so far (1 + restarts)
        self.files_since_start = 0

    # --- life cycle -----------------------------------------------------------

    def start(self) -> None:
        parent, child = socket.socketpair()
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "reportnlp.batch.worker", str(child.fileno()), str(self.memory_mb)],
                pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                close_fds=True, env=self.env,
            )
        finally:
            child.close()
            if log is not subprocess.DEVNULL:
                log.close()
        self.conn = Connection(parent.detach())
        self.state = "starting"
        self.starts += 1
        self.files_since_start = 0
        self.started_at = time.monotonic()
        self.task = None
        try:
            self._ps = psutil.Process(self.proc.pid)
        except psutil.Error:
            self._ps = None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.conn is not None:
            self.conn.close()
        self.proc, self.conn, self._ps, self.state = None, None, None, "down"

    def stop(self) -> None:
        """Polite shutdown: close the socket; the worker exits when it reads EOF."""
        if self.conn is not None and self.state in ("idle", "starting"):
            self.conn.close()
            self.conn = None
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def wait_ready(self) -> None:
        while self.state == "starting":
            remaining = self.started_at + START_TIMEOUT_SECONDS - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise WorkerStartError("worker did not start in time")
            if wait([self.conn], remaining):
                ev, payload = self.on_readable()
                if ev in ("fatal", "died"):
                    raise WorkerStartError(str(payload))

    # --- events ---------------------------------------------------------------

    def can_take(self) -> bool:
        """Idle and fit for another file; a bloated idle worker is replaced (and is not)."""
        if self.state != "idle":
            return False
        if self.memory_mb > 0 and self.files_since_start > 0 and self._ps is not None:
            try:
                rss = self._ps.memory_info().rss
            except psutil.Error:
                rss = 0
            if rss > RECYCLE_FRACTION * self.memory_mb * 1024 * 1024:
                self.stop()
                self.start()
                return False
        return True

    def send(self, task: dict[str, Any], timeout: float) -> None:
        assert self.state == "idle"
        self.files_since_start += 1
        self.conn.send(("task", task))
        self.task = task
        self.state = "busy"
        now = time.monotonic()
        self.timeout = timeout
        self.deadline = now + timeout if timeout and timeout > 0 else float("inf")
        self._next_poll = now + MEMORY_POLL_SECONDS

    def on_readable(self) -> tuple[str, Any]:
        """Read what the worker said: ('ready', info) | ('result', dict) | ('fatal', msg)
        | ('died', result-or-None). After 'died' the sandbox is down."""
        try:
            kind, payload = self.conn.recv()
        except (EOFError, OSError, ConnectionError):
            return self._died()
        if kind == "ready":
            self.state, self.info = "idle", payload
            self.version = payload.get("version", "")
            return "ready", payload
        if kind == "fatal":
            self.kill()
            return "fatal", payload
        self.state, self.task = "idle", None
        if payload.get("restart"):
            self.kill()
        return "result", payload

    def _died(self) -> tuple[str, Any]:
        task, was = self.task, self.state
        rc = None
        if self.proc is not None:
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()
        if was == "starting":
            return "died", f"worker exited while loading the pipeline ({_signal_name(rc)})"
        if was == "busy" and task is not None:
            if rc == -signal.SIGKILL:  # not us: the kernel's OOM killer is the usual sender
                return "died", failure(task, "E012", f"worker {_signal_name(rc)}, likely out of memory", self.version)
            return "died", failure(task, "E013", _signal_name(rc), self.version)
        return "died", None

    def check_limits(self, now: float) -> Optional[dict[str, Any]]:
        """Kill a busy worker over its time limit or memory cap; the failure to record."""
        if self.state != "busy":
            return None
        task = self.task
        if now >= self.deadline:
            self.kill()
            return failure(task, "E010", f"no result within {self.timeout:g} s", self.version)
        if self.memory_mb > 0 and now >= self._next_poll and self._ps is not None:
            self._next_poll = now + MEMORY_POLL_SECONDS
            try:
                rss = self._ps.memory_info().rss
            except psutil.Error:
                return None  # it died: the socket reports it
            if rss > self.memory_mb * 1024 * 1024:
                self.kill()
                return failure(task, "E012", f"resident memory over {self.memory_mb} MB", self.version)
        return None

    def next_wakeup(self, now: float) -> float:
        if self.state == "busy":
            return min(self.deadline, self._next_poll) - now
        if self.state == "starting":
            return self.started_at + START_TIMEOUT_SECONDS - now
        return float("inf")

    # --- one file, blocking (the Dask path) -----------------------------------

    def run(self, task: dict[str, Any], timeout: float) -> dict[str, Any]:
        if self.state == "down":
            self.start()
        self.wait_ready()
        if not self.can_take():
            self.wait_ready()
        self.send(task, timeout)
        while True:
            now = time.monotonic()
            fail = self.check_limits(now)
            if fail is not None:
                return fail
            if wait([self.conn], max(0.0, min(self.next_wakeup(now), 1.0))):
                ev, payload = self.on_readable()
                if ev == "result":
                    return payload
                if ev == "died":
                    return payload or failure(task, "E013", "worker exited", self.version)
                if ev == "fatal":
                    raise WorkerStartError(str(payload))
