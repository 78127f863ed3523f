"""The seed questions as parameterised Cypher, for the Neo4j Browser kit.

Labels, relationship types and property names are looked up in the ontology
(:func:`_L`, :func:`_R`, :func:`_P`), so a renamed declaration fails here at
import instead of leaving a saved query that silently finds nothing. Values
are parameters, never spliced in. ``embedded`` marks the questions whose Cypher
the embedded engine runs as it is (the tests run them on the demo graph);
the others use Neo4j-only features (APOC, ``shortestPath``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from opencase.graph.neo4j_conn import COMMON_LABEL
from opencase.ontology import ONTOLOGY
from opencase.queries.dialect import ident


def _L(name: str) -> str:
    """A node label (object type name) from the ontology."""
    return ident(ONTOLOGY.object_type(name).name)


def _R(api_name: str) -> str:
    """A relationship type (link type) from the ontology."""
    return ident(ONTOLOGY.link_type(api_name).rel_type)


def _P(object_type: str, prop: str) -> str:
    """A property name, checked against its object type's declaration."""
    ONTOLOGY.object_type(object_type).prop(prop)
    return ident(prop)


@dataclass(frozen=True)
class Question:
    """One saved question: a title, what it answers, the Cypher and its parameters."""

    key: str
    title: str
    source: str  # which seed asks it
    cypher: str
    params: dict[str, Any] = field(default_factory=dict)
    embedded: bool = True


def _questions() -> tuple[Question, ...]:
    mw, mv, ex = _L("ModelWork"), _L("ModelVersion"), _L("Experiment")
    has_version = _R("model-work-has-version")
    has_run = _R("model-version-has-experiment")
    name = _P("ModelWork", "name")
    model = "hpc"
    return (
        Question(
            "model",
            "Which model is being developed?",
            "seed 000",
            f"MATCH (m:{mw}) WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"RETURN m.id AS id, m.{name} AS name, m.{_P('ModelWork', 'status')} AS status\n"
            "ORDER BY name",
            {"text": model},
        ),
        Question(
            "datasets",
            "What datasets feed the model?",
            "seed 000",
            f"MATCH (m:{mw})-[:{has_version}]->(:{mv})-[:{has_run}]->(:{ex})"
            f"-[:{_R('experiment-used-dataset')}]->(dv:{_L('DatasetVersion')})\n"
            f"WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"OPTIONAL MATCH (d:{_L('Dataset')})-[:{_R('dataset-has-version')}]->(dv)\n"
            f"RETURN DISTINCT m.{name} AS model, d.{_P('Dataset', 'name')} AS dataset, "
            f"dv.{_P('DatasetVersion', 'version_id')} AS version\n"
            "ORDER BY model, dataset, version",
            {"text": model},
        ),
        Question(
            "kpis",
            "Which versions and runs exist, and what were their KPIs?",
            "seed 000",
            f"MATCH (m:{mw})-[:{has_version}]->(v:{mv})-[:{has_run}]->(e:{ex})\n"
            f"WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"OPTIONAL MATCH (e)-[:{_R('experiment-produced-metric')}]->(k:{_L('Metric')})\n"
            f"RETURN v.{_P('ModelVersion', 'version')} AS version, "
            f"e.{_P('Experiment', 'run_name')} AS run, "
            f"k.{_P('Metric', 'name')} AS kpi, k.{_P('Metric', 'value')} AS value\n"
            "ORDER BY version, run, kpi",
            {"text": model},
        ),
        Question(
            "gates",
            "Which gates has the model passed or failed?",
            "seed 000",
            f"MATCH (g:{_L('Gate')})-[:{_R('gate-advances-version')}]->(v:{mv})"
            f"<-[:{has_version}]-(m:{mw})\n"
            f"WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"RETURN v.{_P('ModelVersion', 'version')} AS version, g.{_P('Gate', 'name')} AS gate, "
            f"g.{_P('Gate', 'decision')} AS decision, "
            f"g.{_P('Gate', 'decision_date')} AS decided\n"
            "ORDER BY decided",
            {"text": model},
        ),
        Question(
            "tools",
            "Which tools were used?",
            "seed 000",
            f"MATCH (t:{_L('Tool')})-[:{_R('tool-used-in')}]->(e:{ex})<-[:{has_run}]-(:{mv})"
            f"<-[:{has_version}]-(m:{mw})\n"
            f"WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"RETURN DISTINCT t.{_P('Tool', 'name')} AS tool, "
            f"t.{_P('Tool', 'version')} AS version ORDER BY tool",
            {"text": model},
        ),
        Question(
            "deployment",
            "Where is the model deployed, at which endpoint, in which state?",
            "seed 000",
            f"MATCH (d:{_L('Deployment')})-[:{_R('deployment-deploys-version')}]->(v:{mv})"
            f"<-[:{has_version}]-(m:{mw})\n"
            f"WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"RETURN d.{_P('Deployment', 'environment')} AS environment, "
            f"d.{_P('Deployment', 'endpoint_url')} AS endpoint, "
            f"d.{_P('Deployment', 'status')} AS status, "
            f"v.{_P('ModelVersion', 'version')} AS version, "
            f"d.{_P('Deployment', 'deployed_at')} AS deployed\n"
            "ORDER BY deployed DESC",
            {"text": model},
        ),
        Question(
            "open-actions",
            "Open actions by programme and partner",
            "seed 001",
            f"MATCH (a:{_L('Action')}) WHERE a.{_P('Action', 'status')} IN $open\n"
            f"RETURN a.{_P('Action', 'program_code')} AS programme, "
            f"a.{_P('Action', 'partner_name')} AS partner, count(*) AS open\n"
            "ORDER BY open DESC, programme, partner",
            {"open": ["Proposed", "Planned", "InProgress", "WaitingResponse", "Blocked"]},
        ),
        Question(
            "ata-actions",
            "Actions touching an ATA chapter in a quarter",
            "seed 001",
            f"MATCH (a:{_L('Action')})\n"
            f"WHERE a.{_P('Action', 'ata_chapter')} STARTS WITH $ata\n"
            f"  AND a.{_P('Action', 'due_on')} >= $from AND a.{_P('Action', 'due_on')} < $to\n"
            f"RETURN a.{_P('Action', 'title')} AS action, a.{_P('Action', 'status')} AS status, "
            f"a.{_P('Action', 'due_on')} AS due ORDER BY due",
            {"ata": "72", "from": dt.date(2025, 1, 1), "to": dt.date(2025, 4, 1)},
        ),
        Question(
            "prod-deployments",
            "All production deployments for a customer",
            "seed 004",
            f"MATCH (d:{_L('Deployment')})-[:{_R('deployment-of-release')}]->(r:{_L('Release')})"
            f"<-[:{_R('model-work-has-release')}]-(m:{mw})\n"
            f"WHERE d.{_P('Deployment', 'environment')} = $environment "
            f"AND m.{_P('ModelWork', 'company')} = $company\n"
            f"RETURN m.{name} AS model, r.{_P('Release', 'tag')} AS release, "
            f"d.{_P('Deployment', 'endpoint_url')} AS endpoint, "
            f"d.{_P('Deployment', 'status')} AS status\n"
            "ORDER BY model",
            {"environment": "PROD", "company": "CompanyA"},
        ),
        Question(
            "latest-release",
            "The latest release of a model",
            "seed 004",
            f"MATCH (m:{mw})-[:{_R('model-work-has-release')}]->(r:{_L('Release')})\n"
            f"WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"RETURN m.{name} AS model, r.{_P('Release', 'version')} AS version, "
            f"r.{_P('Release', 'tag')} AS tag, r.{_P('Release', 'status')} AS status\n"
            f"ORDER BY r.{_P('Release', 'created_at')} DESC LIMIT 1",
            {"text": "llama"},
        ),
        Question(
            "failed-deployments",
            "Failed deployments",
            "seed 004",
            f"MATCH (d:{_L('Deployment')}) WHERE d.{_P('Deployment', 'status')} = $status\n"
            f"RETURN d.{_P('Deployment', 'name')} AS deployment, "
            f"d.{_P('Deployment', 'environment')} AS environment, "
            f"d.{_P('Deployment', 'deployed_at')} AS deployed ORDER BY deployed DESC",
            {"status": "failed"},
        ),
        Question(
            "deployment-history",
            "Deployment history of a model",
            "seed 004",
            f"MATCH (d:{_L('Deployment')})-[:{_R('deployment-deploys-version')}]->(v:{mv})"
            f"<-[:{has_version}]-(m:{mw})\n"
            f"WHERE toLower(m.{name}) CONTAINS toLower($text)\n"
            f"RETURN v.{_P('ModelVersion', 'version')} AS version, "
            f"d.{_P('Deployment', 'environment')} AS environment, "
            f"d.{_P('Deployment', 'status')} AS status, d.{_P('Deployment', 'deployed_at')} AS at, "
            f"d.{_P('Deployment', 'terminated_at')} AS ended\n"
            "ORDER BY at",
            {"text": model},
        ),
        Question(
            "neighbourhood",
            "Everything within two links of an object (a picture to explore)",
            "Browser",
            f"MATCH p = (n:{COMMON_LABEL} {{id: $id}})-[*1..2]-() RETURN p LIMIT 300",
            {"id": "model-work:A330:72:hpc-cf6-80e-cruise"},
            embedded=False,
        ),
        Question(
            "lineage-apoc",
            "Upstream and downstream of an object up to four links (APOC)",
            "Browser",
            f"MATCH (n:{COMMON_LABEL} {{id: $id}})\n"
            "CALL apoc.path.subgraphAll(n, {maxLevel: 4}) YIELD nodes, relationships\n"
            "RETURN nodes, relationships",
            {"id": "model-work:A330:72:hpc-cf6-80e-cruise"},
            embedded=False,
        ),
        Question(
            "path",
            "The shortest chain of links between two objects",
            "Browser",
            f"MATCH p = shortestPath((a:{COMMON_LABEL} {{id: $from}})-[*..8]-"
            f"(b:{COMMON_LABEL} {{id: $to}}))\nRETURN p",
            {
                "from": "model-work:A330:72:hpc-cf6-80e-cruise",
                "to": "deployment:mpval-a330-hpc-1.3.0",
            },
            embedded=False,
        ),
    )


QUESTIONS: tuple[Question, ...] = _questions()


def param_literal(value: Any) -> str:
    """A parameter value as the Cypher expression Neo4j Browser's ``:param`` takes."""
    if isinstance(value, dt.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(param_literal(v) for v in value) + "]"
    return repr(value)
