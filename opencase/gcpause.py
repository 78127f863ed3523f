"""Pausing Python's cyclic garbage collector around bulk work.

A bulk load allocates millions of small objects (records, dicts, tuples) that
all stay alive until they are written; the collector rescans them again and
again and frees nothing (a third of the tracker loader's parse time at 100k
rows, and about a tenth of a 100k-object store upsert). Reference counting
still frees ordinary garbage while the collector is paused.
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
            # so the first collection after it would walk all of it (0.3-0.5 s after a
            # 100k-row load whose records the caller keeps). Freezing and unfreezing moves
            # it to the oldest generation, which is collected only when it has grown; not
            # when someone else froze objects (the API server does at startup): unfreezing
            # would undo that.
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
