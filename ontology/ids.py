"""Deterministic identifiers: the only place that decides how a key is spelled.

Re-loading the same input must hit the same nodes, so every loader, the MLflow
sync and the actions derive keys here and nowhere else (seed 001, section 7).
"""

from __future__ import annotations

import hashlib
import re

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case, every run of non-alphanumerics becomes one '-', no '-' at the ends."""
    return _NON_ALNUM.sub("-", text.lower()).strip("-")


def md5_key(*parts: str | None) -> str:
    """MD5 of the parts joined by '|' (missing parts as ''), as seed 001 specifies."""
    return hashlib.md5("|".join(p or "" for p in parts).encode("utf-8")).hexdigest()


def tracker_action_id(source_system: str, source_id: str, title: str) -> str:
    """``action_id`` of a tracker row: MD5 of source system, source id (Item #) and title."""
    return md5_key(source_system, source_id, title)


def status_update_id(action_id: str, position: int, body: str) -> str:
    """One update's id: its action, its position among the row's updates, and its text."""
    return md5_key(action_id, str(position), body)


def model_key(family: str, ata: str, name: str) -> str:
    """``UPPER(family):ATA:slug(name)``, e.g. ``A330:72:hpc-cf6-80e-cruise``."""
    return f"{family.strip().upper()}:{ata.strip()}:{slug(name)}"


def person_key(raw: str) -> str:
    """One identity per person: the e-mail when there is one, else the normalised name.

    ``"DAIA - Francis Obusek"`` and ``"francis  obusek"`` are the same person;
    ``"Francis.Obusek@Example.com"`` is keyed by its lower-cased address.
    """
    match = re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", raw)
    if match:
        return match.group(0).lower()
    name = raw.split(" - ", 1)[1] if " - " in raw else raw
    return slug(name)


def composite_key(*parts: object) -> str:
    """A readable key from several parts (``model|1.0.0|fp16``) for types unique on a tuple."""
    return "|".join("" if p is None else str(p) for p in parts)
