"""The worker processes of qcheck.cli.jobs, and how results travel back from them."""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from qcheck.cli.jobs import WorkerError
from qcheck.loaders.files import cycle_collector_paused

T = TypeVar("T")
R = TypeVar("R")
CHUNKS_PER_JOB = 8  # smaller chunks share the work more evenly; each costs a round trip
MAX_CHUNK = 32


def in_processes(
    items: Sequence[T],
    work: Callable[[T], R],
    remote: list[int],
    *,
    jobs: int,
    shared: Sequence[object],
) -> Iterator[R]:
    """Start the workers now; return the results of ``work`` on every item, in order.

    The ``remote`` items go to the workers, the others are done here as their turn comes.
    The workers start before this returns: before anything else the caller starts, such as
    a progress bar's thread, runs beside the fork. See qcheck.cli.jobs.in_order.
    """
    size = max(1, min(MAX_CHUNK, len(remote) // (jobs * CHUNKS_PER_JOB)))
    chunks = [remote[start : start + size] for start in range(0, len(remote), size)]
    executor = _pool(min(jobs, len(chunks)), work, shared)
    try:
        with _signals_held():  # the workers start as chunks are submitted
            futures = [executor.submit(_run_chunk, [items[i] for i in chunk]) for chunk in chunks]
    except BaseException:
        _stop(executor)
        raise
    return _gathered(items, work, executor, zip(chunks, futures, strict=True), shared)


def _gathered(
    items: Sequence[T],
    work: Callable[[T], R],
    executor: ProcessPoolExecutor,
    chunks: Iterable[tuple[list[int], Future[bytes]]],
    shared: Sequence[object],
) -> Iterator[R]:
    """Yield the result for every item in order, waiting for each chunk's as its turn comes."""
    place = {index: (future, at) for chunk, future in chunks for at, index in enumerate(chunk)}
    try:
        done: tuple[Future[bytes] | None, list[R]] = (None, [])
        for index, item in enumerate(items):
            if index not in place:
                yield work(item)
                continue
            future, at = place[index]
            if done[0] is not future:
                done = (future, _results(future, shared))  # earlier chunks are used up
            yield done[1][at]
    except BaseException:
        _stop(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _pool(jobs: int, work: Callable[[Any], Any], shared: Sequence[object]) -> ProcessPoolExecutor:
    """Return a pool of ``jobs`` workers, each holding ``work`` and the ``shared`` objects.

    Workers are forked where the system can (they start at once, holding what this process
    has loaded), else spawned.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(_Worker(work, shared),),
    )


class _Worker:
    """What a worker process holds for the whole run: the work and the shared objects."""

    def __init__(self, work: Callable[[Any], Any], shared: Sequence[object]) -> None:
        self.work = work
        self.shared = shared


_worker: _Worker | None = None
_STOPPING = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while workers start; deliver them here after.

    A worker starts with them held, and lets them through once it has set its own handling
    (see _start_worker): one that came before is then handled as the worker's, not as the
    parent's (a KeyboardInterrupt in the middle of its start, with a traceback).
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: workers are spawned, not forked
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _start_worker(worker: _Worker) -> None:
    """Set up a worker: Ctrl-C is the parent's to handle, and SIGTERM ends it at once."""
    global _worker  # one per process, set when it starts
    _worker = worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent's handler turns SIGTERM into an exception, which a worker would send back
    # and then carry on; stopped by its parent, a worker has nothing to clean up.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    _one_thread()


def _one_thread() -> None:
    """Have pyarrow use one thread in a worker: the workers share the cores between them.

    pyarrow sizes its thread pool by OMP_NUM_THREADS when it is first imported; a worker forked
    after its parent imported it is told directly. (Alone, reading Parquet with two threads
    took 41 ms for 1,000,000 rows against 68 ms with one.)
    """
    os.environ["OMP_NUM_THREADS"] = "1"
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.set_cpu_count(1)
        arrow.set_io_thread_count(1)


def _run_chunk(chunk: list[Any]) -> bytes:
    """Do the work on a chunk of items, in a worker; return the results pickled."""
    if _worker is None:
        raise RuntimeError("the worker was not started")
    try:
        with cycle_collector_paused():
            results = [_worker.work(item) for item in chunk]
    except MemoryError:
        raise
    except Exception as error:
        raise WorkerError(f"{type(error).__name__}: {error}") from error
    return _dumps(results, _worker.shared)


def _dumps(value: object, shared: Sequence[object]) -> bytes:
    """Pickle ``value``, writing each of the ``shared`` objects as its index."""
    buffer = io.BytesIO()
    _Pickler(buffer, shared).dump(value)
    return buffer.getvalue()


class _Pickler(pickle.Pickler):
    """Pickles results: a shared object as its index, a slotted dataclass as its field values.

    Pickle's own way with a slotted dataclass looks its fields up for every object, on both
    sides: for a thousand reports, longer than judging them.
    """

    def __init__(self, file: io.BytesIO, shared: Sequence[object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._index = {id(item): number for number, item in enumerate(shared)}

    def reducer_override(self, obj: Any) -> Any:
        """Return how to rebuild ``obj`` where it is a shared object or a slotted dataclass."""
        number = self._index.get(id(obj))
        if number is not None:
            return _shared, (number,)
        names = _slots(type(obj))
        if names is None:
            return NotImplemented
        return _rebuild, (type(obj), tuple([getattr(obj, name) for name in names]))


_SLOTS: dict[type, tuple[str, ...] | None] = {}


def _slots(kind: type) -> tuple[str, ...] | None:
    """Return the fields of a slotted dataclass, in order; None for any other type."""
    if kind not in _SLOTS:
        slotted = dataclasses.is_dataclass(kind) and "__slots__" in kind.__dict__
        # fields(), not __dataclass_fields__: that also names the class variables.
        names = tuple(field.name for field in dataclasses.fields(kind)) if slotted else None
        _SLOTS[kind] = names
    return _SLOTS[kind]


def _rebuild(kind: type, values: tuple[object, ...]) -> object:
    """Return a slotted dataclass with these field values (frozen or not), as pickled."""
    obj: object = object.__new__(kind)
    for name, value in zip(_slots(kind) or (), values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


def _shared(number: int) -> object:
    """Stand for a shared object in a pickle; _Unpickler puts the object itself in its place."""
    raise RuntimeError(f"shared object {number} read outside the pool")


class _Unpickler(pickle.Unpickler):
    """Reads what a worker pickled, putting this process's shared objects where it names them."""

    def __init__(self, data: bytes, shared: Sequence[object]) -> None:
        super().__init__(io.BytesIO(data))
        self._shared = shared

    def find_class(self, module: str, name: str) -> Any:
        """Return the shared objects' look-up for the stand-in, else the class named."""
        if (module, name) == (__name__, _shared.__name__):
            return self._shared.__getitem__
        return super().find_class(module, name)


def _results(future: Future[bytes], shared: Sequence[object]) -> list[Any]:
    """Wait for a chunk's results and read them."""
    results: list[Any] = _Unpickler(future.result(), shared).load()
    return results


def _stop(executor: ProcessPoolExecutor) -> None:
    """End the workers now: what they were doing is not wanted any more."""
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()
