"""CSV rows with the physical line each record starts on, and forgiving headers.

Quoted cells may span lines, so the record number is not the line number a
user sees in an editor; ``csv.reader.line_num`` before each record (+1) is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from opencase.errors import LoaderError

_HEADER_NOISE = re.compile(r"[\s#_]+")

csv.field_size_limit(1 << 30)  # a long Updates cell is data, not an attack


def header_key(name: str) -> str:
    """``Item #`` / ``item#`` / ``ITEM`` all become ``item``; ``Due On`` becomes ``dueon``."""
    return _HEADER_NOISE.sub("", name.strip().lower())


@dataclass(frozen=True)
class CsvRow:
    line: int  # physical line (1-based) where the record starts
    cells: list[str]


def read_records(path: Path) -> Iterator[CsvRow]:
    """Every non-blank record, the header first, each with its starting physical line.

    UTF-8 with or without a BOM; CRLF, LF or CR line ends (``newline=''`` lets
    the csv module keep line breaks inside quoted cells).
    """
    for line, cells in iter_rows(path):
        yield CsvRow(line, cells)


def iter_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """:func:`read_records` as plain ``(line, cells)`` tuples, for bulk loads.

    A large tracker spends a noticeable share of its parse time building
    frozen dataclasses; a tuple costs next to nothing. The cell lists are the
    reader's own, so a caller may modify them.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise LoaderError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle, strict=False)
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise LoaderError(
                    f"{path}, near line {start}: not UTF-8 text ({exc.reason})",
                    suggestion="save the tracker as 'CSV UTF-8'",
                ) from exc
            except csv.Error as exc:
                raise LoaderError(f"{path}, line {start}: {exc}") from exc
            # The first cell (Item #) is nearly always filled: test it alone before
            # joining the row; a row is blank when every cell is whitespace.
            if (cells and cells[0].strip()) or "".join(cells).strip():
                yield start, cells
