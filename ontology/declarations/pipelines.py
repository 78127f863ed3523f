"""Data pipelines as OpenLineage describes them: jobs, their runs, what each run read and wrote.

Airflow, Spark, dbt, Flink and Dagster report their lineage as OpenLineage
events; these types are where those events land. A run's inputs are upstream of
it and its outputs downstream, so ``lineage`` walks from a raw table through the
pipelines into the training runs that read what they produced.
"""

from __future__ import annotations

from ..dsl import CONTEXT as CONTEXT_ROLE
from ..dsl import FLOW, SOURCE, TARGET, choice, enum, json_map, link, obj, string, text
from ..dsl import MANY_TO_MANY as MM
from ..dsl import MANY_TO_ONE as M1
from ..dsl import timestamp as ts

JobRunState = enum(
    "JobRunState",
    "START RUNNING COMPLETE FAIL ABORT OTHER",
    "OpenLineage run states: START, then RUNNING, then one of COMPLETE, FAIL or ABORT "
    "(OTHER for events that carry facets only).",
    synonyms={"started": "START", "completed": "COMPLETE", "failed": "FAIL", "aborted": "ABORT"},
)

Job = obj(
    "Job",
    pk="job_key",
    title="name",
    area="pipelines",
    prov="Entity",
    doc="A data pipeline job as OpenLineage names it: a namespace (the scheduler or "
    "system) and a name unique in it.",
    props=[
        string("job_key", "Deterministic key: '<namespace>/<name>'.", required=True),
        string("namespace", "OpenLineage job namespace, e.g. the Airflow instance.", required=True),
        text("name", "Job name, unique within its namespace.", required=True),
        text("description", "What the job does (documentation facet)."),
        string("processing_type", "BATCH or STREAMING (jobType facet)."),
        string("integration", "What emitted the events: AIRFLOW, SPARK, DBT, ... (jobType facet)."),
        string("job_type", "QUERY, DAG, TASK, MODEL, ... (jobType facet)."),
        string("source_code_url", "Where its code lives (sourceCodeLocation facet)."),
        string("source_code_version", "Commit or tag of that code (sourceCodeLocation facet)."),
        json_map("facets", "Every job facet as received, unknown ones included."),
    ],
)

JobRun = obj(
    "JobRun",
    pk="run_id",
    title="run_name",
    area="pipelines",
    prov="Activity",
    doc="One run of a job, built from the OpenLineage run events that name it, in any order.",
    props=[
        string("run_id", "The OpenLineage run id (a UUID).", required=True),
        text("run_name", "Job name and the end of the run id, for people.", required=True),
        string("job_key", "Key of the job this is a run of."),
        choice("state", JobRunState, "Where the run is in its lifecycle."),
        ts("started_at", "Event time of the START event."),
        ts("ended_at", "Event time of the COMPLETE, FAIL or ABORT event."),
        ts("last_event_time", "Event time of the newest event seen for the run."),
        text("error_message", "Why it failed (errorMessage facet)."),
        ts("nominal_start_time", "Scheduled start (nominalTime facet)."),
        ts("nominal_end_time", "Scheduled end (nominalTime facet)."),
        string("producer", "URI of the code that emitted the events."),
        json_map("facets", "Every run facet as received, unknown ones included."),
    ],
)

ALL = (Job, JobRun)
ENUMS = (JobRunState,)

_DATA = ("Dataset", "DatasetVersion")

LINKS = (
    link(
        "job-run-of-job",
        "JobRun",
        "Job",
        M1,
        "job",
        "runs",
        "The job a run belongs to.",
        role=CONTEXT_ROLE,
    ),
    link(
        "job-run-has-parent",
        "JobRun",
        "JobRun",
        M1,
        "parentRun",
        "childRuns",
        "The run that started this one (parent facet), e.g. an Airflow DAG run of a task run.",
        role=CONTEXT_ROLE,
    ),
    link(
        "job-run-read-dataset",
        "JobRun",
        _DATA,
        MM,
        "inputs",
        "readByRuns",
        "Datasets (or dataset versions) a run read.",
        props=[
            json_map("input_facets", "Input facets as received (data quality, input statistics).")
        ],
        prov="used",
        role=FLOW,
        upstream=TARGET,
    ),
    link(
        "job-run-wrote-dataset",
        "JobRun",
        _DATA,
        MM,
        "outputs",
        "writtenByRuns",
        "Datasets (or dataset versions) a run wrote.",
        props=[
            json_map("column_lineage", "Which input columns each output column comes from."),
            json_map("output_facets", "Output facets as received (output statistics, ...)."),
        ],
        prov="generated",
        role=FLOW,
        upstream=SOURCE,
    ),
)
