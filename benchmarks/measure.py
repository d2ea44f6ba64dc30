"""Measuring whole process trees for the benchmarks: CPU seconds and peak resident memory of a
process and its descendants (psutil, from /proc), and one fresh command timed with both."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import psutil


def machine() -> str:
    """This machine as the system reports it: CPU model, cores, memory, OS and Python."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:
        cpuinfo = ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({model or platform.processor() or 'unknown CPU'}), {memory:.0f} GiB, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
    )


def tree_cpu_seconds(process: psutil.Process) -> float:
    """User + system CPU of a process, its finished children and its live descendants."""
    total = sum(process.cpu_times()[:4])
    for child in process.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            continue
    return total


class PeakMemory:
    """Largest resident memory of one or more process trees together, sampled every 50 ms in a thread."""

    def __init__(self, *processes: psutil.Process):
        self.processes, self.peak, self._stop = processes, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss = 0
            try:
                members = [m for p in self.processes for m in (p, *p.children(recursive=True))]
            except psutil.NoSuchProcess:
                return
            for member in members:
                try:
                    rss += member.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
            self.peak = max(self.peak, rss)
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall and CPU seconds (the command and its children) and peak memory (MiB, whole tree) of
    one fresh run of ``command``; an error if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with PeakMemory(psutil.Process(child.pid)) as memory:
        _, status, usage = os.wait4(child.pid, 0)  # the child's own CPU, and its waited children's
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{' '.join(command[:4])} failed: {child.stderr.read().decode()[-500:]}")
    child.returncode = 0
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": memory.peak / 2**20}


def spread(values: list[float], unit: str = "s", decimals: int = 3) -> str:
    """Median, p95 and minimum of ``values`` and how many there are, for a benchmark's report."""
    p95 = float(np.percentile(values, 95))
    return (
        f"median {statistics.median(values):.{decimals}f} {unit}, p95 {p95:.{decimals}f} {unit}, "
        f"min {min(values):.{decimals}f} {unit} (n = {len(values)})"
    )
