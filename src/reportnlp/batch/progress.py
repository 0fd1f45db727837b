"""Progress of a batch: a rich bar on a terminal, plain periodic lines otherwise."""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

# Seconds between progress lines when stderr is not a terminal (logs, CI).
LOG_INTERVAL_SECONDS = 5.0


class Progress:
    def __init__(self, total: int, skipped: int, stream: Optional[TextIO] = None, enabled: bool = True):
        self.total, self.skipped = total, skipped
        self.ok = self.failed = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self.t0 = time.monotonic()
        self._next_log = self.t0 + LOG_INTERVAL_SECONDS
        self._bar = None
        self._task = None

    @property
    def done(self) -> int:
        return self.skipped + self.ok + self.failed

    def rate(self) -> float:
        dt = time.monotonic() - self.t0
        return (self.ok + self.failed) / dt if dt > 0 else 0.0

    def __enter__(self) -> "Progress":
        if self.tty:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TaskProgressColumn,
                                       TextColumn, TimeElapsedColumn, TimeRemainingColumn)

            self._bar = Bar(TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                            TextColumn("{task.fields[rate]} reports/s"), TextColumn("{task.fields[failed]} failed"),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                            console=Console(file=self.stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("batch", total=self.total, completed=self.skipped, rate="-", failed=0)
        elif self.enabled and self.skipped:
            print(f"batch: {self.skipped} of {self.total} already done, skipping them", file=self.stream, flush=True)
        return self

    def update(self, ok: bool) -> None:
        if ok:
            self.ok += 1
        else:
            self.failed += 1
        if self._bar is not None:
            self._bar.update(self._task, advance=1, rate=f"{self.rate():.2f}", failed=self.failed)
        self.tick()

    def tick(self) -> None:
        if not self.enabled or self.tty:
            return
        now = time.monotonic()
        if now >= self._next_log:
            self._next_log = now + LOG_INTERVAL_SECONDS
            self._log()

    def _log(self) -> None:
        rate = self.rate()
        left = self.total - self.done
        eta = f", ETA {left / rate:.0f} s" if rate > 0 and left else ""
        print(f"batch: {self.done}/{self.total} done ({self.ok} ok, {self.failed} failed, "
              f"{self.skipped} skipped), {rate:.2f} reports/s{eta}", file=self.stream, flush=True)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
