"""The two syntaxes of the one streaming renderer: subject blocks in, text chunks out.

Both take the blocks :mod:`opencase.export.instances` renders; N-Triples
writes one line per pair, Turtle one statement per subject with the predicates
and classes of the vocabulary shortened to prefixed names. Neither keeps
anything between chunks except the prefix table, so an export of any size
runs in bounded memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib import Graph
from rdflib.namespace import RDF

from .instances import Block

# Turtle PN_LOCAL without escapes, enough for every name the vocabulary generates.
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*(?:[.][A-Za-z0-9_\-]+)*$")
_MAX_REMEMBERED = 100_000


class NTriplesWriter:
    """One ``<s> <p> <o> .`` line per pair."""

    def header(self) -> str:
        return ""

    def chunk(self, blocks: Iterable[Block]) -> str:
        out: list[str] = []
        for subject, pairs in blocks:
            between = " .\n" + subject + " "  # one join per subject instead of a format per line
            out.append(subject + " " + between.join([p + " " + o for p, o in pairs]) + " .\n")
        return "".join(out)


class TurtleWriter:
    """``<s> p1 o1 ;\\n    p2 o2 .`` per subject, using the graph's prefixes."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self._short: dict[str, str] = {f"<{RDF.type}>": "a"}

    @classmethod
    def for_graph(cls, graph: Graph) -> TurtleWriter:
        return cls({prefix: str(ns) for prefix, ns in graph.namespaces() if prefix})

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(self.prefixes.items())) + "\n"

    def chunk(self, blocks: Iterable[Block]) -> str:
        short = self._short
        out: list[str] = []
        for subject, pairs in blocks:
            body = " ;\n    ".join(
                f"{short.get(p) or self._compact(p)} {short.get(o) or self._object(o)}"
                for p, o in pairs
            )
            out.append(f"{subject} {body} .\n")
        return "".join(out)

    def _object(self, term: str) -> str:
        """An object term, with the datatype of a typed literal shortened too."""
        if term.startswith('"') and term.endswith(">"):
            body, _, datatype = term.rpartition('"^^')
            return f'{body}"^^{self._short.get(datatype) or self._compact(datatype)}'
        return self._compact(term)

    def _compact(self, term: str) -> str:
        """The prefixed name of an IRI term in a known namespace, else the term as it is."""
        if term.startswith("<"):
            text = term[1:-1]
            for prefix, ns in self.prefixes.items():
                if text.startswith(ns) and _LOCAL.match(text[len(ns) :]):
                    short = f"{prefix}:{text[len(ns) :]}"
                    if len(self._short) < _MAX_REMEMBERED:  # vocabulary terms, a few hundred
                        self._short[term] = short
                    return short
        return term
