"""Idempotency keys: a retried action returns its first result and writes nothing.

Like Stripe's ``Idempotency-Key``: a client that lost the reply to an action
(a timeout, a dropped connection, a restarted server) sends it again with the
same key and gets the first outcome back, instead of a second status update
or a second risk. The key is scoped to the actor, so two callers cannot
collide or read each other's results.

Where it is kept: the key decides the id of the action's ActionLog entry
(:func:`log_key`), and the entry records the key, the parameters and the ids
the action created. Looking a key up is then a primary-key read, the record
is as durable as the audit trail, and it is written in the same transaction
as the action's effects: there is never a key without its effects or the
reverse. A request that was refused wrote nothing, so retrying it runs it.

Requests are serialised by the store's single worker (see
:mod:`opencase.api.runner`), so two retries arriving together cannot both
miss the entry and both write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from opencase.errors import ActionError, Problem, ValidationError
from opencase.graph.store import StoredObject

#: Longest key accepted (Stripe's limit too): enough for a UUID or a request hash.
MAX_KEY_LENGTH = 255

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class IdempotencyKeyReusedError(ActionError):
    """The key was used before, by the same actor, for a different request."""


def checked_key(key: str | None) -> str | None:
    """The key as given, or ``None``; an empty or overlong key is refused, naming the argument."""
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            Problem(
                f"an idempotency key is 1 to {MAX_KEY_LENGTH} characters, not blank "
                f"(got {len(key)} characters)",
                field="idempotencyKey",
            ),
            suggestion="send a fresh UUID per logical request, and the same one on a retry",
        )
    return key


def log_key(actor: str, key: str) -> str:
    """The ActionLog key of ``actor``'s request with ``key``: 26 characters, like a ULID.

    Derived (SHA-256 of actor and key), so a retry finds its entry by primary key.
    """
    digest = hashlib.sha256(f"{actor}\x00{key}".encode()).digest()
    value = int.from_bytes(digest[:17], "big") >> 6  # 130 bits: 26 characters of 5 bits
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def replay(
    earlier: StoredObject, key: str, action_type: str, parameters: Mapping[str, Any]
) -> StoredObject:
    """The earlier entry if it records this very request; otherwise a clear refusal."""
    props = earlier.properties
    if props.get("action_type") == action_type and (props.get("parameters") or {}) == dict(
        parameters
    ):
        return earlier
    raise IdempotencyKeyReusedError(
        f"the idempotency key {key[:64]!r} was already used for a different request "
        f"({props.get('action_type')}, logged as {earlier.id})",
        suggestion="send a new key for a new request; reuse a key only to retry the same one",
    )
