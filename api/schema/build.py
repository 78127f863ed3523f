"""Small tools to build Strawberry types and resolvers at run time.

Strawberry reads types from class annotations and resolver signatures; here
both are assembled from the ontology. Classes are created empty first and
filled later so that generated types can refer to each other in cycles
(``ModelWork.versions`` -> ``ModelVersion.modelWork`` -> ``ModelWork``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from .naming import py_name

KW = inspect.Parameter.KEYWORD_ONLY


def shell(name: str, bases: tuple[type, ...] = ()) -> type:
    """An empty class to be filled by :func:`fill` once every peer exists."""
    return type(name, bases, {"__module__": __name__})


def fill(cls: type, fields: dict[str, tuple[Any, Any]]) -> type:
    """Give ``cls`` attributes: python name -> (annotation, strawberry field).

    A ``None`` annotation leaves the attribute unannotated: resolver fields take
    their type from the resolver's signature.
    """
    annotations = dict(inspect.get_annotations(cls))
    for python_name, (annotation, value) in fields.items():
        if annotation is not None:
            annotations[python_name] = annotation
        setattr(cls, python_name, value)
    cls.__annotations__ = annotations
    return cls


def input_fields(fields: dict[str, tuple[Any, str]]) -> dict[str, tuple[Any, Any]]:
    """Optional input fields by GraphQL name -> (type, description), defaulting to null."""
    return {
        py_name(gql): (ann | None, strawberry.field(name=gql, description=desc, default=None))
        for gql, (ann, desc) in fields.items()
    }


def arg(annotation: Any, description: str, name: str | None = None) -> Any:
    return Annotated[annotation, strawberry.argument(description=description, name=name)]


def param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, KW, annotation=annotation, default=default)


def resolver(
    fn: Callable[..., Any],
    params: list[inspect.Parameter],
    returns: Any,
    *,
    name: str,
    with_root: bool = False,
) -> Callable[..., Any]:
    """Give ``fn`` (which takes ``info`` and keyword args) the signature Strawberry reads."""
    head = [inspect.Parameter("info", KW, annotation=Info)]
    if with_root:
        head.insert(0, inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD))
    fn.__signature__ = inspect.Signature([*head, *params], return_annotation=returns)  # type: ignore[attr-defined]
    fn.__name__ = name
    fn.__qualname__ = name
    return fn
