"""Work spread over forked child processes: the helper the import parse uses."""

import gc
import os
import pickle
import threading
from collections.abc import Callable


def child_processes_available(wanted: int) -> int:
    """How many children to fork: 1 (none) from a process with other threads, whose locks a
    child could inherit held for ever."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return max(1, min(wanted, len(os.sched_getaffinity(0))))


def in_child_processes(
    function: Callable, calls: list[tuple], on_result: Callable[[int], None] | None = None
) -> list:
    """``function(*args)`` for each call, each in a forked child; None for a child that failed.

    Plain fork and pipes rather than multiprocessing: a Celery pool process is "daemonic" and
    multiprocessing refuses to start children from one. A child that dies closes its pipe: its
    result is None, never a wait for ever. The children get plain values through the fork and
    must not touch the database. `on_result(index)` is told as each result comes back, in order.
    """
    children = []
    # The children's garbage collector would otherwise walk (and so copy, page by page) every
    # object they share with the parent.
    gc.freeze()
    try:
        for args in calls:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns, never runs the parent's exit handlers
                status = 1
                try:
                    os.close(read_end)
                    with os.fdopen(write_end, "wb") as pipe:
                        pickle.dump(function(*args), pipe, protocol=pickle.HIGHEST_PROTOCOL)
                    status = 0
                finally:
                    os._exit(status)
            os.close(write_end)
            children.append((pid, read_end))
    finally:
        gc.unfreeze()
    results = []
    for index, (pid, read_end) in enumerate(children):
        with os.fdopen(read_end, "rb") as pipe:
            try:
                # Our own child's output, written by the code above; read as it streams in.
                result = pickle.load(pipe)  # noqa: S301
            except (EOFError, pickle.UnpicklingError):
                result = None
        _, status = os.waitpid(pid, 0)
        results.append(result if status == 0 else None)
        if on_result:
            on_result(index)
    return results
