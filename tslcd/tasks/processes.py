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
import queue
import threading
import time
from dataclasses import dataclass
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

    def __init__(self, channel: Any) -> None:
        self._channel = channel

    def task_started(self, task: Task) -> None:
        """Nornir hook: the parent reports the run's start."""

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        """Nornir hook: the parent reports the run's end."""

    def task_instance_started(self, task: Task, host: Host) -> None:
        """Nornir hook: tell the parent a worker thread picked up ``host``."""
        self._channel.put(("started", host.name, None))

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Nornir hook: send ``host``'s results to the parent."""
        self._channel.put(("done", host.name, [
            _Portable(r.name, _portable(r.result), r.failed, r.changed,
                      _portable(r.exception) if r.exception is not None else None, r.severity_level)
            for r in result]))

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        """Nornir hook: sub-tasks stay inside the worker."""

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Nornir hook: sub-tasks stay inside the worker."""


def _worker(task: Task, hosts: list[Host], threads: int, channel: Any, stop_flag: Any,
            stop: threading.Event | None) -> None:
    """A worker process: the thread pool over its hosts, ``stop`` set when the parent's is."""
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), name="tslcd-parent-watch",
                     daemon=True).start()
    if stop is not None:
        def relay() -> None:
            stop_flag.wait()
            stop.set()

        threading.Thread(target=relay, name="tslcd-stop-relay", daemon=True).start()
    task.processors = Processors([_Forward(channel)])
    try:
        ThreadedRunner(threads).run(task, hosts)
    finally:
        channel.close()
        channel.join_thread()  # every result is in the pipe before the process ends


def _end_with_parent(parent: int) -> None:
    """End this worker as soon as the parent is gone (killed): an orphan would keep sessions open
    and hold the inherited store lock, refusing the next run."""
    while os.getppid() == parent:
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
        channel = context.Queue()
        stop_flag = context.Event()
        threads = math.ceil(self.num_workers / processes)
        shares = [hosts[i::processes] for i in range(processes)]
        workers = [context.Process(target=_worker, name=f"tslcd-worker-{i}", daemon=True,
                                   args=(task, share, threads, channel, stop_flag, self.stop))
                   for i, share in enumerate(shares)]
        for worker in workers:
            worker.start()
        try:
            results = self._gather(task, {h.name: h for h in hosts}, shares, workers, channel, stop_flag)
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.kill()
                worker.join()
            channel.close()
        aggregated = AggregatedResult(task.name)
        for host in hosts:
            aggregated[host.name] = results[host.name]
        return aggregated

    def _gather(self, task: Task, by_name: dict[str, Host], shares: list[list[Host]],
                workers: list[Any], channel: Any, stop_flag: Any) -> dict[str, MultiResult]:
        results: dict[str, MultiResult] = {}
        while len(results) < len(by_name):
            if self.stop is not None and self.stop.is_set():
                stop_flag.set()
            try:
                kind, name, payload = channel.get(timeout=TICK)
            except queue.Empty:
                for worker, share in zip(workers, shares, strict=True):
                    if not worker.is_alive() and any(h.name not in results for h in share):
                        self._drain(task, by_name, channel, results)
                        for host in share:
                            if host.name not in results:
                                results[host.name] = crashed_result(host, worker.exitcode)
                                task.processors.task_instance_completed(task, host, results[host.name])
                continue
            self._replay(task, by_name[name], kind, payload, results)
        return results

    def _drain(self, task: Task, by_name: dict[str, Host], channel: Any,
               results: dict[str, MultiResult]) -> None:
        """Take what a finished worker left in the pipe before declaring its hosts lost."""
        while True:
            try:
                kind, name, payload = channel.get(timeout=TICK)
            except queue.Empty:
                return
            self._replay(task, by_name[name], kind, payload, results)

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
