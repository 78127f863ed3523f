"""What one action execution sees and collects before its single atomic write.

Handlers never call ``store.write`` themselves: they read through the context
(which checks existence, soft deletion and object type, the preconditions every
action shares) and stage their effects here; the executor then adds the
ActionLog and writes everything in one ``WriteBatch``, so a refused action
leaves the graph exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from opencase.errors import ActionError, NotFoundError, OntologyError, Problem, ValidationError
from opencase.graph.store import (
    Direction,
    GraphStore,
    LinkKey,
    LinkRecord,
    ObjectRecord,
    OrderBy,
    StoredObject,
    WriteBatch,
)
from opencase.ontology import ONTOLOGY, ActionType, LinkType, ObjectType
from opencase.ontology.validation import validate_link_properties, validate_properties
from opencase.queries.filters import Cmp

from .linking import link_between
from .transitions import can_move, current_state, refuse_standing_still


class ActionContext:
    """One execution: validated parameters, the actor, a clock reading, and staged effects."""

    def __init__(
        self,
        store: GraphStore,
        action: ActionType,
        params: Mapping[str, Any],
        actor: str,
        now: dt.datetime,
    ) -> None:
        self.store = store
        self.action = action
        self.params = dict(params)
        self.actor = actor
        self.now = now
        self.touched: list[str] = []
        self.created: list[str] = []
        self.gone: set[str] = set()  # hard-deleted in this batch: no log link possible
        self.notes: list[str] = []
        self.batch = WriteBatch(actor=actor)
        self._records: dict[str, tuple[str, dict[str, Any]]] = {}
        #: objects read so far (None: not in the graph); a handler that checks an id
        #: and then creates or updates it asks the store once
        self._seen: dict[str, StoredObject | None] = {}

    @property
    def today(self) -> dt.date:
        return self.now.date()

    # ---- reading ---------------------------------------------------------------------

    def id_param(self, name: str) -> str:
        """A parameter that must hold an OpenCase global id."""
        value = str(self.params[name])
        try:
            ONTOLOGY.type_of_id(value)
        except OntologyError as exc:
            raise ValidationError(
                Problem(f"{self.action.name}: {exc.message}", field=name),
                suggestion=exc.suggestion,
            ) from None
        return value

    def load(
        self, param: str, types: Iterable[str] = (), *, include_deleted: bool = False
    ) -> StoredObject:
        """The object a parameter names, after the shared preconditions.

        It must exist (else ``NotFoundError``), be of one of ``types`` when given
        and not be soft-deleted (else ``ActionError``).
        """
        object_id = self.id_param(param)
        allowed = [ONTOLOGY.object_type(t).name for t in types]
        kind = ONTOLOGY.type_of_id(object_id).name
        if allowed and kind not in allowed:
            raise ActionError(
                f"{self.action.name}: {param} must be the id of a {' or '.join(allowed)}, "
                f"not of a {kind} ({object_id})"
            )
        return self.get(object_id, include_deleted=include_deleted, param=param)

    def load_optional(self, param: str, types: Iterable[str] = ()) -> StoredObject | None:
        return self.load(param, types) if self.params.get(param) is not None else None

    def load_target(self, param: str, creates: str) -> StoredObject:
        """The object a new ``creates`` is attached to: any type the action touches but that one."""
        return self.load(param, [t for t in self.action.touches if t != creates])

    def get(
        self, object_id: str, *, include_deleted: bool = False, param: str | None = None
    ) -> StoredObject:
        obj = self.exists(object_id)
        where = f" ({param})" if param else ""
        if obj is None:
            raise NotFoundError(
                f"{self.action.name}: no object {object_id!r} in the graph{where}",
                suggestion="check the id; ids look like '<object api name>:<key>'",
            )
        if obj.deleted_at is not None and not include_deleted:
            raise ActionError(
                f"{self.action.name}: {object_id} was deleted{where} "
                f"by {obj.deleted_by or 'unknown'} at {obj.deleted_at.isoformat()}",
                suggestion="restore it first with restoreObject",
            )
        return obj

    @staticmethod
    def key(obj: StoredObject) -> str:
        """The primary-key value of a loaded object (``model_key`` of a model, ...)."""
        return str(obj.properties[ONTOLOGY.object_type(obj.object_type).primary_key])

    def linked(
        self, object_id: str, other_type: str, *, highest: str | None = None
    ) -> list[StoredObject]:
        """Visible objects of ``other_type`` one link away, over the link joining the two types.

        With ``highest``, only the one with the largest value of that property
        (if any has a value): an action that numbers what it adds reads one
        object, not every one added before.
        """
        lt, forward = link_between(ONTOLOGY.type_of_id(object_id).name, other_type)
        direction = Direction.OUT if forward else Direction.IN
        found = self.store.neighbours(
            [object_id],
            link_type=lt.api_name,
            direction=direction,
            **(
                {}
                if highest is None
                else {
                    "where": Cmp(highest, "is_null", False),
                    "order_by": [OrderBy(highest, descending=True)],
                    "limit_per_id": 1,
                }
            ),
        )
        return [n.object for n in found.get(object_id, [])]

    def exists(self, object_id: str) -> StoredObject | None:
        """The object, deleted or not, or None: for actions that create under a natural key."""
        if object_id not in self._seen:
            self._seen[object_id] = self.store.get_one(object_id, include_deleted=True)
        return self._seen[object_id]

    # ---- staging effects -------------------------------------------------------------

    def carried(self, object_type: str) -> dict[str, Any]:
        """The parameters whose names are properties of ``object_type``: they flow straight in.

        Action parameters are declared with the property names of the object
        they fill (``severity``, ``endpoint_url``), so no handler copies them one
        by one and a new optional parameter needs no code.
        """
        ot = ONTOLOGY.object_type(object_type)
        return {k: v for k, v in self.params.items() if ot.has_property(k)}

    def create(self, object_type: str, properties: Mapping[str, Any]) -> str:
        """Stage a new object with its declared defaults; refuse a key already taken.

        A key held by a soft-deleted object is taken too: the user restores it
        rather than silently getting a second life of the old object.
        """
        ot = ONTOLOGY.object_type(object_type)
        object_id = ONTOLOGY.object_id(ot.name, properties[ot.primary_key])
        existing = self.exists(object_id)
        if existing is not None:
            state = "a deleted object" if existing.deleted_at else "an object"
            raise ActionError(
                f"{self.action.name}: {object_id} is already {state} in the graph",
                suggestion="restore it with restoreObject"
                if existing.deleted_at
                else "update it instead of creating it again",
            )
        full = {p.name: p.default for p in ot.properties if p.default is not None}
        full.update({k: v for k, v in properties.items() if v is not None})
        self._stage(ot, object_id, validate_properties(ot, full))
        self._touch(object_id)
        self.created.append(object_id)
        return object_id

    def update(self, obj: StoredObject, changes: Mapping[str, Any]) -> None:
        """Stage a merge of ``changes`` into an existing object (absent keys stay as they are)."""
        ot = ONTOLOGY.object_type(obj.object_type)
        checked = validate_properties(ot, changes, partial=True)
        self._stage(ot, obj.id, {ot.primary_key: obj.properties[ot.primary_key], **checked})
        self._touch(obj.id)

    def ensure(
        self,
        object_type: str,
        properties: Mapping[str, Any],
        on_create: Mapping[str, Any] | None = None,
    ) -> str:
        """Create the object, or merge ``properties`` into it when its natural key exists.

        ``on_create`` holds what only a new object gets (created_on, uploaded_by),
        so recording the same artifact twice does not rewrite its history.
        """
        ot = ONTOLOGY.object_type(object_type)
        object_id = ONTOLOGY.object_id(ot.name, properties[ot.primary_key])
        existing = self.exists(object_id)
        if existing is None:
            return self.create(ot.name, {**(on_create or {}), **properties})
        if existing.deleted_at is not None:
            self.get(object_id)  # raises the "was deleted" error
        self.update(existing, {k: v for k, v in properties.items() if v is not None})
        return object_id

    def move(self, obj: StoredObject, target: str, prop: str = "status", **changes: Any) -> Any:
        """Stage a state change (plus ``changes``); return the old state.

        Whether the lifecycle allows it is decided when the batch is written (the
        write planner checks every path the same way; a forbidden move refuses
        the whole action). Asking for the state the object is in is refused here.
        """
        ot = ONTOLOGY.object_type(obj.object_type)
        state = current_state(ot, prop, obj.properties)
        if state == target:
            refuse_standing_still(ot, obj.id, prop, state)
        self.update(obj, {prop: target, **changes})
        return state

    def move_if_allowed(self, obj: StoredObject, target: str, prop: str = "status") -> Any:
        """Stage the state change only when the lifecycle allows it; return the old state or None.

        For side effects ("and the version starts validating") that must not
        refuse the whole action when the object is elsewhere in its lifecycle.
        """
        ot = ONTOLOGY.object_type(obj.object_type)
        state = current_state(ot, prop, obj.properties)
        if not can_move(ot.name, prop, state, target) or state == target:
            return None
        self.update(obj, {prop: target})
        return state

    def connect(
        self, a_id: str, b_id: str, properties: Mapping[str, Any] | None = None
    ) -> LinkType:
        """Stage the link between two objects, in its declared direction."""
        lt, forward = link_between(ONTOLOGY.type_of_id(a_id).name, ONTOLOGY.type_of_id(b_id).name)
        source, target = (a_id, b_id) if forward else (b_id, a_id)
        self.link(lt, source, target, properties)
        return lt

    def link(
        self,
        lt: LinkType,
        source: str,
        target: str,
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        props = validate_link_properties(lt.api_name, properties or {})
        self.batch.links.append(LinkRecord(lt.api_name, source, target, props))
        self._touch(source)
        self._touch(target)

    def unlink(self, lt: LinkType, source: str, target: str) -> None:
        self.batch.unlinks.append(LinkKey(lt.api_name, source, target))
        self._touch(source)
        self._touch(target)

    def soft_delete(self, object_id: str) -> None:
        self.batch.soft_deletes.append(object_id)
        self._touch(object_id)

    def hard_delete(self, object_id: str) -> None:
        self.batch.hard_deletes.append(object_id)
        self.gone.add(object_id)
        self._touch(object_id)

    def restore(self, object_id: str) -> None:
        self.batch.restores.append(object_id)
        self._touch(object_id)

    def note(self, text: str) -> None:
        """One sentence of the human summary the ActionLog and the caller get."""
        self.notes.append(text)

    # ---- internals -------------------------------------------------------------------

    def _stage(self, ot: ObjectType, object_id: str, props: Mapping[str, Any]) -> None:
        _, staged = self._records.setdefault(object_id, (ot.name, {}))
        staged.update(props)

    def touch(self, object_id: str) -> None:
        """Name an object the action concerns without changing it (its log links to it)."""
        self._touch(object_id)

    def _touch(self, object_id: str) -> None:
        if object_id not in self.touched:
            self.touched.append(object_id)

    def staged_objects(self) -> list[ObjectRecord]:
        return [ObjectRecord(kind, props) for kind, props in self._records.values()]
