"""Pausing Python's cyclic garbage collector around bulk work.

A bulk load allocates millions of small objects (records, dicts, tuples) that
all stay alive until they are written; the collector rescans them again and
again and frees nothing, which costs a visible share of a bulk load's time.
Reference counting still frees ordinary garbage while the collector is paused.
Kept because every bulk entry point (the loaders, the MLflow sync, the store's
upsert) holds all its records until one commit: there is nothing for the
collector to find until then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; nests safely (restores what it found)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Everything allocated during the pause is still in the youngest generation,
            # so the first collection after it would walk all of it. Freezing and unfreezing moves
            # it to the oldest generation, which is collected only when it has grown; not
            # when someone else froze objects (the API server does at startup): unfreezing
            # would undo that.
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
