"""The three operations: read a product or a segment, update a reference.

Each handler takes the operation, the caller and the checked parameters and
body, works on the store inside the request's transaction, and returns the
answer's members beside `_metadata`, or raises a HTTPError.
"""

from __future__ import annotations

from collections.abc import Callable

from octave_kit.http_io import HTTPError, now_iso
from octave_kit.json_text import Json
from octave_kit.keys import KEY_HEADER
from octave_kit.resources import BY_READ_OPERATION
from octave_kit.spec import Operation, Spec
from octave_mock.store import Caller, Store

Handler = Callable[[Operation, Caller, Json, Json | None], Json]


class Operations:
    """The behaviour of each operationId over a store; `handlers` maps one to the other."""

    def __init__(self, spec: Spec, store: Store) -> None:
        self.store = store
        self.handlers: dict[str, Handler] = {
            operation_id: self.get_object for operation_id in BY_READ_OPERATION
        }
        self.handlers["updateReference"] = self.update_reference
        missing = set(spec.by_id) - set(self.handlers)
        if missing:
            raise ValueError(f"{spec.source}: no behaviour for {sorted(missing)}")
        # Where each update field lands: beside oId, or in the nested `data`.
        fields = spec.properties("UpdateReferenceRequest") - {"oId"}
        self.reference_top = fields & spec.properties("Reference")
        self.reference_data = fields & spec.properties("ReferenceData")
        unplaced = fields - self.reference_top - self.reference_data
        if unplaced:
            raise ValueError(f"{spec.source}: update fields with no place: {sorted(unplaced)}")

    def get_object(self, op: Operation, caller: Caller, params: Json, body: Json | None) -> Json:
        kind, oid = BY_READ_OPERATION[op.operation_id].kind, params["oId"]
        return self.found(kind, oid, self.store.get_shared(kind, caller.workspace_oid, oid))

    def update_reference(
        self, op: Operation, caller: Caller, params: Json, body: Json | None
    ) -> Json:
        assert body is not None  # the spec requires the body; validation ran
        if caller.read_only:
            raise HTTPError(403, f"{KEY_HEADER}: this key is read-only and cannot update")
        oid = body["oId"]
        doc = self.found("reference", oid, self.store.get("reference", caller.workspace_oid, oid))
        for name, value in body.items():
            if name in self.reference_top:
                doc[name] = value
            elif name in self.reference_data:
                doc["data"] = doc.get("data") or {}
                doc["data"][name] = value
        doc["updatedAt"] = now_iso()
        self.store.put("reference", caller.workspace_oid, doc)
        return {"data": doc}

    def found(self, kind: str, oid: str, doc: Json | None) -> Json:
        """The caller's object, as the store found it; deleted ones and other workspaces' (not
        found) answer 404."""
        if doc is None or doc.get("deletedAt"):
            raise HTTPError(404, f"oId: no {kind} {oid} in this workspace")
        return doc
