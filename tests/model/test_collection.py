from __future__ import annotations

import gc
import threading

from hvplanner.model.collection import collection_paused


def test_collection_resumes_when_the_last_of_overlapping_pauses_ends() -> None:
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collection_paused():
            inside.set()
            leave.wait(5)

    worker = threading.Thread(target=other)
    with collection_paused():
        worker.start()
        assert inside.wait(5)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other pause still runs
    leave.set()
    worker.join(5)
    assert gc.isenabled()


def test_collection_stays_off_if_it_was_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
