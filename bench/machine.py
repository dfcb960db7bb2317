"""How busy this virtual machine's host kept it: a slow figure is ours or the neighbours'.

On a shared host the hypervisor can hand a vCPU to another guest; Linux counts that time as
"steal" in /proc/stat. Measured here, the same code ran ×1.3–1.6 slower while 9–20% of the
CPU time was stolen than while 1% was, so every benchmark prints it beside its figures.
"""

from __future__ import annotations

from pathlib import Path


def cpu_counters() -> tuple[int, int]:
    """All CPU time of this machine so far, and the part given to other guests (clock ticks)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]), fields[7]


def stolen(before: tuple[int, int], after: tuple[int, int] | None = None) -> float:
    """The share of CPU time stolen between two readings (to now without `after`)."""
    after = after or cpu_counters()
    total = after[0] - before[0]
    return (after[1] - before[1]) / total if total else 0.0
