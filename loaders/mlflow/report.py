"""The sync's report: the shared load report plus what only a sync does (deletes, restores)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group

from opencase.graph.store import WriteResult
from opencase.loaders.report import LoadReport


@dataclass
class MlflowSyncReport(LoadReport):
    """``rows_read`` counts runs read from MLflow; ``mode`` says full or incremental."""

    mode: str = "incremental"
    versions_read: int = 0
    deleted: int = 0
    restored: int = 0

    def add(self, result: WriteResult) -> None:
        super().add(result)
        self.deleted += result.deleted
        self.restored += result.restored
        if not result.nothing_written:
            self.written = True

    @property
    def nothing_changed(self) -> bool:
        return not self.written

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out.update(
            mode=self.mode,
            runs_read=self.rows_read,
            versions_read=self.versions_read,
            deleted=self.deleted,
            restored=self.restored,
            nothing_changed=self.nothing_changed,
        )
        return out

    def __rich__(self) -> Group:
        base = super().__rich__()
        line = (
            f"{self.mode} sync: {self.rows_read} runs and {self.versions_read} model versions "
            f"read; {self.deleted} soft-deleted, {self.restored} restored"
        )
        if self.nothing_changed:
            line += "; [green]nothing changed in MLflow, nothing was written[/]"
        return Group(*base.renderables, line)
