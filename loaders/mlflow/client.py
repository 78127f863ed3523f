"""Reading MLflow through its own client, page by page, with its errors mapped to ours.

Everything the sync needs from MLflow goes through :class:`MlflowReader`, so
paging, retries and error translation live in one place. Whole-source failures
(unreachable server, unknown experiment, bad URI) raise :class:`LoaderError`
before anything is written; per-run failures (one artifact listing) are left to
the caller to report and skip.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from mlflow import MlflowClient
from mlflow.entities import Experiment, FileInfo, Metric, Run, ViewType
from mlflow.entities.model_registry import ModelVersion, RegisteredModel
from mlflow.exceptions import MlflowException
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

from opencase.errors import LoaderError

from .config import MlflowSyncConfig

T = TypeVar("T")

#: ``run_id IN (...)`` lists longer than this are split over several searches.
ID_CHUNK = 100
#: How long the first call may take before we call the server unreachable.
PROBE_TIMEOUT_SECONDS = "10"


@contextlib.contextmanager
def _no_retries() -> Iterator[None]:
    """Fail fast on the probe: MLflow's default HTTP retries take minutes to give up."""
    saved = {k: os.environ.get(k) for k in _PROBE_ENV}
    os.environ.update(_PROBE_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_PROBE_ENV = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": PROBE_TIMEOUT_SECONDS,
}


def _paged(call: Callable[..., Any], **kwargs: Any) -> Iterator[list[Any]]:
    """Every page of a paged MLflow search, following ``page_token`` to the end."""
    token: str | None = None
    while True:
        page = call(page_token=token, **kwargs)
        yield list(page)
        token = page.token
        if not token:
            return


def _local_dir(uri: str) -> Path | None:
    """The folder of a local artifact root; building an MLflow repository per run costs more."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(parsed.path)
    if parsed.scheme == "" or (len(parsed.scheme) == 1 and os.name == "nt"):
        return Path(uri)
    return None


def _walk(root: Path, cap: int) -> tuple[list[FileInfo], bool]:
    """Files under ``root`` as MLflow lists them: paths relative to the root, sizes in bytes."""
    files: list[FileInfo] = []
    if not root.is_dir():
        return files, False
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if len(files) >= cap:
                return files, True
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            files.append(FileInfo(rel, False, path.stat().st_size))
    return files, False


def _quote(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"


class MlflowReader:
    """One tracking server (and its registry), read with MLflow's own client."""

    def __init__(self, config: MlflowSyncConfig) -> None:
        self.config = config
        self.uri = config.tracking_uri
        self._check_local_uri()
        try:
            self.client = MlflowClient(tracking_uri=self.uri, registry_uri=config.registry_uri)
        except MlflowException as exc:
            raise self._source_error(exc) from exc

    # ---- connection -------------------------------------------------------------------------

    def _check_local_uri(self) -> None:
        """Refuse a local store that does not exist: MLflow would silently create an empty one."""
        parsed = urlparse(self.uri)
        if parsed.scheme == "sqlite":
            path = self.uri[len("sqlite:///") :] if self.uri.startswith("sqlite:///") else ""
            path = path.split("?", 1)[0]
            if path and path != ":memory:" and not Path(path).is_file():
                raise LoaderError(
                    f"no MLflow SQLite store at {path}",
                    suggestion="check the path; sqlite:////abs/path.db has four slashes",
                )
        elif parsed.scheme in ("", "file"):
            path = parsed.path if parsed.scheme == "file" else self.uri
            if not Path(path).is_dir():
                raise LoaderError(
                    f"no MLflow file store at {path}",
                    suggestion="give sqlite:///path.db, a file store folder or http://host:port",
                )

    def check(self) -> None:
        """One cheap call that proves the server answers and the URI is right."""
        with _no_retries():
            try:
                self.client.search_experiments(max_results=1)
            except MlflowException as exc:
                raise self._source_error(exc) from exc
            except OSError as exc:
                raise self._source_error(exc) from exc

    def _source_error(self, exc: BaseException) -> LoaderError:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "MLFLOW_ALLOW_FILE_STORE" in str(exc) or "filesystem tracking backend" in str(exc):
            return LoaderError(
                f"cannot read the MLflow file store {self.uri}: MLflow disables file stores "
                "unless MLFLOW_ALLOW_FILE_STORE=true",
                suggestion="export MLFLOW_ALLOW_FILE_STORE=true, or migrate the store to SQLite "
                "with `mlflow migrate-filestore`",
            )
        if self.uri.startswith(("http://", "https://")):
            return LoaderError(
                f"cannot reach the MLflow tracking server at {self.uri}: {text[:300]}",
                suggestion="is `mlflow server` running and listening on that host and port?",
            )
        return LoaderError(
            f"cannot read MLflow at {self.uri}: {text[:300]}",
            suggestion="check --tracking-uri (sqlite:///path.db, a file store, http://host:port)",
        )

    def _call(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """A whole-source call: any MLflow failure stops the sync with one clear error."""
        try:
            return call(*args, **kwargs)
        except (MlflowException, OSError) as exc:
            raise self._source_error(exc) from exc

    # ---- tracking ---------------------------------------------------------------------------

    def experiments(self, names: Sequence[str] = ()) -> list[Experiment]:
        """Experiments to sync (deleted ones too: their runs count as deleted)."""
        found: list[Experiment] = []
        for page in self._call(
            lambda: list(_paged(self.client.search_experiments, view_type=ViewType.ALL))
        ):
            found.extend(page)
        if not names:
            return found
        by_name = {e.name: e for e in found}
        missing = [n for n in names if n not in by_name]
        if missing:
            known = ", ".join(sorted(by_name)[:20]) or "(none)"
            raise LoaderError(
                f"no MLflow experiment named {', '.join(map(repr, missing))} at {self.uri}",
                suggestion=f"experiments there: {known}",
            )
        return [by_name[n] for n in names]

    def run_pages(
        self,
        experiment_ids: Sequence[str],
        filter_string: str = "",
        view_type: int = ViewType.ACTIVE_ONLY,
    ) -> Iterator[list[Run]]:
        """Runs in start order (parents before their nested runs), one page at a time."""
        if not experiment_ids:
            return
        pages = _paged(
            self.client.search_runs,
            experiment_ids=list(experiment_ids),
            filter_string=filter_string,
            run_view_type=view_type,
            max_results=self.config.page_size,
            order_by=["attributes.start_time ASC", "attributes.run_id ASC"],
        )
        while True:
            try:
                page = next(pages)
            except StopIteration:
                return
            except (MlflowException, OSError) as exc:
                raise self._source_error(exc) from exc
            yield page

    def runs_by_id(
        self, experiment_ids: Sequence[str], run_ids: Sequence[str], view_type: int = ViewType.ALL
    ) -> Iterator[list[Run]]:
        """Specific runs (still-open ones, restored ones), in chunks of ``ID_CHUNK``."""
        ids = sorted(run_ids)
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ", ".join(_quote(i) for i in ids[start : start + ID_CHUNK])
            yield from self.run_pages(experiment_ids, f"attributes.run_id IN ({chunk})", view_type)

    @staticmethod
    def local_artifacts(run: Run) -> bool:
        """True when the run's artifacts are a local folder (listed without MLflow calls)."""
        uri = run.info.artifact_uri
        return bool(uri) and _local_dir(uri) is not None

    def artifacts(self, run: Run) -> tuple[list[FileInfo], bool]:
        """A run's files, recursively, up to the configured cap; True when the cap cut it."""
        cap = self.config.max_artifacts_per_run
        local = _local_dir(run.info.artifact_uri)
        if local is not None:
            return _walk(local, cap)
        repo = get_artifact_repository(run.info.artifact_uri, tracking_uri=self.uri)
        files: list[FileInfo] = []
        todo: list[str | None] = [None]
        while todo:
            for info in repo.list_artifacts(todo.pop()):
                if info.is_dir:
                    todo.append(info.path)
                elif len(files) >= cap:
                    return files, True
                else:
                    files.append(info)
        return files, False

    def metric_history(self, run_id: str, key: str) -> list[Metric]:
        return list(self.client.get_metric_history(run_id, key))

    # ---- registry ---------------------------------------------------------------------------

    def registered_models(self) -> list[RegisteredModel]:
        return self._flatten(self.client.search_registered_models, max_results=1000)

    def model_versions(self) -> list[ModelVersion]:
        return self._flatten(self.client.search_model_versions, max_results=10_000)

    def _flatten(self, call: Callable[..., Any], **kwargs: Any) -> list[Any]:
        out: list[Any] = []
        for page in self._call(lambda: list(_paged(call, **kwargs))):
            out.extend(page)
        return out
