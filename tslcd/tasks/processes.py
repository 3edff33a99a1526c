"""A Nornir runner that spreads hosts over worker processes, each with its own thread pool.

Why: one Python process backs up at most one core's worth of SSH (key exchange, ciphers and
Netmiko's prompt matching are CPU work under the GIL). Hosts are dealt round-robin to forked
workers; each runs Nornir's `ThreadedRunner` over its share and streams every host's start and
result back to the parent, which replays them to the run's processors (progress) and gathers the
results. Only the parent writes the git commit and SQLite: the workers touch neither.

Workers are forked, so the task, its closures and the hosts (credentials included) are inherited,
never pickled or written anywhere. Setting ``stop`` in the parent is relayed to every worker's
copy of it within a tick. A worker that dies reports each host it had not finished as failed.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from nornir.core.inventory import Host
from nornir.core.processor import Processors
from nornir.core.task import AggregatedResult, MultiResult, Result, Task
from nornir.plugins.runners import ThreadedRunner

from tslcd.tasks.attempts import Outcome
from tslcd.tasks.failures import ErrorClass, HostFailure

TICK = 0.1  # seconds between two looks at ``stop`` and at the workers' health


@dataclass(frozen=True)
class _Portable:
    """One `Result` of a host, in a form that crosses the process boundary."""

    name: str | None
    result: Any
    failed: bool
    changed: bool
    exception: BaseException | None
    severity_level: int


class WorkerError(Exception):
    """An exception raised in a worker that cannot be sent back as it is (its type is named)."""


def _portable(value: Any) -> Any:
    """``value`` if it pickles, else a `WorkerError` naming its type (never its text)."""
    try:
        pickle.dumps(value)
    except Exception:  # any object a task returned or raised: only its type is kept
        return WorkerError(f"unexpected {type(value).__name__}")
    return value


class _Forward:
    """A Nornir Processor in a worker: sends host starts and results to the parent."""

    def __init__(self, channel: Connection) -> None:
        self._channel = channel
        self._lock = threading.Lock()  # one message at a time from the worker's threads

    def _send(self, message: tuple[str, str, list[_Portable] | None]) -> None:
        with self._lock:
            self._channel.send(message)

    def task_started(self, task: Task) -> None:
        """Nornir hook: the parent reports the run's start."""

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        """Nornir hook: the parent reports the run's end."""

    def task_instance_started(self, task: Task, host: Host) -> None:
        """Nornir hook: tell the parent a worker thread picked up ``host``."""
        self._send(("started", host.name, None))

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Nornir hook: send ``host``'s results to the parent."""
        self._send(("done", host.name, [
            _Portable(r.name, _portable(r.result), r.failed, r.changed,
                      _portable(r.exception) if r.exception is not None else None, r.severity_level)
            for r in result]))

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        """Nornir hook: sub-tasks stay inside the worker."""

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Nornir hook: sub-tasks stay inside the worker."""


def _worker(task: Task, hosts: list[Host], threads: int, channel: Connection, stop_flag: Any,
            stop: threading.Event | None) -> None:
    """A worker process: the thread pool over its hosts, ``stop`` set when the parent's is.

    Ctrl-C reaches the whole process group: a worker ignores it, the parent turns it into
    ``stop`` and relays that, so sessions are cut and hosts reported cancelled, not lost.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_follow_parent, args=(os.getppid(), stop_flag, stop),
                     name="tslcd-parent-watch", daemon=True).start()
    task.processors = Processors([_Forward(channel)])
    try:
        ThreadedRunner(threads).run(task, hosts)
    finally:
        channel.close()


def _follow_parent(parent: int, stop_flag: Any, stop: threading.Event | None) -> None:
    """Set ``stop`` once the parent raises the shared flag, and end this worker as soon as the
    parent is gone (killed): an orphan would keep sessions open and hold the inherited store
    lock. The flag is a plain shared byte, looked at every tick: a lock or condition shared with
    workers that may die could leave the parent waiting on a dead one."""
    while os.getppid() == parent:
        if stop is not None and stop_flag.value and not stop.is_set():
            stop.set()
        time.sleep(TICK)
    os._exit(1)


def crashed_result(host: Host, exitcode: int | None) -> MultiResult:
    """The result of a host whose worker process ended before the host was done."""
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    failure = HostFailure(ErrorClass.INTERNAL, f"the worker process backing up this host ended "
                          f"({how}) before the host was done")
    multi = MultiResult("worker")
    multi.append(Result(host, result=Outcome(None, 0, 0.0, failure), failed=True, exception=failure))
    return multi


class ProcessRunner:
    """Nornir runner: ``processes`` forked workers, each running ``num_workers / processes``
    threads (the total number of concurrent sessions stays ``num_workers``)."""

    def __init__(self, num_workers: int = 20, processes: int = 0,
                 stop: threading.Event | None = None) -> None:
        self.num_workers = num_workers
        self.processes = processes or os.cpu_count() or 1
        self.stop = stop

    def run(self, task: Task, hosts: list[Host]) -> AggregatedResult:
        """Run ``task`` over ``hosts`` in the workers; one thread pool here when one process is enough."""
        processes = min(self.processes, len(hosts), self.num_workers)
        if processes <= 1:
            return ThreadedRunner(self.num_workers).run(task, hosts)
        context = multiprocessing.get_context("fork")
        stop_flag = context.RawValue("b", 0)
        threads = math.ceil(self.num_workers / processes)
        shares = [hosts[i::processes] for i in range(processes)]
        workers: dict[Connection, tuple[Any, list[Host]]] = {}
        try:
            for i, share in enumerate(shares):
                # a pipe per worker: no lock is shared with a process that may die holding it
                reader, writer = context.Pipe(duplex=False)
                worker = context.Process(target=_worker, name=f"tslcd-worker-{i}", daemon=True,
                                         args=(task, share, threads, writer, stop_flag, self.stop))
                worker.start()
                writer.close()  # the worker's alone: its end of the pipe closes when it ends
                workers[reader] = (worker, share)
            results = self._gather(task, {h.name: h for h in hosts}, workers, stop_flag)
        finally:
            for reader, (worker, _share) in workers.items():
                worker.join(timeout=1.0)  # its results are in: it is only ending
                if worker.is_alive():
                    worker.kill()
                    worker.join()
                reader.close()
        aggregated = AggregatedResult(task.name)
        for host in hosts:
            aggregated[host.name] = results[host.name]
        return aggregated

    def _gather(self, task: Task, by_name: dict[str, Host],
                workers: dict[Connection, tuple[Any, list[Host]]],
                stop_flag: Any) -> dict[str, MultiResult]:
        results: dict[str, MultiResult] = {}
        open_ends = list(workers)
        while open_ends:
            if self.stop is not None and self.stop.is_set():
                stop_flag.value = 1
            for reader in wait(open_ends, timeout=TICK):
                try:
                    kind, name, payload = reader.recv()  # type: ignore[union-attr]
                except EOFError:  # the worker ended: any host of its share not reported is lost
                    open_ends.remove(reader)  # type: ignore[arg-type]
                    worker, share = workers[reader]  # type: ignore[index]
                    worker.join()
                    for host in share:
                        if host.name not in results:
                            results[host.name] = crashed_result(host, worker.exitcode)
                            task.processors.task_instance_completed(task, host, results[host.name])
                    continue
                self._replay(task, by_name[name], kind, payload, results)
        return results

    @staticmethod
    def _replay(task: Task, host: Host, kind: str, payload: list[_Portable] | None,
                results: dict[str, MultiResult]) -> None:
        """A worker's event, seen by the run's processors here as if the host ran in this process."""
        if kind == "started":
            task.processors.task_instance_started(task, host)
            return
        multi = MultiResult(task.name)
        for item in payload or []:
            result = Result(host, result=item.result, failed=item.failed, changed=item.changed,
                            exception=item.exception, severity_level=item.severity_level)
            result.name = item.name
            multi.append(result)
        results[host.name] = multi
        task.processors.task_instance_completed(task, host, multi)
