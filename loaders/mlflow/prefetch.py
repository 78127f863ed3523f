"""Read ahead in a thread: MLflow runs are read and mapped while the previous batch is written.

Reading MLflow (SQLite or HTTP) and writing the graph both spend much of their
time outside the interpreter lock, so overlapping them makes the first sync
cost little more than the read alone. Errors in the reader are re-raised in the
caller; if the caller stops early, the reader thread is told to stop too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prefetch(make: Callable[[], Iterable[T]], depth: int = 2) -> Iterator[T]:
    """Items of ``make()``, produced by a background thread at most ``depth`` items ahead."""
    items: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in make():
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # handed over to the consumer, raised there
            put(exc)

    thread = threading.Thread(target=produce, name="mlflow-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
