"""Soft-deleted objects: hidden from everyone, shown to audit and admin keys who ask.

``includeDeleted: true`` on a lookup, a listing or ``object`` needs an audit
key (or an admin's write key); the object then says who deleted it, when and
why. ``restoreObject`` brings it back and is logged.
"""

from __future__ import annotations

from apikit import DemoApi

POLICY = "policy:POL-PRIV-02"
ONE = """query($id: ID!, $all: Boolean!) {
  policy(id: $id, includeDeleted: $all) { id title deletedAt deletedBy deleteReason }
}"""
MANY = """query($all: Boolean!) {
  policies(includeDeleted: $all) { totalCount edges { node { id deletedBy } } }
}"""
DELETE = """mutation($id: String!, $why: String) {
  deleteObject(objectId: $id, reason: $why) { logId }
}"""
ANY = """query($id: ID!) { object(id: $id, includeDeleted: true) { id deletedBy deleteReason } }"""


def test_deleted_object_is_visible_only_to_those_who_ask_and_may(demo: DemoApi) -> None:
    before = demo.data(MANY, {"all": False})["policies"]["totalCount"]
    demo.data(DELETE, {"id": POLICY, "why": "superseded by POL-PRIV-04"}, key="write")
    # everyone else: gone from lookups and listings
    for scope in ("read", "audit", "write"):
        assert demo.data(ONE, {"id": POLICY, "all": False}, key=scope)["policy"] is None
    assert demo.data(MANY, {"all": False})["policies"]["totalCount"] == before - 1

    # a read key may not ask
    denied = demo.error(ONE, {"id": POLICY, "all": True}, key="read")
    assert "audit scope" in denied["message"]
    assert demo.error(MANY, {"all": True}, key="read")["extensions"]["code"] == "FORBIDDEN"

    # audit and admin keys see it, with who, when and why
    for scope in ("audit", "write"):
        shown = demo.data(ONE, {"id": POLICY, "all": True}, key=scope)["policy"]
        assert shown["id"] == POLICY
        assert shown["deletedBy"] == "write-key"
        assert shown["deletedAt"] is not None
        assert shown["deleteReason"] == "superseded by POL-PRIV-04"
    listed = demo.data(MANY, {"all": True}, key="audit")["policies"]
    assert listed["totalCount"] == before
    assert {e["node"]["id"]: e["node"]["deletedBy"] for e in listed["edges"]}[POLICY] == (
        "write-key"
    )
    assert demo.data(ANY, {"id": POLICY}, key="audit")["object"]["deleteReason"] == (
        "superseded by POL-PRIV-04"
    )


def test_restore_brings_it_back_and_is_logged(demo: DemoApi) -> None:
    target = "policy:POL-SEC-03"
    demo.data(DELETE, {"id": target, "why": "audit test"}, key="write")
    restored = demo.data(
        'mutation($id: String!) { restoreObject(objectId: $id, reason: "deleted by mistake") '
        "{ logId actionType log { ... on ActionLog { targetIds parameters } } } }",
        {"id": target},
        key="write",
    )["restoreObject"]
    assert restored["log"]["targetIds"] == [target]
    assert restored["log"]["parameters"]["reason"] == "deleted by mistake"
    back = demo.data(ONE, {"id": target, "all": False})["policy"]
    assert back is not None and back["deletedAt"] is None and back["deleteReason"] is None
    # the object's own trail shows both actions
    logs = demo.data(
        "query($id: ID!) { policy(id: $id) { actionLogs { edges { node { actionType } } } } }",
        {"id": target},
    )["policy"]["actionLogs"]["edges"]
    assert {e["node"]["actionType"] for e in logs} == {"delete-object", "restore-object"}
