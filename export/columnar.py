"""N-Triples rendered a whole Arrow column at a time: the fast path of the N-Triples export.

The store hands over one Arrow table per page (``scan_object_columns`` /
``scan_link_columns``). Each column becomes one array of finished lines
(``<s> <p> "o"^^<dt> .\\n``) through Arrow's string kernels, so the per-triple
work runs in C, not in a Python loop; only what Arrow cannot write the way the
N-Triples grammar and :mod:`.terms` want (doubles, JSON, values that need
escaping, keys that need percent-encoding, agents, annotated links) goes back to
the per-value renderers of :class:`~.instances.InstanceRenderer`. Lines come out
grouped by property within a page rather than by subject, which N-Triples allows;
the triples are the same as the per-object path writes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from rdflib.namespace import RDFS

from opencase.graph.columns import from_storage
from opencase.graph.store import GraphStore, LinkRecord
from opencase.ontology.generators import vocab
from opencase.ontology.generators.vocab import XSD_OF
from opencase.ontology.model import ObjectType, Property, PropertyType
from opencase.ontology.registry import SYSTEM_PROPERTIES
from opencase.ontology.validation import title_of

from .instances import ExportCounts, InstanceRenderer
from .terms import escape_literal, iri, literal_renderer
from .writers import NTriplesWriter

#: Values with a character N-Triples must escape (RE2 syntax, same set as terms._NEEDS_ESCAPE).
_NEEDS_ESCAPE = r'[\x00-\x1f\x7f"\\\x{fffe}\x{ffff}]'
#: Primary keys that are their own percent-encoding (terms._KEY_SAFE).
_SAFE_KEY = r"[A-Za-z0-9_.~\-]*"
_UNSAFE_ASCII = "%" + "".join(
    chr(c) for c in range(128) if not re.fullmatch(_SAFE_KEY, chr(c)) and chr(c) != "%"
)
#: System columns the export writes; the content hashes are the store's bookkeeping.
_EXPORTED_SYSTEM = {"id", "sys_created_at", "sys_updated_at", "sys_deleted_at", "sys_deleted_by"}
_LABEL = iri(str(RDFS.label))


def _join(*parts: Any) -> pa.Array:
    """Element-wise concatenation; a null part makes the whole line null (dropped later)."""
    return pc.binary_join_element_wise(*parts, "")


def _memory_trimmer() -> Callable[[], object]:
    """glibc's ``malloc_trim``, or a no-op elsewhere.

    Each page allocates and frees tens of MB of text; glibc keeps freed blocks of
    that size in the heap, where fragmentation stops them from going back to the
    system, and a 1M-object export grew by ~400 MB that way. Trimming after each
    page keeps the peak at what one page needs.
    """
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return lambda *_: None


def _percent_encode(keys: pa.Array) -> pa.Array:
    """``terms.encode_key`` on a column of ASCII keys: one replace per character present."""
    present = set("".join(pc.drop_null(keys).to_pylist()))
    for char in _UNSAFE_ASCII:  # "%" first, so the escapes added later stay as they are
        if char in present:
            keys = pc.replace_substring(keys, char, f"%{ord(char):02X}")
    return keys


def _text(lines: list[pa.Array]) -> str:
    """The lines as one string, joined in Arrow: no Python object per line."""
    parts = []
    for array in lines:
        kept = pc.drop_null(array)
        if len(kept):
            whole = pa.ListArray.from_arrays(pa.array([0, len(kept)], pa.int32()), kept)
            parts.append(pc.binary_join(whole, "")[0].as_py())
    return "".join(parts)


@dataclass(frozen=True)
class _Column:
    prop: Property
    tail: str  # " <predicate> "
    prov_tail: str | None  # " <prov predicate> " for a time that is also a PROV time
    names_agent: bool  # the value names a prov:Agent (ActionLog.actor)
    render: Callable[[Any], str]  # the per-value renderer, for the slow paths


class ColumnarNTriples:
    """Renders store pages to N-Triples text with the plans of ``renderer``."""

    def __init__(self, renderer: InstanceRenderer) -> None:
        self.r = renderer
        self.ontology = renderer.ontology
        self._oc = vocab.namespace_for(self.ontology)
        apis = "|".join(re.escape(ot.api_name) for ot in self.ontology.object_types)
        self._safe_id = f"^(?:{apis}):{_SAFE_KEY}$"
        self._apis = pa.array([ot.api_name for ot in self.ontology.object_types], pa.string())
        self._nt = NTriplesWriter()

    # ---- terms -------------------------------------------------------------------------------

    def individuals(self, ids: pa.Array) -> pa.Array:
        """``<base><api>/<key>`` for a column of global ids; Python only for non-ASCII keys."""
        safe = pc.match_substring_regex(ids, self._safe_id)
        if pc.all(safe).as_py() is not False:
            path = pc.replace_substring_regex(ids, "^([^:]*):", r"\1/", max_replacements=1)
            return _join("<" + self.r.base_iri, path, ">")
        parts = pc.split_pattern(ids, ":", max_splits=1)
        api = pc.list_element(parts, 0)
        key = _percent_encode(pc.list_element(parts, 1))
        fast = _join("<" + self.r.base_iri, api, "/", key, ">")
        odd = pc.invert(
            pc.and_(pc.is_in(api, value_set=self._apis), pc.string_is_ascii(ids)),
        )
        if not pc.any(odd).as_py():
            return fast
        slow = [self.r.individual(v) for v in ids.filter(odd).to_pylist()]
        return pc.replace_with_mask(fast, odd, pa.array(slow, pa.string()))

    def _strings(self, values: pa.Array) -> pa.Array:
        """Quoted string literals, escaped where needed."""
        if pc.any(pc.match_substring_regex(values, _NEEDS_ESCAPE)).as_py():
            xml_safe = self.r.xml_safe
            values = pa.array(
                [
                    None if v is None else escape_literal(v, xml_safe=xml_safe)
                    for v in values.to_pylist()
                ],
                pa.string(),
            )
        return _join('"', values, '"')

    def _literals(self, column: _Column, values: pa.Array) -> pa.Array:
        """N-Triples literal text for one column (nulls stay null)."""
        kind = column.prop.type
        typed = '"^^' + iri(str(XSD_OF[kind]))
        if kind in (PropertyType.STRING, PropertyType.ENUM) and pa.types.is_string(values.type):
            return self._strings(values)
        if (
            kind is PropertyType.DATETIME
            and pa.types.is_timestamp(values.type)
            and not values.type.tz
        ):
            seconds = pc.cast(values, pa.timestamp("s"), safe=False)
            return _join('"', pc.strftime(seconds, "%Y-%m-%dT%H:%M:%S+00:00"), typed)
        if kind is PropertyType.DATE and pa.types.is_date(values.type):
            return _join('"', values.cast(pa.string()), typed)
        if (kind in (PropertyType.INT, PropertyType.LONG) and pa.types.is_integer(values.type)) or (
            kind is PropertyType.BOOL and pa.types.is_boolean(values.type)
        ):
            return _join('"', values.cast(pa.string()), typed)
        render, prop = column.render, column.prop
        return pa.array(
            [None if v is None else render(from_storage(prop, v)) for v in values.to_pylist()],
            pa.string(),
        )

    # ---- objects -----------------------------------------------------------------------------

    def _plan(self, ot: ObjectType) -> tuple[str, list[_Column]]:
        plan = self.r._types[ot.name]  # the per-object plan: same predicates, same classes
        fixed = "".join(f" {p} {o} .\n" for p, o in plan.fixed)
        oc = self._oc
        columns = []
        for p in SYSTEM_PROPERTIES:
            if p.name in _EXPORTED_SYSTEM:
                tail = " " + iri(oc[vocab.system_term(p)]) + " "
                render = literal_renderer(p.type, xml_safe=self.r.xml_safe)
                columns.append(_Column(p, tail, None, False, render))
        provs = {prov.name: prov for prov in plan.prov}
        for p in ot.properties:
            tail = " " + iri(oc[vocab.property_term(ot, p)]) + " "
            prov = provs.get(p.name)
            columns.append(
                _Column(
                    p,
                    tail,
                    " " + prov.prov_predicate + " " if prov else None,
                    bool(prov and prov.names_agent),
                    literal_renderer(p.type, xml_safe=self.r.xml_safe),
                )
            )
        return fixed, columns

    def object_chunks(self, ot: ObjectType, table: pa.Table, counts: ExportCounts) -> Iterator[str]:
        """Every triple of one page of ``ot`` objects (soft-deleted ones already filtered).

        One chunk per property: a page's text in one piece is tens of MB.
        """
        fixed, columns = self._plan(ot)
        subjects = self.individuals(table.column("id").combine_chunks())
        n_fixed = fixed.count("\n")
        lines: list[pa.Array] = [
            _join(*[x for line in fixed.splitlines(True) for x in (subjects, line)])
        ]
        counts.triples += n_fixed * table.num_rows
        counts.objects += table.num_rows
        title = self._titles(ot, table)
        sys_title = iri(
            self._oc[vocab.system_term(next(p for p in SYSTEM_PROPERTIES if p.name == "sys_title"))]
        )
        quoted = self._strings(title)
        lines.append(_join(subjects, " " + sys_title + " ", quoted, " .\n"))
        labelled = pc.if_else(pc.equal(title, ""), pa.scalar(None, pa.string()), quoted)
        lines.append(_join(subjects, " " + _LABEL + " ", labelled, " .\n"))
        extra: list[str] = []
        for column in columns:
            values = table.column(column.prop.name).combine_chunks()
            if values.null_count == len(values):
                continue
            if column.prop.type is PropertyType.STRING_LIST:
                items = pc.list_flatten(values)
                owners = subjects.take(pc.list_parent_indices(values))
                lines.append(_join(owners, column.tail, self._strings(items), " .\n"))
                continue
            literals = self._literals(column, values)
            lines.append(_join(subjects, column.tail, literals, " .\n"))
            if column.names_agent:
                blocks: list[Any] = []
                agents = [
                    None if v is None else self.r._agent(str(v), blocks) for v in values.to_pylist()
                ]
                lines.append(
                    _join(subjects, column.prov_tail, pa.array(agents, pa.string()), " .\n")
                )
                extra.append(self._nt.chunk(blocks))
                counts.triples += sum(len(pairs) for _, pairs in blocks)
            elif column.prov_tail:
                lines.append(_join(subjects, column.prov_tail, literals, " .\n"))
        counts.triples += sum(len(a) - a.null_count for a in lines[1:])
        if extra:
            yield "".join(extra)
        while lines:  # each line array is freed once written
            yield _text([lines.pop()])

    def _titles(self, ot: ObjectType, table: pa.Table) -> pa.Array:
        """``sys_title``, or the title the store would derive where it is empty."""
        titles = table.column("sys_title").combine_chunks()
        missing = pc.or_kleene(pc.is_null(titles), pc.equal(titles, ""))
        if not pc.any(missing).as_py():
            return titles
        out = titles.to_pylist()
        for i in pc.indices_nonzero(missing).to_pylist():
            row = table.slice(i, 1).to_pylist()[0]
            out[i] = title_of(ot, {p.name: from_storage(p, row.get(p.name)) for p in ot.properties})
        return pa.array(out, pa.string())

    # ---- links -------------------------------------------------------------------------------

    def link_text(
        self, api_name: str, table: pa.Table, deleted: set[str], counts: ExportCounts
    ) -> str:
        lt = self.ontology.link_type(api_name)
        plan = self.r._links[api_name]
        if deleted:
            gone = pa.array(list(deleted), pa.string())
            touches = pc.or_(pc.is_in(table["source"], gone), pc.is_in(table["target"], gone))
            table = table.filter(pc.invert(touches))
        extra = ""
        names = [p.name for p in lt.properties]
        if names:  # annotated links (owl:Axiom) go through the per-link renderer
            noted = pc.is_valid(table[names[0]])
            for name in names[1:]:
                noted = pc.or_(noted, pc.is_valid(table[name]))
            slow = table.filter(noted)
            table = table.filter(pc.invert(noted))
            blocks = []
            for row in slow.to_pylist():
                props = {p.name: from_storage(p, row[p.name]) for p in lt.properties}
                blocks += self.r.link_blocks(
                    LinkRecord(api_name, row["source"], row["target"], props)
                )
            counts.links += slow.num_rows
            counts.triples += sum(len(pairs) for _, pairs in blocks)
            extra = self._nt.chunk(blocks)
        if not table.num_rows:
            return extra
        targets_ids = table.column("target").combine_chunks()
        sources = self.individuals(table.column("source").combine_chunks())
        targets = self.individuals(targets_ids)
        lines = [_join(sources, " " + plan.predicate + " ", targets, " .\n")]
        if plan.prov_predicate:
            fits = "^(?:" + "|".join(re.escape(a) for a in sorted(plan.prov_targets)) + "):"
            fitting = pc.if_else(
                pc.match_substring_regex(targets_ids, fits), targets, pa.scalar(None, pa.string())
            )
            lines.append(_join(sources, " " + plan.prov_predicate + " ", fitting, " .\n"))
        counts.links += table.num_rows
        counts.triples += sum(len(a) - a.null_count for a in lines)
        return _text(lines) + extra


def ntriples_chunks(
    store: GraphStore,
    renderer: InstanceRenderer,
    *,
    include_deleted: bool = False,
    batch_size: int = 10_000,
    counts: ExportCounts | None = None,
) -> Iterator[str]:
    """The instances as N-Triples text, one chunk per store page.

    Soft-deleted objects are left out unless ``include_deleted``, and so are the
    links that touch them (the store's link scan does not know about deletion).
    """
    counts = counts if counts is not None else ExportCounts()
    columnar = ColumnarNTriples(renderer)
    trim = _memory_trimmer()
    deleted: set[str] = set()
    for ot in renderer.ontology.object_types:
        for table in store.scan_object_columns(
            ot.name, batch_size=batch_size, include_deleted=True
        ):
            if not include_deleted:
                gone = pc.is_valid(table["sys_deleted_at"])
                if pc.any(gone).as_py():
                    ids = table.filter(gone).column("id").to_pylist()
                    deleted.update(ids)
                    counts.skipped_deleted += len(ids)
                    table = table.filter(pc.invert(gone))
            if table.num_rows:
                yield from columnar.object_chunks(ot, table, counts)
            del table
            trim(0)
    for lt in renderer.ontology.link_types:
        for table in store.scan_link_columns(lt.api_name, batch_size=batch_size):
            text = columnar.link_text(lt.api_name, table, deleted, counts)
            del table
            if text:
                yield text
            del text
            trim(0)
