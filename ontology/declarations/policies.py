"""Gate policies: the gates a model version must clear before it goes further.

A version goes to MPVAL (pre-production) only after its QG1 gate, and to
production only after QG1 and QG2; the gated actions refuse otherwise,
naming the gate. An override with a reason exists for emergencies; it is
recorded in the action's log entry.
"""

from __future__ import annotations

from ..dsl import gate_policy

MPVAL_PUSH = gate_policy(
    "requestMpvalPush",
    "model_version_id",
    "QG1",
    "A push to MPVAL needs the version's QG1 gate cleared.",
)
PRODUCTION = gate_policy(
    "recordDeployment",
    "target_id",
    "QG1 QG2",
    "A production deployment needs the version's QG1 and QG2 gates cleared.",
    when={"environment": "PROD"},
)

ALL = (MPVAL_PUSH, PRODUCTION)
