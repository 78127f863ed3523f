"""Program management: cases, tasks, the DAIA tracker (seeds 000 and 001)."""

from __future__ import annotations

from ..dsl import boolean, choice, day, integer, number, obj, string, strings, text
from ..dsl import timestamp as ts
from . import enums as E
from .lineage import ATA_PATTERN

IntegrationCase = obj(
    "IntegrationCase",
    pk="case_id",
    title="name",
    area="program",
    prov="Activity",
    doc="The hub: one integration project from partner submission to MPVAL deployment.",
    props=[
        string("case_id", "Key of the case.", required=True),
        text("name", "Case name.", required=True),
        choice("env_target", E.Environment, "Environment the case targets."),
        choice("phase", E.CasePhase, "Phase."),
        choice("status", E.CaseStatus, "Status.", required=True, default="NotStarted"),
        choice("risk_level", E.Severity, "Overall risk level."),
        day("planned_start", "Planned start."),
        day("planned_end", "Planned end."),
        day("actual_start", "Actual start."),
        day("actual_end", "Actual end."),
        integer("sla_days", "Service-level agreement in days.", minimum=0),
        string("program", "Program code, e.g. A350."),
        string("ata_chapter", "ATA chapter.", pattern=ATA_PATTERN),
        ts("last_updated", "Last change in the source system."),
    ],
)

IntegrationTask = obj(
    "IntegrationTask",
    pk="task_id",
    title="title",
    area="program",
    prov="Activity",
    doc="One actionable step of an integration case.",
    props=[
        string("task_id", "Key of the task.", required=True),
        text("title", "What to do.", required=True),
        day("start_date", "Start."),
        day("due_date", "Due."),
        string("owner", "Owner (name or e-mail, raw).", prov_property="wasAssociatedWith"),
        choice("priority", E.Priority, "Priority."),
        choice("status", E.TaskStatus, "Status.", required=True, default="NotStarted"),
        string("type", "Kind of task."),
        strings("labels", "Labels."),
        integer("percent_complete", "Progress in percent.", minimum=0, maximum=100),
        choice("milestone", E.ProcessGate, "Gate the task leads to."),
        number("expected_hours", "Estimated effort."),
        number("actual_hours", "Spent effort."),
        day("completed_on", "When it was completed."),
    ],
)

WorkPackage = obj(
    "WorkPackage",
    pk="work_package_id",
    title="title",
    area="program",
    prov="Entity",
    doc="A timeboxed package of work, e.g. a development schedule section.",
    props=[
        string("work_package_id", "Key: slug of the section title.", required=True),
        text("title", "Title, e.g. 'A330 GE Development Schedule'.", required=True),
        string("program_code", "Program (aircraft family), denormalised."),
        string("partner_name", "Partner of the package (denormalised)."),
        day("timebox_start", "Start of the timebox."),
        day("timebox_end", "End of the timebox."),
    ],
)

Action = obj(
    "Action",
    pk="action_id",
    title="title",
    area="program",
    prov="Activity",
    doc="A normalised tracker action from any source tracker (DAIA, GE, DTO, ...).",
    props=[
        string("action_id", "MD5 of source system, source id and title.", required=True),
        text("title", "What the action is.", required=True),
        text("subject", "Subject as written in the tracker."),
        string("theme", "Theme (often a QG)."),
        text("issue", "The issue the action addresses."),
        choice("status", E.ActionStatus, "Normalised status.", required=True, default="Planned"),
        choice("priority", E.Priority, "Normalised priority.", default="Medium"),
        day("start_date", "Start."),
        day("due_on", "Due date."),
        day("completed_on", "Completion date."),
        boolean("completed", "Whether it is done."),
        string("program_code", "Program, e.g. A350."),
        string("owner_name", "Owner as written in the tracker."),
        string("owner_email", "Owner's e-mail, when known.", prov_property="wasAssociatedWith"),
        string("partner_name", "Partner as written."),
        choice("ac_family", E.AircraftFamily, "Aircraft family parsed from Model."),
        string("ata_chapter", "ATA chapter parsed from Model.", pattern=ATA_PATTERN),
        text("model_name", "Model name parsed from Model."),
        string("source_system", "Tracker it came from.", required=True),
        string("source_id", "Item # in that tracker.", required=True),
    ],
)

StatusUpdate = obj(
    "StatusUpdate",
    pk="update_id",
    title="body",
    area="program",
    prov="Entity",
    doc="A time-stamped note on a tracker action.",
    props=[
        string("update_id", "MD5 of action id, position and body.", required=True),
        text("body", "The note.", required=True),
        ts("created_at", "When it was written."),
        string("author_email", "Who wrote it."),
        integer("position", "Order among the action's updates."),
    ],
)

KPI = obj(
    "KPI",
    pk="kpi_id",
    title="name",
    area="program",
    prov="Entity",
    api_name="kpi",
    plural="KPIs",
    doc="A key performance indicator of a case or a model, with its target.",
    props=[
        string("kpi_id", "Key of the KPI value.", required=True),
        text("name", "KPI name.", required=True),
        number("value", "Measured value."),
        number("target", "Target value."),
        string("unit", "Unit."),
        day("as_of", "Date the value holds for."),
    ],
)

Partner = obj(
    "Partner",
    pk="name",
    title="name",
    area="program",
    prov="Agent",
    doc="External organisation or internal team providing models (GE, PW CEO, DTO, ...).",
    props=[
        string("name", "Partner name as used in trackers, e.g. GE.", required=True),
        string("contact_email", "Contact."),
        string("country", "Country."),
        choice("status", E.PartnerStatus, "Standing.", default="Active"),
    ],
)

Program = obj(
    "Program",
    pk="code",
    title="code",
    area="program",
    prov="Entity",
    doc="An aircraft program (A320, A350, ...) that work is done for.",
    props=[
        string("code", "Program code, e.g. A350.", required=True),
        text("name", "Longer name."),
    ],
)

Person = obj(
    "Person",
    pk="person_id",
    title="name",
    area="program",
    prov="Agent",
    plural="People",
    doc="An owner, approver or validator; one identity per e-mail (or normalised name).",
    props=[
        string(
            "person_id", "E-mail when known, else the slug of the normalised name.", required=True
        ),
        text("name", "Display name.", required=True),
        string("email", "E-mail."),
        string("organisation", "Organisation, e.g. DAIA."),
        strings("roles", "Roles held: owner, approver, validator, ..."),
    ],
)

ALL = (
    IntegrationCase,
    IntegrationTask,
    WorkPackage,
    Action,
    StatusUpdate,
    KPI,
    Partner,
    Program,
    Person,
)
