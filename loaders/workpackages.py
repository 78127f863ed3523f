"""Work-package lists -> ModelWork seeds (seed 001 sections 4 and 7.1, appendix A).

A section header (``A330 GE Development Schedule``) names the aircraft family
and the partner; each ``ATA72: HPC (CF6-80E) - Cruise`` line below it is one
model, keyed ``FAMILY:ATA:slug(name)``. The same name under two families is
two models because the family is part of the key.
"""

from __future__ import annotations

import re
from pathlib import Path

from opencase.errors import LoaderError, Problem, ValidationError
from opencase.graph.store import GraphStore
from opencase.ontology import ONTOLOGY, ids
from opencase.ontology.validation import validate_properties

from .cells import most_specific_ata
from .known import KnownNames
from .progress import LoadProgress
from .report import LoadReport
from .staging import BATCH_SIZE, Staged, load_file

MODEL_LINE = re.compile(
    r"^\s*(?:[-*•]\s*)?ATA\s*(?P<ata>\d{2}(?:-\d{2})?)\s*:\s*(?P<name>.+?)\s*$", re.IGNORECASE
)
HEADER = re.compile(r"^\s*#*\s*(?P<family>A\d{3})\b(?P<rest>.*)$", re.IGNORECASE)
#: Partners the seed's headers name even before any is in the store (section 7.1).
SEED_PARTNERS = ("PW CEO", "GE")

_MODEL = ONTOLOGY.object_type("ModelWork")
_FAMILY = ONTOLOGY.enum_of(_MODEL.prop("ac_family"))


def infer_partner(header: str, known: list[str]) -> str | None:
    """The longest known partner named as a whole word in the header, if any."""
    for name in sorted({*SEED_PARTNERS, *known}, key=len, reverse=True):
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", header, re.IGNORECASE):
            return name
    return None


class _Section:
    def __init__(self, title: str, family: str, partner: str | None, line: int) -> None:
        self.title, self.family, self.partner, self.line = title, family, partner, line
        self.wp_id: str | None = None


def load_work_packages(
    store: GraphStore,
    path: str | Path,
    *,
    strict: bool = False,
    progress: LoadProgress | None = None,
    batch_size: int | None = BATCH_SIZE,
) -> LoadReport:
    """Load a work-package list; bad lines are reported with their line and the rest load."""
    report = LoadReport("work-packages", str(path), strict=strict)
    return load_file(store, path, report, stage_work_packages, progress, batch_size)


def stage_work_packages(
    store: GraphStore, path: str | Path, report: LoadReport, staged: Staged | None = None
) -> Staged:
    """Parse the list into ``staged``; partners staged earlier count as known."""
    path = Path(path)
    staged = staged if staged is not None else Staged()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoaderError(f"cannot read {path}: {exc}") from exc
    partners = KnownNames.from_store(store, "Partner", staged)
    section: _Section | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or set(line) <= {".", "…", "-", "=", "_"}:
            continue
        if (m := MODEL_LINE.match(line)) is None and (h := HEADER.match(line)):
            partner = infer_partner(line, list(partners))
            section = _Section(line, h["family"].upper(), partners.canonical(partner or ""), number)
            continue
        if m is None:
            report.warn("neither a section header nor an 'ATAnn: name' line; skipped", line=number)
            continue
        report.rows_read += 1
        if section is None:
            report.reject(
                [
                    Problem(
                        "model line before any section header: no aircraft family",
                        field="header",
                        line=number,
                        source=report.source,
                    )
                ]
            )
            continue
        _stage_model(staged, section, m["ata"], m["name"], number, report)
    return staged


def _stage_model(
    staged: Staged, section: _Section, ata: str, name: str, line: int, report: LoadReport
) -> None:
    family = _FAMILY.normalise(section.family)
    props = {
        "model_key": ids.model_key(section.family, ata, name),
        "name": name,
        "ac_family": family,
        "ata_chapter": most_specific_ata(ata, name),
        "partner_name": section.partner,
    }
    if family is None:
        report.warn(
            f"{section.family} is not a known aircraft family; ac_family left empty",
            line=line,
            field="header",
        )
    try:
        props = validate_properties(
            _MODEL,
            {k: v for k, v in props.items() if v is not None},
            line=line,
            source=report.source,
        )
    except ValidationError as exc:
        report.reject(exc.problems)
        return
    if section.wp_id is None:
        section.wp_id = _stage_section(staged, section)
    mid = staged.add_object("ModelWork", props)
    staged.add_link("daia-model-in-work-package", mid, section.wp_id)
    if section.partner:
        staged.add_link(
            "daia-model-by-partner", mid, ONTOLOGY.object_id("Partner", section.partner)
        )


def _stage_section(staged: Staged, section: _Section) -> str:
    """The section's WorkPackage, its Program and Partner (written once, with its first model)."""
    wp = {
        "work_package_id": ids.slug(section.title),
        "title": section.title,
        "program_code": section.family,
    }
    if section.partner:
        wp["partner_name"] = section.partner
    wp_id = staged.add_object("WorkPackage", wp)
    program_id = staged.add_object("Program", {"code": section.family})
    staged.add_link("work-package-in-program", wp_id, program_id)
    if section.partner:
        partner_id = staged.add_object("Partner", {"name": section.partner})
        staged.add_link("work-package-for-partner", wp_id, partner_id)
    return wp_id
