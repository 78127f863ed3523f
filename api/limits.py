"""Every limit the API enforces, its default and the environment variable that sets it.

One table, read once when the server starts: the request middleware, the
schema extensions and the resolvers all take their numbers from here, and
docs/limits.md lists the same names. Each limit is checked before the store
is asked anything, so a request over a limit costs the server almost nothing.

A refusal is a :class:`LimitExceededError` with the code ``LIMIT_EXCEEDED``
and ``extensions.limit`` naming the setting, so clients can branch on it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from opencase.errors import LimitExceededError, Problem, ValidationError, preview


def _limit(default: int | float, env: str, about: str) -> int | float:
    return field(default=default, metadata={"env": env, "about": about})


@dataclass(frozen=True)
class Limits:
    """The API's limits; ``Limits.from_env()`` applies the ``OPENCASE_*`` overrides."""

    max_body_bytes: int = _limit(  # type: ignore[assignment]
        1 << 20, "OPENCASE_MAX_BODY_BYTES", "bytes in one HTTP request body"
    )
    max_query_tokens: int = _limit(  # type: ignore[assignment]
        10_000, "OPENCASE_MAX_QUERY_TOKENS", "tokens (names, punctuation, values) in one document"
    )
    max_query_depth: int = _limit(  # type: ignore[assignment]
        15, "OPENCASE_MAX_QUERY_DEPTH", "nesting depth of selections"
    )
    max_aliases: int = _limit(  # type: ignore[assignment]
        30, "OPENCASE_MAX_ALIASES", "aliased fields in one operation"
    )
    max_root_fields: int = _limit(  # type: ignore[assignment]
        20, "OPENCASE_MAX_ROOT_FIELDS", "fields at the top of one operation"
    )
    max_query_cost: int = _limit(  # type: ignore[assignment]
        2_000_000,
        "OPENCASE_MAX_QUERY_COST",
        "objects one operation may return (page sizes multiplied)",
    )
    max_list_items: int = _limit(  # type: ignore[assignment]
        1_000, "OPENCASE_MAX_LIST_ITEMS", "items in any list argument (an OR list, an in list)"
    )
    max_filter_terms: int = _limit(  # type: ignore[assignment]
        100, "OPENCASE_MAX_FILTER_TERMS", "comparisons in one where filter, nested ones included"
    )
    max_string_length: int = _limit(  # type: ignore[assignment]
        65_536, "OPENCASE_MAX_STRING_LENGTH", "characters in any string argument"
    )
    max_page_size: int = _limit(  # type: ignore[assignment]
        500, "OPENCASE_MAX_PAGE_SIZE", "first of a listing or a connection"
    )
    max_lineage_depth: int = _limit(  # type: ignore[assignment]
        10, "OPENCASE_MAX_LINEAGE_DEPTH", "depth of a lineage query"
    )
    max_lineage_nodes: int = _limit(  # type: ignore[assignment]
        5_000, "OPENCASE_MAX_LINEAGE_NODES", "maxNodes of a lineage query"
    )
    max_path_depth: int = _limit(  # type: ignore[assignment]
        12, "OPENCASE_MAX_PATH_DEPTH", "maxDepth of a path query"
    )
    request_timeout: float = _limit(  # type: ignore[assignment]
        30.0, "OPENCASE_REQUEST_TIMEOUT", "seconds one request may run"
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults with every ``OPENCASE_*`` variable that is set applied."""
        env = os.environ if environ is None else environ
        values: dict[str, int | float] = {}
        for f in dataclasses.fields(cls):
            text = env.get(f.metadata["env"], "").strip()
            if not text:
                continue
            kind = float if isinstance(f.default, float) else int
            try:
                value = kind(text)
            except ValueError:
                value = -1
            if value <= 0:
                raise ValidationError(
                    Problem(
                        f"must be a positive number, got {preview(text)}", field=f.metadata["env"]
                    ),
                    suggestion="unset it to use the default, or give a positive number",
                )
            values[f.name] = value
        return cls(**values)  # type: ignore[arg-type]

    def env_name(self, name: str) -> str:
        return {f.name: f.metadata["env"] for f in dataclasses.fields(self)}[name]

    def refuse(self, name: str, what: str, *, field: str | None = None) -> LimitExceededError:
        """The error for ``what`` (a short description of the input) over the limit ``name``."""
        maximum = getattr(self, name)
        return LimitExceededError(
            Problem(f"{what}; the limit is {maximum:,}", field=field),
            limit=name,
            maximum=maximum,
            suggestion=f"ask for less, or raise {self.env_name(name)} on the server",
        )


@cache
def default_limits() -> Limits:
    """The process's limits, from the environment when first asked."""
    return Limits.from_env()


__all__ = ["Limits", "default_limits"]
