"""Where runs execute: in this process, on a local process pool, or on a Dask cluster.

Every executor takes an iterator of :class:`~sim.sweep.worker.RunTask` and yields one
:class:`Completed` per task as runs finish (in completion order), keeping only a bounded window
of tasks in flight so that the driver's memory stays flat however long the sweep. A failed run is
tried again up to ``retries`` times, then reported with its error; the sweep goes on.

Dask (``pip install -e '.[cluster]'``) is imported only when a scheduler is given.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol

from sim.errors import SweepError
from sim.sweep.worker import Payload, RunFailed, RunOutput, RunTask, execute

__all__ = [
    "Completed",
    "DaskExecutor",
    "Executor",
    "LocalPoolExecutor",
    "SerialExecutor",
    "default_workers",
]

log = logging.getLogger(__name__)

#: Modules the forkserver imports once, so that every worker starts warm. ``dask.array`` (when
#: installed) is what xarray imports on a process's first Variable, ~1-3 s; missing ones are
#: skipped by the forkserver.
_PRELOAD = [
    "sim.forkserver_guard",
    "sim.sweep.worker",
    "sim.api",
    "sim.engine",
    "sim.results",
    "dask.array",
]


def default_workers() -> int:
    """CPUs this process may use: ``SLURM_CPUS_PER_TASK`` if set, else the affinity mask."""
    slurm = os.environ.get("SLURM_CPUS_PER_TASK", "").strip()
    if slurm.isdigit() and int(slurm) > 0:
        return int(slurm)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Completed:
    """A finished task: its output, or the error of its last attempt."""

    task: RunTask
    output: RunOutput | None
    error: str | None
    attempts: int


class Executor(Protocol):
    """Runs tasks and yields them as they complete."""

    workers: int

    def map(self, tasks: Iterable[RunTask], payload: Payload, retries: int) -> Iterator[Completed]:
        """Yield a :class:`Completed` for every task, in completion order."""
        ...  # pragma: no cover


class SerialExecutor:
    """Runs every task in this process, one after the other (``-j 1``)."""

    workers = 1

    def map(self, tasks: Iterable[RunTask], payload: Payload, retries: int) -> Iterator[Completed]:
        """Yield each task's result as soon as it is computed."""
        for task in tasks:
            for attempt in range(1, retries + 2):
                try:
                    yield Completed(task, execute(task, payload), None, attempt)
                    break
                except RunFailed as exc:
                    if attempt > retries:
                        yield Completed(task, None, str(exc.args[0]), attempt)


def _context() -> Any:
    """The multiprocessing context of the pool; the forkserver is started here. It sets one
    thread per process for the numeric libraries and guards itself against this driver's death
    in its own process (:mod:`sim.forkserver_guard`); this process's ``os.environ`` is not
    touched."""
    if not sys.platform.startswith("linux"):
        return mp.get_context("spawn")  # pragma: no cover - macOS, Windows
    from multiprocessing import forkserver

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    forkserver.ensure_running()
    return ctx


def _new_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers exit when this driver dies (:mod:`sim.watchdog`)."""
    from sim.watchdog import install

    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=install)


class LocalPoolExecutor:
    """A process pool on this machine (``forkserver`` on Linux, else ``spawn``).

    Parameters
    ----------
    workers
        Worker processes.
    window
        Tasks in flight per worker (bounds the driver's memory).
    keep
        Keep the worker processes between calls of :meth:`map` (a search maps one generation at
        a time) until :meth:`close`; False: a pool per call.
    """

    def __init__(self, workers: int, window: int = 4, keep: bool = False) -> None:
        if workers < 1:
            raise SweepError(f"workers(={workers}) must be >= 1")
        self.workers = workers
        self.window = window
        self.keep = keep
        self._kept: ProcessPoolExecutor | None = None

    def close(self) -> None:
        """End a kept pool's worker processes (nothing to do without ``keep``)."""
        if self._kept is not None:
            self._kept.shutdown(wait=True, cancel_futures=True)
            self._kept = None

    def map(self, tasks: Iterable[RunTask], payload: Payload, retries: int) -> Iterator[Completed]:
        """Submit tasks in a bounded window; resubmit failures; survive a dead worker process."""
        source = iter(tasks)
        limit = self.workers * self.window
        queue: list[tuple[RunTask, int]] = []  # (task, attempt) waiting for a slot
        pool = self._kept or _new_pool(self.workers)
        pending: dict[Future[RunOutput], tuple[RunTask, int]] = {}
        finished = 0
        try:
            while True:
                while len(pending) < limit:
                    if queue:
                        task, attempt = queue.pop()
                    else:
                        nxt = next(source, None)
                        if nxt is None:
                            break
                        task, attempt = nxt, 1
                    pending[pool.submit(execute, task, payload)] = (task, attempt)
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                broken = False
                for fut in done:
                    task, attempt = pending.pop(fut)
                    try:
                        out = fut.result()
                    except RunFailed as exc:
                        if attempt > retries:
                            yield Completed(task, None, str(exc.args[0]), attempt)
                        else:
                            queue.append((task, attempt + 1))
                    except BrokenProcessPool:
                        broken = True
                        if attempt > retries:
                            yield Completed(task, None, "worker process died", attempt)
                        else:
                            queue.append((task, attempt + 1))
                    else:
                        finished += 1
                        yield Completed(task, out, None, attempt)
                if broken and finished == 0:
                    raise SweepError(
                        "the worker processes died before finishing any run (out of memory? a "
                        "script without an `if __name__ == '__main__':` guard?)"
                    )
                if broken:
                    log.warning("a worker process died; restarting the pool")
                    queue.extend(pending.values())
                    pending.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _new_pool(self.workers)
        finally:
            if self.keep and not pending:
                self._kept = pool
            else:
                self._kept = None
                pool.shutdown(wait=True, cancel_futures=True)


def scheduler_address(scheduler_file: str) -> str:
    """The address in a scheduler file (``dask scheduler --scheduler-file``), read at once.

    ``Client(scheduler_file=...)`` would wait for a missing file to appear, past any timeout;
    here a missing, unreadable or malformed file is an error straight away.
    """
    import json
    from pathlib import Path

    path = Path(scheduler_file)
    if not path.is_file():
        raise SweepError(f"--scheduler-file {scheduler_file}: file not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8")[:1_000_000])
    except (OSError, ValueError) as exc:
        raise SweepError(
            f"--scheduler-file {scheduler_file}: not a scheduler file: {exc}"
        ) from None
    address = data.get("address") if isinstance(data, dict) else None
    if not isinstance(address, str) or not address:
        raise SweepError(f"--scheduler-file {scheduler_file}: no 'address' in it")
    return address


def _connect(client_type: Any, address: str | None, timeout_s: float) -> Any:
    """``Client(address, timeout=...)``, with the timeout enforced from outside as well."""
    import threading

    box: dict[str, Any] = {}

    def connect() -> None:
        try:
            box["client"] = client_type(address, timeout=timeout_s)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=connect, name="sim-dask-connect", daemon=True)
    thread.start()
    thread.join(timeout_s + 5.0)
    if thread.is_alive():
        raise TimeoutError(f"no answer within {timeout_s:g} s")
    if "error" in box:
        error = box["error"]
        if isinstance(error, (OSError, TimeoutError, ValueError)):
            raise error
        raise OSError(f"{type(error).__name__}: {error}")
    return box["client"]


class DaskExecutor:
    """An existing Dask distributed cluster (``dask scheduler`` / ``dask worker``, dask-jobqueue).

    Parameters
    ----------
    address
        ``tcp://host:8786``; or None with ``scheduler_file``.
    scheduler_file
        The JSON file a scheduler wrote with ``--scheduler-file``.
    key_prefix
        Prefix of the task keys (the sweep's hash), so that sweeps sharing a cluster never
        collide.
    window
        Tasks in flight per worker thread.
    """

    def __init__(
        self,
        address: str | None = None,
        scheduler_file: str | None = None,
        *,
        key_prefix: str = "sweep",
        window: int = 4,
        timeout_s: float = 30.0,
    ) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise SweepError(
                "a Dask scheduler was given but dask.distributed is not installed: "
                "pip install -e '.[cluster]'"
            ) from None
        if scheduler_file:
            address = scheduler_address(scheduler_file)
        try:
            self.client = _connect(Client, address, timeout_s)
        except (OSError, TimeoutError, ValueError) as exc:
            where = scheduler_file or address
            raise SweepError(f"cannot reach the Dask scheduler {where}: {exc}") from None
        threads = sum(self.client.nthreads().values())
        self.workers = max(1, threads)
        self.key_prefix = key_prefix
        self.window = window

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        self.client.close()

    def map(self, tasks: Iterable[RunTask], payload: Payload, retries: int) -> Iterator[Completed]:
        """``client.map(execute, ..., pure=False, retries=..., key=...)``, streamed."""
        from distributed import as_completed

        client = self.client
        shared = client.scatter(payload, broadcast=True, hash=False)
        source = iter(tasks)
        by_key: dict[str, RunTask] = {}

        def submit(n: int) -> list[Any]:
            chunk = [t for _, t in zip(range(n), source, strict=False)]
            if not chunk:
                return []
            keys = [f"{self.key_prefix}-{t.run_id}" for t in chunk]
            by_key.update(zip(keys, chunk, strict=True))
            futures: list[Any] = client.map(
                execute, chunk, payload=shared, pure=False, retries=retries, key=keys
            )
            return futures

        limit = max(self.workers, sum(client.nthreads().values())) * self.window
        ac = as_completed(submit(limit))
        for fut in ac:
            task = by_key.pop(fut.key)
            try:
                out = fut.result()
            except RunFailed as exc:
                yield Completed(task, None, str(exc.args[0]), retries + 1)
            except Exception as exc:  # KilledWorker, CancelledError: the cluster gave up
                yield Completed(task, None, f"{type(exc).__name__}: {exc}", retries + 1)
            else:
                yield Completed(task, out, None, 1)
            fut.release()
            for new in submit(1):
                ac.add(new)
