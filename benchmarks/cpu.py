"""CPU time used over a span of the benchmark, per group of processes and for the machine, read
from /proc: how many of the machine's cores each part of a deployment (the replicas, nginx,
PostgreSQL, the load client itself) kept busy while the load ran."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone
        return None
    # The command name, in parentheses, may hold spaces: the fields follow its last ")".
    return text[text.rindex(")") + 2 :].split()


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User and system CPU time of ``pids`` and of their children they have waited for."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:  # utime, stime, cutime, cstime
            total += sum(int(x) for x in fields[11:15])
    return total * TICK_S


def machine_ticks() -> tuple[float, float]:
    """The machine's busy and total CPU time since boot, in seconds (all cores)."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) * TICK_S, sum(values) * TICK_S


@dataclass
class CpuWatch:
    """CPU use of named groups of processes (``groups``: name → pids; `process_tree` gives a
    process with its descendants) and of the whole machine, from `start` to `stop`, in cores
    (CPU seconds per second)."""

    groups: Mapping[str, Sequence[int]]
    _before: dict[str, float] = field(default_factory=dict)
    _machine: tuple[float, float] = (0.0, 0.0)
    _started: float = 0.0

    def start(self) -> None:
        self._before = {name: cpu_seconds(pids) for name, pids in self.groups.items()}
        self._machine = machine_ticks()
        self._started = time.perf_counter()

    def stop(self) -> dict[str, float]:
        """Cores each group used, the machine's busy cores, and its core count."""
        wall = time.perf_counter() - self._started
        busy, total = machine_ticks()
        used = {
            f"{name}_cores": (cpu_seconds(pids) - self._before[name]) / wall
            for name, pids in self.groups.items()
        }
        cores = os.cpu_count() or 1
        return {
            **used,
            "machine_busy_cores": (busy - self._machine[0]) / (total - self._machine[1]) * cores,
            "machine_cores": cores,
        }
