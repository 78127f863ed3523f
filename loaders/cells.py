"""Reading the cells people type into trackers: dates, yes/no, models, owners, notes.

Each function either returns a clean value or raises ``ValueError`` with a
message fit for the user; the caller adds the line and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from opencase.ontology import ids

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_WORDY = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d %Y")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


@lru_cache(maxsize=4096)
def parse_date(raw: str) -> dt.date:
    """ISO and the spellings trackers use: 2/20/2025 (US), 20.02.2025 (EU), 20 Feb 2025.

    Slashes are read month-first (the trackers are exported from US-locale
    Excel) unless the first number cannot be a month; dots are day-first.
    """
    text = raw.strip()
    try:
        if m := _ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _YMD_SLASH.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _SLASH.match(text):
            first, second = int(m[1]), int(m[2])
            month, day = (second, first) if first > 12 else (first, second)
            return dt.date(_year(m[3]), month, day)
        if m := _DOTTED.match(text):
            return dt.date(_year(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise ValueError(f"{raw!r} is not a valid calendar date") from None
    for fmt in _WORDY:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not a date (use 2025-02-20, 2/20/2025 or 20.02.2025)")


_TRUE = frozenset({"yes", "y", "true", "x", "1", "done", "completed", "complete", "✓", "✔"})
_FALSE = frozenset({"no", "n", "false", "0", "", "-", "open", "not completed"})


def parse_completed(raw: str) -> tuple[bool, dt.date | None]:
    """The Completed column holds yes/no or the completion date; both are accepted."""
    text = raw.strip().lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    try:
        return True, parse_date(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is neither yes/no nor a date") from None


#: What ends a note: ';' and every line boundary ``str.splitlines`` knows (the same set).
UPDATE_SEPARATORS = ";\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"


def split_updates(raw: str) -> list[str]:
    """Status notes: one per line or per ';', trimmed, empty pieces dropped.

    ``splitlines`` breaks at exactly the line ends in :data:`UPDATE_SEPARATORS`;
    two C calls instead of a regex split, which took a fifth of a row's time.
    """
    return [piece for piece in map(str.strip, raw.replace(";", "\n").splitlines()) if piece]


#: A note that starts with its date: ``2/20: ...``, ``03.03.2025: ...``, ``2025-03-03 - ...``.
_NOTE_DATE = re.compile(
    r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}(?:[./](?:\d{4}|\d{2}))?)\s*(?::|-\s)"
)


def note_date(body: str, anchor: dt.date) -> dt.date | None:
    """The date a status note starts with, or None when it names none.

    Full dates read as :func:`parse_date` reads the tracker's date columns
    (slashes month-first, dots day-first). A date without a year (``2/20:``)
    takes the year that puts it nearest ``anchor`` (the row's start date, else
    its due date, else the load date), so notes of a December-to-January
    action land in the right year.
    """
    m = _NOTE_DATE.match(body)
    return None if m is None else _note_date(m[1], anchor)


@lru_cache(maxsize=4096)
def _note_date(text: str, anchor: dt.date) -> dt.date | None:
    """:func:`note_date` of the date text alone: notes repeat a few dates, so once each."""
    if text.count("/") + text.count(".") + text.count("-") == 2:
        try:
            return parse_date(text)
        except ValueError:
            return None
    sep = "/" if "/" in text else "."
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(parse_date(f"{text}{sep}{year}"))
        except ValueError:  # 2/29 in a common year, or no such date at all
            continue
    return min(candidates, key=lambda d: abs((d - anchor).days)) if candidates else None


# ---- models (seed 001 appendix A) -----------------------------------------------------------

_FAMILY = re.compile(r"\b(A\d{3})\b", re.IGNORECASE)
_ATA_PREFIX = re.compile(r"\bATA\s*(\d{2}(?:-\d{2})?)\s*:?\s*", re.IGNORECASE)
_ATA_CODE = re.compile(r"(?<![\d-])(\d{2})-(\d{2})(?:-\d{2})?(?![\d])")


@dataclass(frozen=True)
class ModelRef:
    """What a Model cell or a work-package line says: family, ATA chapter, name."""

    family: str | None
    ata: str | None  # as written after 'ATA' (the key's ATA)
    ata_chapter: str | None  # the most specific code found (28-22 beats 28)
    name: str

    @property
    def name_slug(self) -> str:
        return ids.slug(self.name)


def most_specific_ata(ata: str | None, text: str) -> str | None:
    """``28`` plus a name mentioning ``28-22-35`` gives ``28-22`` (appendix A)."""
    if ata and "-" in ata:
        return ata
    for m in _ATA_CODE.finditer(text):
        if ata is None or m[1] == ata:
            return f"{m[1]}-{m[2]}"
    return ata


@lru_cache(maxsize=8192)
def parse_model(raw: str, family: str | None = None) -> ModelRef:
    """``A330 ATA72: HPC (CF6-80E) - Cruise`` -> (A330, 72, 72, 'HPC (CF6-80E) - Cruise').

    The family token and the ``ATAnn:`` prefix are taken out of the name, so a
    tracker cell and a work-package line naming the same model agree.
    """
    text = " ".join(raw.split())
    fam = _FAMILY.search(text)
    if fam:
        family = fam[1].upper()
        text = (text[: fam.start()] + text[fam.end() :]).strip()
    ata = None
    if m := _ATA_PREFIX.search(text):
        ata = m[1]
        text = (text[: m.start()] + " " + text[m.end() :]).strip()
    name = text.strip(" -:,;") or raw.strip()
    return ModelRef(family, ata, most_specific_ata(ata, name), name)


# ---- people ---------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@dataclass(frozen=True)
class PersonRef:
    key: str
    name: str
    email: str | None
    organisation: str | None


@lru_cache(maxsize=8192)
def parse_person(raw: str) -> PersonRef | None:
    """``DAIA - Francis Obusek`` -> Francis Obusek of DAIA, keyed like ``Francis Obusek``.

    Identity is ``ids.person_key`` (e-mail, else the normalised name), so the
    same person written two ways is one Person (appendix B).
    """
    text = " ".join(raw.split())
    if not text:
        return None
    key = ids.person_key(text)
    if not key:
        return None
    email_match = _EMAIL.search(text)
    email = email_match.group(0).lower() if email_match else None
    organisation = None
    name = text
    if " - " in text:
        organisation, name = (part.strip() for part in text.split(" - ", 1))
    if email_match:
        name = (
            name.replace(email_match.group(0), "").strip(" <>()[],;")
            or email_match.group(0).split("@")[0].replace(".", " ").title()
        )
    return PersonRef(key, name or text, email, organisation or None)
