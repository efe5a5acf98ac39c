"""Work spread over processes, as black does: a pool of workers, results gathered in order.

The pool itself (qcheck.cli.pool, with multiprocessing) is imported only when more than one
process is used.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from qcheck.cli.options import JOBS_FROM

T = TypeVar("T")
R = TypeVar("R")


class WorkerError(Exception):
    """An unexpected error in a worker, described as it was there: ``ValueError: ...``.

    Its traceback, sent back by the pool, is that of the error in the worker.
    """

    def __init__(self, described: str) -> None:
        super().__init__(described)
        self.described = described


def usable_cores() -> int:
    """Return how many processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_jobs(inputs: int) -> int:
    """Return how many processes to use for ``inputs`` inputs: every core when there are many."""
    return usable_cores() if inputs >= JOBS_FROM else 1


def in_order(
    items: Sequence[T],
    work: Callable[[T], R],
    *,
    jobs: int,
    shared: Sequence[object] = (),
    local: Sequence[bool] = (),
) -> Iterator[R]:
    """Return ``work(item)`` for every item, in the order of ``items``, using ``jobs`` processes.

    With more than one job, items go to worker processes in chunks (``work`` is sent to each
    once, by pickling where processes are not forked), which start at once; the items marked
    in ``local`` (standard input, a pipe) are done here, in their turn. Results come back
    pickled; the ``shared`` objects, which both sides hold (the catalogue and its targets),
    travel as their index in it. An unexpected error in a worker is raised here as a
    WorkerError that describes it as it was; a MemoryError as itself. An interrupt while the
    results are read stops the workers.
    """
    remote = [index for index in range(len(items)) if not (local and local[index])]
    if jobs <= 1 or len(remote) <= 1:
        return map(work, items)
    from qcheck.cli.pool import in_processes

    return in_processes(items, work, remote, jobs=jobs, shared=shared)
