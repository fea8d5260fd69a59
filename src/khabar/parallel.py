"""Extraction on several cores (a local process pool) or on a Dask cluster, feeding the
single writer of ``khabar.ingest``.

``extractions`` takes documents and gives their ``Extraction`` records in input order, as
``Extractor.extract_many`` does; only the place where the work runs changes. Each worker
process builds its extractor once (the spaCy model and the gazetteers: seconds) and is sent
documents a chunk at a time; the main process keeps the database and writes every record
itself, one transaction per document, so the knowledge base is the same whatever runs the
extraction.

Memory stays bounded: no more than ``AHEAD`` chunks per worker are in flight, so a generator
of a million documents is read as the workers catch up, never all at once.

A document whose extraction fails gives an Extraction with ``error`` set, as in one process.
When a chunk fails as a whole (a worker killed by the kernel, a segfault in a parser, a task
Dask gave up on), the chunks then in flight are run again one document at a time, so that
the document at fault is the only one reported and nothing else is lost.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from khabar.errors import KhabarError
from khabar.schema import Document, Extraction

__all__ = ["ENGINES", "LocalPool", "default_jobs", "extractions"]

ENGINES = ("local", "dask")
CHUNK = 8  # documents per task: enough for full parser batches, few enough to keep both cores busy
AHEAD = 2  # chunks in flight per worker: one being extracted, one waiting
# A pool costs each worker a model load (2-3 CPU-s); fewer documents than this are extracted
# here, in this process, where that load is paid once (None: a chunk per worker).
POOL_FROM: int | None = None
SCHEDULER_TIMEOUT = 20  # seconds to wait for a scheduler given by address


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def new_extractor():
    """The extractor a worker builds (picklable: workers are separate processes)."""
    from khabar.extract.pipeline import Extractor

    return Extractor()


def extractions(documents: Iterable[Document], *, jobs: int = 1, engine: str = "local",
                scheduler: str | None = None, extractor_factory: Callable[[], Any] = new_extractor,
                here: Callable[[], Any] | None = None) -> Iterator[Extraction]:
    """Extractions of ``documents`` in input order.

    ``jobs`` worker processes (1: in this process, no pool), or Dask tasks when ``engine`` is
    "dask": on the cluster whose scheduler is at ``scheduler``, else on a LocalCluster of
    ``jobs`` workers. ``extractor_factory`` builds a worker's extractor (a module-level
    function, since it is pickled to the workers); ``here`` gives the one to use in this
    process when no pool is started (``Workspace.extractor``, loaded only then)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    local = here or extractor_factory
    if engine == "dask":
        backend = _Dask(jobs, scheduler, extractor_factory)
        yield from _run(documents, backend, backend.workers)
        return
    if jobs <= 1:
        yield from local().extract_many(documents)
        return
    it = iter(documents)
    first = list(islice(it, POOL_FROM if POOL_FROM is not None else jobs * CHUNK))
    if len(first) < (POOL_FROM if POOL_FROM is not None else jobs * CHUNK):  # too few for a pool
        yield from local().extract_many(first)
        return
    yield from _run(_chain(first, it), LocalPool(jobs, extractor_factory), jobs)


def _chain(first: list[Document], rest: Iterator[Document]) -> Iterator[Document]:
    yield from first
    yield from rest


def _run(documents: Iterable[Document], backend, workers: int) -> Iterator[Extraction]:
    """Chunks submitted ahead, results taken in submission order."""
    chunks = _chunks(documents)
    inflight: deque[tuple[list[Document], Any]] = deque()

    def fill() -> None:
        while len(inflight) < workers * AHEAD:
            chunk = next(chunks, None)
            if chunk is None:
                return
            inflight.append((chunk, backend.submit(chunk)))

    try:
        fill()
        while inflight:
            chunk, future = inflight.popleft()
            try:
                result = backend.result(future)
            except Exception:  # noqa: BLE001 - the chunk as a whole failed: find the document at fault
                suspects = chunk + [d for c, _ in inflight for d in c]
                backend.cancel([f for _, f in inflight])
                inflight.clear()
                backend.reset()
                for document in suspects:
                    yield _alone(backend, document)
                fill()
                continue
            yield from _checked(result)
            fill()
    finally:
        backend.cancel([f for _, f in inflight])
        backend.close()


def _alone(backend, document: Document) -> Extraction:
    """One document in a task of its own: its extraction, or its failure."""
    try:
        return next(iter(_checked(backend.result(backend.submit([document])))))
    except KhabarError:
        raise
    except Exception as exc:  # noqa: BLE001 - this document killed its worker: report it, go on
        backend.reset()
        return Extraction(doc_id=document.id, error=f"extraction worker failed ({type(exc).__name__}: "
                                                    f"{str(exc)[:200]})")


def _chunks(documents: Iterable[Document]) -> Iterator[list[Document]]:
    it = iter(documents)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def _checked(result) -> list[Extraction]:
    if isinstance(result, _Failed):  # the worker could not build its extractor: no use going on
        raise KhabarError(result.code, result.message) if result.code else RuntimeError(result.message)
    return result


# -- the worker side -------------------------------------------------------------------------
class _Failed:
    """A worker's extractor could not be built (the model missing, a bad gazetteer)."""

    def __init__(self, code: str, message: str) -> None:
        self.code, self.message = code, message


_extractor: Any = None  # this worker's, built once
_failure: _Failed | None = None
_factory: Any = None  # what built it: a Dask worker outlives a run, and the next may ask for another
_lock = threading.Lock()  # a Dask worker may run tasks in several threads; one extractor, one at a time


def _init_worker(factory: Callable[[], Any], parent: int | None = None) -> None:
    global _extractor, _failure, _factory
    if parent is not None:
        threading.Thread(target=_orphaned, args=(parent,), daemon=True).start()
    _extractor, _failure, _factory = None, None, factory
    try:
        _extractor = factory()
    except KhabarError as exc:
        _failure = _Failed(exc.code, exc.message)
    except Exception as exc:  # noqa: BLE001 - said in the main process, which stops
        _failure = _Failed("", f"the extraction worker could not start ({type(exc).__name__}: {exc})")


def _orphaned(parent: int) -> None:
    """Exit when the process that started this worker is gone: a killed ingest (SIGKILL, the
    OOM killer) cannot shut its pool down, and its workers would wait for chunks forever."""
    import time

    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # alive, another user's: not ours (the pid was reused)
            os._exit(1)


def _extract_chunk(documents: list[Document]) -> list[Extraction] | _Failed:
    if _failure is not None:
        return _failure
    return list(_extractor.extract_many(documents))


def _extract_chunk_dask(documents: list[Document], factory: Callable[[], Any]) -> list[Extraction] | _Failed:
    with _lock:
        if _factory is not factory:
            _init_worker(factory)
        return _extract_chunk(documents)


# -- where the tasks run ---------------------------------------------------------------------
class LocalPool:
    """Worker processes on this machine, started fresh (spawned, not forked: this process's
    database connection and threads stay here), each watching that this process lives.
    As with every spawned process, a script that calls ``Workspace.ingest(jobs=2)`` must do
    it under ``if __name__ == "__main__":`` (the workers import the script)."""

    def __init__(self, jobs: int, factory: Callable[[], Any]) -> None:
        import multiprocessing

        self.jobs, self.factory = jobs, factory
        self.context = multiprocessing.get_context("spawn")
        self.executor = self._start()

    def _start(self):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=_init_worker,
                                   initargs=(self.factory, os.getpid()))

    def submit(self, documents: list[Document]):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.executor.submit(_extract_chunk, documents)
        except BrokenProcessPool:  # a worker died since the last result: a new pool
            self.reset()
            return self.executor.submit(_extract_chunk, documents)

    def result(self, future):
        return future.result()

    def cancel(self, futures) -> None:
        for f in futures:
            f.cancel()

    def reset(self) -> None:
        """A new pool after a failure: a pool whose worker died takes no more work, and it may
        not know it yet when asked at once (a probe can still reach a live worker, and the
        next document would then be blamed for the death)."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """Tasks on a Dask cluster: the one at ``scheduler``, else a LocalCluster of ``jobs``
    single-threaded worker processes started for this run and closed after it."""

    def __init__(self, jobs: int, scheduler: str | None, factory: Callable[[], Any]) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise KhabarError("E312", f"--engine dask needs Dask, which is not installed ({exc})") from None
        import logging

        self.factory, self.cluster = factory, None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
            else:
                self.cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except OSError as exc:  # TimeoutError included
            if self.cluster is not None:
                self.cluster.close()
            raise KhabarError("E313", f"no Dask scheduler answered at {scheduler} ({exc})") from None
        # enough chunks in flight for every worker the cluster has now (it may have more than --jobs)
        self.workers = max(jobs, sum(self.client.nthreads().values()), 1)

    def submit(self, documents: list[Document]):
        # pure=False: the same documents twice (a retry) are two tasks, not one result cached
        return self.client.submit(_extract_chunk_dask, documents, self.factory, pure=False)

    def result(self, future):
        return future.result()

    def cancel(self, futures) -> None:
        if futures:
            self.client.cancel(futures)

    def reset(self) -> None:
        """Nothing to do: the scheduler replaces a worker that died."""

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
