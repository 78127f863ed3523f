"""The one exception tree of OpenCase.

Every error a user can see derives from :class:`OpenCaseError`, so the CLI and
the API can map "our" failures to clear messages while anything else is a bug::

    OpenCaseError
    ├── OntologyError            a declaration is inconsistent (raised at import)
    ├── ValidationError          input does not fit the ontology (names file/line/field)
    │   └── LimitExceededError   a request over one of the server's limits
    ├── GraphStoreError          the graph store failed (driver errors mapped here)
    │   ├── StoreLockedError     another process holds the embedded store
    │   ├── StoreUnavailableError the server cannot be reached / bad credentials
    │   ├── StoreCapacityError   the store ran out of memory for a statement
    │   ├── StoreInterruptedError a statement was interrupted at its time limit
    │   ├── StoreValueError      a value the store cannot take (text that is not Unicode)
    │   └── NotFoundError        an id that is not in the graph
    ├── ActionError              an action's precondition or transition failed
    └── LoaderError              a source cannot be read at all (bad config, unreachable)
"""

from __future__ import annotations

from dataclasses import dataclass


class OpenCaseError(Exception):
    """Root of every error OpenCase raises on purpose.

    ``suggestion`` tells the user what to do next; the CLI prints it under the
    message, the API adds it to the error's extensions.
    """

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion

    def __str__(self) -> str:
        if self.suggestion:
            return f"{self.message}\n  hint: {self.suggestion}"
        return self.message


class OntologyError(OpenCaseError):
    """The ontology's declarations contradict each other."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input record, located as precisely as we can."""

    message: str
    field: str | None = None
    line: int | None = None
    source: str | None = None
    record: int | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record is not None and self.line is None:
            where.append(f"record {self.record}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ValidationError(OpenCaseError):
    """Input that does not fit the ontology; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem | str, *, suggestion: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"invalid input: {shown}{more}", suggestion=suggestion)


class LimitExceededError(ValidationError):
    """A request over one of the server's limits; ``limit`` names the setting."""

    def __init__(
        self, problem: Problem, *, limit: str, maximum: int | float, suggestion: str | None = None
    ) -> None:
        super().__init__(problem, suggestion=suggestion)
        self.limit = limit
        self.maximum = maximum


#: How much of a user's value an error message may quote.
PREVIEW_CHARS = 60


def preview(value: object, limit: int = PREVIEW_CHARS) -> str:
    """``repr(value)`` cut to a short prefix: errors name the input, never echo all of it."""
    text = repr(value) if not isinstance(value, str) else repr(value[: limit + 1])
    if len(text) <= limit:
        return text
    return text[:limit] + "…"


class GraphStoreError(OpenCaseError):
    """The graph store failed; the driver's own error is chained as ``__cause__``."""


class StoreLockedError(GraphStoreError):
    """The embedded store is open read-write in another process (e.g. a running server)."""


class StoreUnavailableError(GraphStoreError):
    """The store cannot be reached or opened (server down, bad URI or credentials)."""


class StoreCapacityError(GraphStoreError):
    """The store's memory (the embedded engine's buffer pool) could not hold a statement."""


class StoreInterruptedError(GraphStoreError):
    """A statement was stopped: interrupted, or over the store's own time limit."""


class StoreValueError(GraphStoreError):
    """A parameter the store cannot take, such as text with unpaired surrogates."""


class NotFoundError(GraphStoreError):
    """An object id that is not in the graph."""


class ActionError(OpenCaseError):
    """An action was refused: bad parameters, a forbidden transition, a missing object."""


class LoaderError(OpenCaseError):
    """A source cannot be read at all; row-level problems go into the load report instead."""
