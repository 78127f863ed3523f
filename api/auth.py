"""API keys: scoped (read or write), stored only as salted hashes, in one small JSON file.

A key looks like ``oc_<key id>_<secret>``: the key id (8 hex characters) finds
the entry without trying every hash; the secret is 32 random bytes, so one
HMAC-SHA-256 with a per-key salt is as strong as a slow password hash would be
(nothing to brute-force) and cheap enough to check on every request. The
plaintext is returned once by :meth:`ApiKeyStore.create` and never written.

The file is replaced atomically with mode 0600; :meth:`ApiKeyStore.verify`
re-reads it when it changes on disk, so a key revoked from the CLI stops
working in a running server at its next request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from opencase.config import is_neo4j
from opencase.errors import OpenCaseError, Problem, ValidationError

Scope = Literal["read", "audit", "write"]
#: ``audit`` reads like ``read`` and may also ask for soft-deleted objects; ``write``
#: keys run every action, the admin ones included, and so may see deleted objects too.
SCOPES: tuple[Scope, ...] = ("read", "audit", "write")
PREFIX = "oc"
ENV_KEYS_FILE = "OPENCASE_API_KEYS"
_FORMAT_VERSION = 1


@dataclass(frozen=True)
class ApiKey:
    """What a verified key tells the API: who (for ActionLog.actor) and what it may do."""

    name: str
    scope: Scope
    created_at: dt.datetime

    def allows(self, needed: Scope) -> bool:
        """A write key may do everything; an audit key reads, deleted objects included;
        a read key only reads."""
        return self.scope == "write" or needed == "read" or needed == self.scope


def default_keys_path(store_uri: str) -> Path:
    """Where the keys of a store live: ``OPENCASE_API_KEYS``, else beside the embedded store.

    An embedded store at ``./.opencase/graph`` keeps its keys in
    ``./.opencase/graph.apikeys.json``; a Neo4j store has no local folder, so
    its keys go to ``~/.opencase/apikeys.json``.
    """
    explicit = os.environ.get(ENV_KEYS_FILE)
    if explicit:
        return Path(explicit).expanduser()
    if is_neo4j(store_uri):
        return Path.home() / ".opencase" / "apikeys.json"
    store = Path(store_uri).expanduser()
    return store.with_name(store.name + ".apikeys.json")


def _digest(salt: bytes, key: str) -> str:
    return hmac.new(salt, key.encode("utf-8"), hashlib.sha256).hexdigest()


def _key_id(key: str) -> str | None:
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1]


class ApiKeyStore:
    """The keys of one OpenCase store, persisted in ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: tuple[tuple[int, int], list[dict[str, Any]]] | None = None

    # ---- public --------------------------------------------------------------------------

    def create(self, scope: Scope, name: str | None = None) -> str:
        """Add a key and return its plaintext: the only time anyone sees it."""
        if scope not in SCOPES:
            raise ValidationError(
                Problem(f"scope must be read, audit or write, not {scope!r}", "scope")
            )
        key_id = secrets.token_hex(4)
        name = (name or f"{scope}-{key_id}").strip()
        if not name:
            raise ValidationError(Problem("an API key needs a name", "name"))
        key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
        salt = secrets.token_bytes(16)
        with self._locked():
            entries = self._read()
            if any(e["name"] == name for e in entries):
                raise ValidationError(
                    Problem(f"an API key named {name!r} exists already", "name"),
                    suggestion="choose another name or revoke the old key first",
                )
            entries.append(
                {
                    "name": name,
                    "scope": scope,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    "key_id": key_id,
                    "salt": salt.hex(),
                    "hash": _digest(salt, key),
                    "algorithm": "hmac-sha256",
                }
            )
            self._write(entries)
        return key

    def verify(self, key: str | None) -> ApiKey | None:
        """The key's name and scope, or None for an unknown, malformed or revoked key."""
        if not key:
            return None
        key_id = _key_id(key)
        if key_id is None:
            return None
        for entry in self._entries():
            if entry["key_id"] != key_id:
                continue
            expected = entry["hash"]
            actual = _digest(bytes.fromhex(entry["salt"]), key.strip())
            if hmac.compare_digest(expected, actual):
                return _api_key(entry)
        return None

    def list(self) -> list[ApiKey]:
        """Every key's name, scope and creation time (never a secret), oldest first."""
        return [_api_key(e) for e in self._entries()]

    def revoke(self, name: str) -> bool:
        """Remove the key called ``name``; False when there is none."""
        with self._locked():
            entries = self._read()
            kept = [e for e in entries if e["name"] != name]
            if len(kept) == len(entries):
                return False
            self._write(kept)
        return True

    # ---- file handling -------------------------------------------------------------------

    def _entries(self) -> list[dict[str, Any]]:
        """The entries, re-read only when the file changed (verify runs on every request)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return []
        stamp = (st.st_mtime_ns, st.st_size)
        if self._cache is None or self._cache[0] != stamp:
            self._cache = (stamp, self._read())
        return self._cache[1]

    def _read(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, json.JSONDecodeError) as exc:
            raise OpenCaseError(
                f"cannot read the API keys file {self.path}: {exc}",
                suggestion="fix or remove the file, then create new keys",
            ) from exc
        return cast(list[dict[str, Any]], data.get("keys", []))

    def _write(self, entries: list[dict[str, Any]]) -> None:
        """Write a temp file (0600) beside the target, fsync, rename: never a half file."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = json.dumps({"version": _FORMAT_VERSION, "keys": entries}, indent=2)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._cache = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise read-modify-write between processes (two CLIs creating keys at once)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - not POSIX: single-writer assumption
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _api_key(entry: dict[str, Any]) -> ApiKey:
    return ApiKey(
        name=entry["name"],
        scope=entry["scope"],
        created_at=dt.datetime.fromisoformat(entry["created_at"]),
    )
