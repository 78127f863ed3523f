"""Monitoring alerts: raiseAlert, acknowledgeAlert, resolveAlert.

An alert moves open -> acknowledged -> resolved (its lifecycle); each step
sends a notification linked to the alert and to the action that sent it, so
"who was told, and by what" is a graph question.
"""

from __future__ import annotations

from .context import ActionContext
from .log import new_id
from .registry import handles

ALERT, DEPLOYMENT = "Alert", "Deployment"


@handles("raiseAlert")
def raise_alert(ctx: ActionContext) -> None:
    deployment = ctx.load("deployment_id", [DEPLOYMENT])
    p = ctx.params
    alert_id = ctx.create(
        ALERT,
        {**ctx.carried(ALERT), "alert_id": new_id(), "status": "open", "raised_at": ctx.now},
    )
    ctx.connect(deployment.id, alert_id)
    ctx.notify(
        f"{p['severity']} alert on {deployment.title}: {p['title']}",
        message=p.get("message"),
        severity=p["severity"],
        recipient=p.get("recipient"),
        about=alert_id,
    )
    ctx.note(f"{p['severity']} alert {alert_id} raised on {deployment.id}")


@handles("acknowledgeAlert")
def acknowledge_alert(ctx: ActionContext) -> None:
    alert = ctx.load("alert_id", [ALERT])
    ctx.move(alert, "acknowledged", acknowledged_at=ctx.now, acknowledged_by=ctx.actor)
    note = ctx.params.get("note")
    ctx.notify(
        f"Alert acknowledged by {ctx.actor}: {alert.title}",
        message=note,
        severity=alert.properties.get("severity"),
        about=alert.id,
    )
    ctx.note(f"alert {alert.id} acknowledged by {ctx.actor}")


@handles("resolveAlert")
def resolve_alert(ctx: ActionContext) -> None:
    alert = ctx.load("alert_id", [ALERT])
    resolution = ctx.params["resolution"]
    ctx.move(alert, "resolved", resolved_at=ctx.now, resolved_by=ctx.actor, resolution=resolution)
    ctx.notify(
        f"Alert resolved by {ctx.actor}: {alert.title}",
        message=resolution,
        severity=alert.properties.get("severity"),
        about=alert.id,
    )
    ctx.note(f"alert {alert.id} resolved by {ctx.actor}")
