"""Deterministic identifiers: the only place that decides how a key is spelled.

Re-loading the same input must hit the same nodes, so every loader, the MLflow
sync and the actions derive keys here and nowhere else (seed 001, section 7).

Keys keep the case the source gives (``llama-3-7b-companyA`` stays so): two
spellings that differ only in case are the same thing to a person but two
keys to a store, so whoever creates an object under a natural key first looks
for a case-only near duplicate (see the registerModel action). The exceptions
are the keys the seeds define with a normalisation of their own: the DAIA
model key's slug, a person's e-mail, and the MD5 keys.
"""

from __future__ import annotations

import hashlib
import re

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case, every run of non-alphanumerics becomes one '-', no '-' at the ends."""
    return _NON_ALNUM.sub("-", text.lower()).strip("-")


def md5_key(*parts: str | None) -> str:
    """MD5 of the parts joined by '|' (missing parts as '', blanks around each trimmed).

    As seed 001 specifies; trimming makes ``"33 "`` and ``"33"`` one Item #.
    """
    return hashlib.md5("|".join((p or "").strip() for p in parts).encode("utf-8")).hexdigest()


def tracker_action_id(source_system: str, source_id: str, title: str) -> str:
    """``action_id`` of a tracker row: MD5 of source system, source id (Item #) and title."""
    return md5_key(source_system, source_id, title)


def status_update_id(action_id: str, position: int, body: str) -> str:
    """One update's id: its action, its position among the row's updates, and its text."""
    return md5_key(action_id, str(position), body)


_NOT_KEY = re.compile(r"[^A-Za-z0-9._-]+")


def name_key(name: str) -> str:
    """The key of a thing known by its name: the name with its case, other runs as one '-'.

    ``"llama-3-7b-companyA"`` stays so; ``"Llama 3 Chat"`` becomes ``Llama-3-Chat``.
    The letter case is the source's: a near duplicate in case is refused, not folded.
    """
    return _NOT_KEY.sub("-", name).strip("-")


def model_version_id(model_key_: str, version: str | int) -> str:
    """``<model key>@<version>``; REST returns versions as strings, SQL as ints: same key."""
    return f"{model_key_.strip()}@{str(version).strip()}"


def dataset_version_id(dataset_id: str, version_id: str) -> str:
    """``<dataset id>@<version id>``: the same content logged twice is one version."""
    return f"{dataset_id.strip()}@{version_id.strip()}"


def run_key(tracking_system: str, run_id: str) -> str:
    """``<tracking system>:<run id>``: a run is one node whichever sync reads it."""
    return f"{tracking_system.strip()}:{run_id.strip()}"


def metric_id(run_key_: str, name: str, step: int | None = None) -> str:
    """``<run key>|<name>`` for the latest value, ``<run key>|<name>|<step>`` for one step."""
    return f"{run_key_}|{name}" if step is None else f"{run_key_}|{name}|{step}"


def release_id(model_key_: str, version: str, quantization: str) -> str:
    """``<model key>|<version>|<quantization>``: releases are unique on the three."""
    return composite_key(model_key_, version.strip(), quantization.strip())


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
