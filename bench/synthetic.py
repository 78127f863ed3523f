"""Large, realistic-looking tracker and work-package files for benchmarks and crash tests.

Deterministic for a given size (a seeded RNG), so a benchmark's second run
loads the very same rows and must find nothing to write.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

FAMILIES = ("A220", "A320", "A330", "A350")
PARTNERS = ("GE", "PW CEO", "Liebherr", "DTO", "Safran")
SYSTEMS = (
    ("72", "HPC"),
    ("72", "HPT"),
    ("73", "N1 Shortfall"),
    ("79", "Oil Pressure 79-21"),
    ("28", "Fuel Imbalance 28-22-35"),
    ("34", "Radio Altimeter 34-44-01"),
    ("21", "Pack Outlet"),
    ("32", "Brake Wear 32-42"),
    ("36", "Bleed Leak 36-11"),
    ("75", "Bleed Valve"),
)
PHASES = ("Cruise", "Take-off", "Climb", "Descent")
STATUSES = (
    "Planned",
    "in progress",
    "Pending reply",
    "Completed",
    "backlog",
    "Blocked",
    "waiting response",
    "Done",
    "",
    "Skipped",
)
PRIORITIES = ("High", "Medium", "low", "Critical", "urgent", "")
SUBJECTS = (
    "QG0 - Feasibility",
    "QG1 - Data",
    "QG2 - Validation",
    "QG3 - Deployment",
    "Tool",
    "Governance",
    "Documentation",
)


@dataclass(frozen=True)
class SyntheticModel:
    family: str
    partner: str
    ata: str
    name: str

    @property
    def tracker_cell(self) -> str:
        return f"{self.family} ATA{self.ata}: {self.name}"


#: Every column the tracker loader reads, in the customer's order (seed 001).
TRACKER_COLUMNS = [
    "Item #",
    "Subject",
    "Owner",
    "Partner",
    "Program",
    "Theme",
    "Model",
    "Issue",
    "Actions",
    "Updates",
    "Status",
    "Priority",
    "Start",
    "Due On",
    "Completed",
]


def synthetic_models(count: int = 200) -> list[SyntheticModel]:
    out = []
    for i in range(count):
        family = FAMILIES[i % len(FAMILIES)]
        partner = PARTNERS[(i // len(FAMILIES)) % len(PARTNERS)]
        ata, system = SYSTEMS[(i // 3) % len(SYSTEMS)]
        out.append(
            SyntheticModel(
                family, partner, ata, f"{system} (variant {i}) - {PHASES[i % len(PHASES)]}"
            )
        )
    return out


def write_work_packages(path: Path, models: list[SyntheticModel]) -> Path:
    """One section per (family, partner), each listing its models."""
    sections: dict[tuple[str, str], list[SyntheticModel]] = {}
    for m in models:
        sections.setdefault((m.family, m.partner), []).append(m)
    lines = []
    for (family, partner), items in sections.items():
        lines.append(f"{family} {partner} Development Schedule")
        lines += [f"ATA{m.ata}: {m.name}" for m in items]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_tracker(path: Path, rows: int, models: list[SyntheticModel], seed: int = 7) -> Path:
    """A tracker CSV with multi-line updates, mixed date spellings and status synonyms."""
    rng = random.Random(seed)
    people = [f"DAIA - Analyst {i:03d}" for i in range(40)] + [
        f"Engineer {i:03d} <engineer{i:03d}@daia.example>" for i in range(40)
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(TRACKER_COLUMNS)
        for item in range(1, rows + 1):
            model = models[rng.randrange(len(models))]
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            updates = "\n".join(
                f"{month}/{day + k}: step {k} on item {item}; checked by {model.partner}"
                if k % 2
                else f"note {k} for item {item}"
                for k in range(rng.randint(0, 3))
            )
            status = STATUSES[rng.randrange(len(STATUSES))]
            out.writerow(
                [
                    item,
                    SUBJECTS[item % len(SUBJECTS)],
                    people[rng.randrange(len(people))],
                    model.partner,
                    model.family,
                    f"QG{rng.randint(0, 4)}",
                    model.tracker_cell,
                    f"Issue {item}: {model.name} alerts need review",
                    f"Action {item} on {model.name}",
                    updates,
                    status,
                    PRIORITIES[rng.randrange(len(PRIORITIES))],
                    f"{month}/{day}/2025",
                    f"{day:02d}.{month:02d}.2025" if item % 2 else f"2025-{month:02d}-{day:02d}",
                    "yes" if status in ("Completed", "Done") else "",
                ]
            )
    return path
