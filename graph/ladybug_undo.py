"""An undo copy that makes a commit with COPY all-or-nothing, whenever the process dies.

Why it exists: the embedded engine does not put COPYed rows in its
write-ahead log. A commit that COPYed rows writes them to the data file in the
checkpoint that ends the commit, and a process killed inside that checkpoint
came back with the transaction's logged statements (updates, rows created one
by one) replayed from the log and its COPYed rows gone: a part of a load
(measured on a 4,000-row tracker load: 23 actions and 34 updates of it).

So before the first COPY of a transaction the store's files as they stand
(the data file and the log: every earlier commit, nothing of this one, since
the engine writes a transaction to its log only at commit) are copied aside,
under an advisory lock the writing process holds. When the commit returns (or
the transaction rolls back) the copy is dropped. A process that opens the
store and finds a copy whose writer is gone (the lock is free: the kernel
drops it with its holder) puts it back, so the store is exactly as it was
before the commit that never returned.

Only transactions that COPY pay for the copy: small writes (actions, single
events) never COPY (see :mod:`opencase.graph.small`). Where the file system
can clone a file (btrfs, XFS) the copy is a clone and costs nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil

log = logging.getLogger(__name__)

#: The engine's own files beside the data file; all are dropped when the undo copy goes back.
_ENGINE_FILES = (
    ".wal",
    ".wal.checkpoint",
    ".shadow",
    ".checkpoint.apply.lock",
    ".checkpoint.intent.lock",
)
_COPY = ".commit-undo"  # the data file as it was; its presence arms the undo
_COPY_WAL = ".commit-undo.wal"  # the log as it was, when there was one
_LOCK = ".commit-undo.lock"  # held by the writing process from arming to the end
_FICLONE = 0x40049409  # Linux ioctl: share the blocks of another file (copy on write)


class UndoCopy:
    """The undo copy of one store: armed before a COPY, dropped when its transaction ends."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock_fd: int | None = None

    @property
    def armed(self) -> bool:
        return self._lock_fd is not None

    def arm(self) -> None:
        """Copy the store's files aside; call before the transaction's first COPY."""
        if self.armed or not os.path.isfile(self.path):
            return
        fd = os.open(self.path + _LOCK, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            wal = self.path + ".wal"
            if os.path.exists(wal):
                _durable_copy(wal, self.path + _COPY_WAL)
            # the data copy comes last: once it is there, the undo is whole
            _durable_copy(self.path, self.path + _COPY)
            _sync_dir(self.path)
        except BaseException:
            os.close(fd)
            self._remove_copies()
            raise
        self._lock_fd = fd

    def drop(self) -> None:
        """The transaction ended (committed or rolled back): the copy is no longer needed."""
        if self._lock_fd is None:
            return
        self._remove_copies()  # the data copy goes first: the undo is disarmed from here
        _sync_dir(self.path)
        fd, self._lock_fd = self._lock_fd, None
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path + _LOCK)
        os.close(fd)

    def _remove_copies(self) -> None:
        for suffix in (_COPY, _COPY_WAL):
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path + suffix)


def restore_interrupted(path: str) -> bool:
    """Put back the undo copy a dead writer left; True when the store was rolled back.

    Called before the engine opens the store. A live writer (its lock is held)
    is left alone: the engine's own file lock then refuses this open.
    """
    if not any(os.path.exists(path + suffix) for suffix in (_COPY, _COPY_WAL, _LOCK)):
        return False
    fd = os.open(path + _LOCK, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # its writer is alive
        restored = os.path.exists(path + _COPY)
        if restored:
            for suffix in _ENGINE_FILES:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path + suffix)
            if os.path.exists(path + _COPY_WAL):
                os.replace(path + _COPY_WAL, path + ".wal")
            os.replace(path + _COPY, path)
        # what a writer that died while arming left (its commit had not begun)
        for suffix in (_COPY_WAL, _COPY + ".tmp", _COPY_WAL + ".tmp", _LOCK):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path + suffix)
        _sync_dir(path)
    finally:
        os.close(fd)
    if restored:
        log.warning(
            "%s: a write was interrupted while it committed; the store is back as it was before",
            path,
        )
    return restored


def interrupted_write(path: str) -> bool:
    """Whether a dead writer left an undo copy that only a read-write open puts back."""
    if not os.path.exists(path + _COPY):
        return False
    try:
        fd = os.open(path + _LOCK, os.O_RDONLY)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its writer is alive and inside its commit
    finally:
        os.close(fd)
    return True


def _durable_copy(source: str, target: str) -> None:
    """Copy (a clone where the file system can), on disk before it is renamed into place."""
    tmp = target + ".tmp"
    with open(source, "rb") as src, open(tmp, "wb") as dst:
        try:
            fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
            cloned = True
        except OSError:
            cloned = False
    if not cloned:
        shutil.copyfile(source, tmp)  # in-kernel copy where the platform has one
    with open(tmp, "rb+") as done:
        os.fsync(done.fileno())
    os.replace(tmp, target)


def _sync_dir(path: str) -> None:
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
