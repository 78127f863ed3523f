"""The ActionLog entry every executed action writes in its own transaction.

Only :func:`opencase.api.actions.execute` calls :func:`log_entry`, and hands
its records to the store as the batch's system records: the ActionLog is a
system type (see :mod:`opencase.ontology.system`), which the store lets no
other writer create, change, link or delete.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any

from opencase.graph.store import LinkRecord, ObjectRecord
from opencase.ontology import ONTOLOGY

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id() -> str:
    """A ULID: 48-bit millisecond time + 80 random bits, 26 characters, sorts by creation.

    Used for objects an action creates that have no natural key (a risk, a push
    request, a log entry): unique across processes without a counter in the store.
    """
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _log_type_and_link() -> tuple[str, str]:
    """The ActionLog type and its one outgoing link (``about``), read from the declarations."""
    log_type = ONTOLOGY.object_type("ActionLog")
    (about,) = (lt for lt in ONTOLOGY.links_from(log_type.name))
    return log_type.name, about.api_name


LOG_TYPE, ABOUT_LINK = _log_type_and_link()


def log_entry(
    *,
    log_key: str,
    action_type: str,
    actor: str,
    timestamp: dt.datetime,
    parameters: Mapping[str, Any],
    summary: str,
    target_ids: Sequence[str],
    linkable_ids: Sequence[str],
    created_ids: Sequence[str] = (),
    idempotency_key: str | None = None,
) -> tuple[ObjectRecord, list[LinkRecord]]:
    """The log object and one ``about`` link per touched object that still exists after the write.

    ``target_ids`` keeps every id (a hard-deleted object included); links go only
    to ``linkable_ids`` because a link to an object deleted in the same batch
    would be removed with it.
    """
    record = ObjectRecord(
        LOG_TYPE,
        {
            "log_id": log_key,
            "action_type": action_type,
            "actor": actor,
            "timestamp": timestamp,
            "parameters": dict(parameters),
            "outcome": "succeeded",
            "summary": summary,
            "target_ids": list(target_ids),
            "created_ids": list(created_ids),
            "idempotency_key": idempotency_key,
        },
    )
    log_id = ONTOLOGY.object_id(LOG_TYPE, log_key)
    links = [LinkRecord(ABOUT_LINK, log_id, target) for target in linkable_ids]
    return record, links
