"""The overview's charts: each one ``aggregate`` query, checked against the ontology.

The page draws whatever this list says, generically (bars per group, stacked
by a second property, bucketed by month for a date). Each chart names the
object type and the properties it groups by; :func:`charts` checks them
against the ontology when the page is served, so a renamed property fails the
explorer's tests instead of drawing an empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opencase.errors import OntologyError
from opencase.ontology import ONTOLOGY, PropertyType


@dataclass(frozen=True)
class Chart:
    """One bar chart: ``object_type`` counted per ``bars`` value, stacked by ``stack``."""

    key: str
    title: str
    object_type: str
    bars: str  # snake_case property
    stack: str | None = None
    #: property -> values that are NOT counted (e.g. the closed states of an action)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)


CHARTS: tuple[Chart, ...] = (
    Chart(
        "open-actions",
        "Open actions by programme and partner",
        "Action",
        "program_code",
        "partner_name",
        exclude={"status": ("Completed", "Skipped", "Canceled")},
    ),
    Chart("gates", "Gates by decision over time", "Gate", "decision_date", "decision"),
    Chart(
        "deployments",
        "Deployments by environment and status",
        "Deployment",
        "environment",
        "status",
    ),
    Chart("risks", "Risks by severity", "RiskIssue", "severity", "status"),
)


def _field(ot_name: str, prop_name: str) -> dict[str, Any]:
    ot = ONTOLOGY.object_type(ot_name)
    if not ot.has_property(prop_name):
        raise OntologyError(
            f"overview chart: {ot.name} has no property {prop_name!r}",
            suggestion="fix the chart in api/explore/charts.py",
        )
    prop = ot.prop(prop_name)
    return {
        "field": prop.camel_name,
        "type": prop.type.value,
        "month": prop.type in (PropertyType.DATE, PropertyType.DATETIME),
    }


def _where(chart: Chart) -> dict[str, Any] | None:
    """The JSON where input that keeps every value of an enum but the excluded ones."""
    ot = ONTOLOGY.object_type(chart.object_type)
    where: dict[str, Any] = {}
    for name, values in chart.exclude.items():
        enum = ONTOLOGY.enum_of(ot.prop(name))
        if enum is None or not set(values) <= set(enum.values):
            raise OntologyError(
                f"overview chart {chart.key}: {values} are not values of {ot.name}.{name}",
                suggestion="fix the chart in api/explore/charts.py",
            )
        kept = [v for v in enum.values if v not in values]
        where[ot.prop(name).camel_name] = {"in": kept}
    return where or None


def charts() -> list[dict[str, Any]]:
    """The charts as the page reads them (camelCase fields, API names)."""
    out = []
    for chart in CHARTS:
        ot = ONTOLOGY.object_type(chart.object_type)
        out.append(
            {
                "key": chart.key,
                "title": chart.title,
                "objectType": ot.name,
                "apiName": ot.api_name,
                "bars": _field(ot.name, chart.bars),
                "stack": _field(ot.name, chart.stack) if chart.stack else None,
                "where": _where(chart),
            }
        )
    return out
