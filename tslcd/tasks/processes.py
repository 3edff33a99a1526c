"""A Nornir runner that spreads hosts over worker processes, each with its own threads.

Why: one Python process backs up at most one core's worth of SSH (key exchange, ciphers and
Netmiko's prompt matching are CPU work under the GIL). The parent hands hosts to forked workers
one at a time, as their threads free up, so a worker given slow devices does not leave the other
cores idle (dealing a fixed share each left one process with every firewall and the other with
every router: the run took as long as the slower share). Each worker streams every host's start
and result back; the parent replays them to the run's processors (progress) and gathers the
results. Only the parent writes the git commit and SQLite: the workers touch neither.

Workers are forked, so the task, its closures and the hosts (credentials included) are inherited,
never pickled or written anywhere: only a host's position in the list crosses to a worker. Setting
``stop`` in the parent is relayed to every worker's copy of it within a tick. A worker that dies
reports each host it was running as failed; the hosts not yet handed out go to the others.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from queue import SimpleQueue
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


def _worker(task: Task, hosts: list[Host], threads: int, work: Connection, channel: Connection,
            stop_flag: Any, stop: threading.Event | None) -> None:
    """A worker process: ``threads`` threads run the hosts whose positions arrive on ``work``
    until the parent sends ``None``; ``stop`` is set when the parent's is.

    Ctrl-C reaches the whole process group: a worker ignores it, the parent turns it into
    ``stop`` and relays that, so sessions are cut and hosts reported cancelled, not lost.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_follow_parent, args=(os.getppid(), stop_flag, stop),
                     name="tslcd-parent-watch", daemon=True).start()
    task.processors = Processors([_Forward(channel)])
    ready: SimpleQueue[int | None] = SimpleQueue()

    def run_hosts() -> None:
        while (index := ready.get()) is not None:
            try:
                task.copy().start(hosts[index])
            except BaseException:  # Nornir keeps a task's own errors in its result: this is the
                os._exit(70)  # runner broken; ending the worker makes the parent report its hosts

    runners = [threading.Thread(target=run_hosts, name=f"tslcd-host-{i}") for i in range(threads)]
    for runner in runners:
        runner.start()
    try:
        while (index := _receive(work)) is not None:
            ready.put(index)
    finally:
        for _ in runners:
            ready.put(None)
        for runner in runners:
            runner.join()
        channel.close()


def _receive(work: Connection) -> int | None:
    """The next host position from the parent; ``None`` once it has no more (or is gone)."""
    try:
        index: int | None = work.recv()
    except (EOFError, OSError):
        return None
    return index


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


@dataclass
class _Worker:
    """The parent's view of one worker process: its pipes and the hosts it is running."""

    process: Any
    work: Connection  # the parent's end: host positions out
    results: Connection  # the parent's end: starts and results in
    running: set[int] = field(default_factory=set)
    open: bool = True  # still given work (``None`` not yet sent)

    def give(self, index: int | None) -> bool:
        """Send a host position (``None``: no more); False when the worker is already gone."""
        try:
            self.work.send(index)
        except OSError:  # its end is closed: it died, and its results pipe says so
            return False
        if index is None:
            self.open = False
        else:
            self.running.add(index)
        return True


class ProcessRunner:
    """Nornir runner: ``processes`` forked workers, each running ``num_workers / processes``
    threads (the total number of concurrent sessions stays ``num_workers``), fed hosts on demand."""

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
        workers: list[_Worker] = []
        try:
            for i in range(processes):
                # pipes per worker, one each way: no lock is shared with a process that may die
                work_in, work_out = context.Pipe(duplex=False)
                results_in, results_out = context.Pipe(duplex=False)
                process = context.Process(target=_worker, name=f"tslcd-worker-{i}", daemon=True,
                                          args=(task, hosts, threads, work_in, results_out,
                                                stop_flag, self.stop))
                process.start()
                work_in.close()  # the worker's ends are the worker's alone: they close when it ends
                results_out.close()
                workers.append(_Worker(process, work_out, results_in))
            results = self._gather(task, hosts, workers, threads, stop_flag)
        finally:
            for worker in workers:
                worker.work.close()
                worker.process.join(timeout=1.0)  # its results are in: it is only ending
                if worker.process.is_alive():
                    worker.process.kill()
                    worker.process.join()
                worker.results.close()
        aggregated = AggregatedResult(task.name)
        for host in hosts:
            aggregated[host.name] = results[host.name]
        return aggregated

    def _gather(self, task: Task, hosts: list[Host], workers: list[_Worker], threads: int,
                stop_flag: Any) -> dict[str, MultiResult]:
        results: dict[str, MultiResult] = {}
        waiting = deque(range(len(hosts)))
        by_end = {worker.results: worker for worker in workers}
        position = {host.name: i for i, host in enumerate(hosts)}
        for worker in workers:
            self._feed(worker, waiting, threads)
        while by_end:
            if self.stop is not None and self.stop.is_set():
                stop_flag.value = 1
            for end in wait(list(by_end), timeout=TICK):
                worker = by_end[end]  # type: ignore[index]
                try:
                    kind, name, payload = worker.results.recv()
                except EOFError:  # the worker ended: the hosts it was running are lost
                    del by_end[end]  # type: ignore[arg-type]
                    worker.process.join()
                    for index in sorted(worker.running):
                        self._lost(task, hosts[index], worker.process.exitcode, results)
                    worker.running.clear()
                    if not by_end:  # no worker left to take the rest
                        while waiting:
                            self._lost(task, hosts[waiting.popleft()], worker.process.exitcode, results)
                    continue
                self._replay(task, hosts[position[name]], kind, payload, results)
                if kind == "done":
                    worker.running.discard(position[name])
                    self._feed(worker, waiting, threads)
        return results

    @staticmethod
    def _feed(worker: _Worker, waiting: deque[int], threads: int) -> None:
        """Keep ``worker``'s threads busy from ``waiting``; tell it when nothing is left."""
        while waiting and worker.open and len(worker.running) < threads:
            index = waiting.popleft()
            if not worker.give(index):
                waiting.appendleft(index)
                return
        if not waiting and worker.open:
            worker.give(None)

    @staticmethod
    def _lost(task: Task, host: Host, exitcode: int | None, results: dict[str, MultiResult]) -> None:
        results[host.name] = crashed_result(host, exitcode)
        task.processors.task_instance_completed(task, host, results[host.name])

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
