"""Pausing Python's collection of reference cycles while a worker builds many objects.

A collection stops every thread, the window's too, for a pass over the objects not yet
frozen, and it is set off by allocations: building a plan of 30,000 VMs (reading a file,
applying a placement) ran several of them for garbage it does not make (its objects form
no cycles). The pause is counted, so that two workers pausing at once leave collection
as it was only when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = False


_pauses = _Pauses()


@contextmanager
def collection_paused() -> Iterator[None]:
    p = _pauses
    with p.lock:
        if p.count == 0:
            p.was_enabled = gc.isenabled()
            gc.disable()
        p.count += 1
    try:
        yield
    finally:
        with p.lock:
            p.count -= 1
            if p.count == 0 and p.was_enabled:
                gc.enable()
