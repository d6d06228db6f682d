"""Build the next chunks in a thread while the current one is being written.

The database works (index upkeep, foreign-key checks) while Python builds the
next rows: overlapping both shortens a large seed. The order of items, hence
the data, is unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from queue import Empty, Full, Queue
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prefetch(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield `items` in order, computing up to `depth` ahead in a worker thread.

    An exception in the worker is raised in the caller; a caller that stops
    early (or fails) stops the worker before returning.
    """
    queue: Queue[object] = Queue(maxsize=depth)
    stop = threading.Event()
    failure: list[BaseException] = []

    def put(value: object) -> bool:
        while not stop.is_set():
            try:
                queue.put(value, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)
        put(_DONE)

    worker = threading.Thread(target=produce, name="demo-seed-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            try:
                value = queue.get(timeout=0.5)
            except Empty:
                if not worker.is_alive() and queue.empty():
                    break
                continue
            if value is _DONE:
                break
            yield value  # type: ignore[misc]
        if failure:
            raise failure[0]
    finally:
        stop.set()
        worker.join()
