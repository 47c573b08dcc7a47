"""Objects of a test's own: added at run time, checked exactly as seed objects are.

`add_product`, `add_segment` and `add_reference` (on the fixture, and
POST /_mock/objects) land here. The object passes the seed's ObjectCheck; the
members the server owns are filled in when absent; it is written into the
store's objects table, so the next reset takes it away with everything else.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import cached_property
from typing import Any

from octave_kit.http_io import now_iso
from octave_kit.json_text import Json
from octave_kit.resources import RESOURCES, Resource
from octave_kit.seed import ObjectCheck
from octave_kit.spec import Spec, field_path
from octave_mock.store import Store

BY_KIND = {resource.kind: resource for resource in RESOURCES}
# Who created an added object, when the test does not say.
TEST_USER = {"oId": "u_octave_mock", "firstName": "Octave", "lastName": "Mock"}


class DoubleError(ValueError):
    """A test-double call the mock cannot carry out; the message names the field at fault.

    Nothing has changed when it is raised. Over HTTP it is a 400 with the same message.
    """


class Additions:
    def __init__(self, spec: Spec, store: Store) -> None:
        self.spec = spec
        self.store = store

    @cached_property
    def check(self) -> ObjectCheck:
        """Built on the first addition: a mock that never adds pays nothing at start-up."""
        return ObjectCheck(self.spec)

    def add(
        self, kind: str, fields: Any, workspace: str | None, default_workspace: str, within: str
    ) -> Json:
        """Check and store one object in the open transaction; the object as the API serves it.

        `within` is where the fields are in what the caller sent ("object" over HTTP), so that
        an error names the field as the caller wrote it.
        """
        place = _namer(within)
        resource = BY_KIND.get(kind)
        if resource is None:
            raise DoubleError(f"kind: {kind!r} is not one of {', '.join(BY_KIND)}")
        if not isinstance(fields, dict):
            raise DoubleError(f"{place()}: expected an object of {resource.schema} fields")
        if "_metadata" in fields:
            raise DoubleError(f"{place('_metadata')}: is filled in by the mock; leave it out")
        owner = self.workspace_of(fields, workspace, default_workspace, place)
        doc = {**self.filled_in(resource, owner), **fields}
        findings = self.check.findings(resource, doc)
        if findings:
            raise DoubleError("; ".join(f"{place(*f.path)}: {f.problem}" for f in findings))
        if self.store.holds(kind, doc["oId"]):
            raise DoubleError(f"{place('oId')}: a {kind} {doc['oId']} is already stored")
        self.store.put(kind, owner, doc)
        return doc

    def workspace_of(
        self, fields: Json, workspace: str | None, default: str, place: Callable[..., str]
    ) -> str:
        """The workspace named by `workspace=`, else by the object's member, else the default."""
        member = fields.get("workspace")
        named = member.get("oId") if isinstance(member, dict) else None
        if workspace is not None and named is not None and named != workspace:
            raise DoubleError(
                f"{place('workspace', 'oId')}: {named!r} is not the workspace asked for "
                f"({workspace!r})"
            )
        owner = workspace or named or default
        if not isinstance(owner, str) or not self.store.has_workspace(owner):
            raise DoubleError(f"workspace: {owner!r} is not a workspace of the mock's seed")
        return owner

    def filled_in(self, resource: Resource, workspace: str) -> Json:
        """The members the server owns (oId, createdAt, user, workspace) that the schema has."""
        owned = {
            "oId": f"{resource.kind}_{secrets.token_hex(6)}",
            "createdAt": now_iso(),
            "user": TEST_USER,
            "workspace": {"oId": workspace},
        }
        members = self.spec.properties(resource.schema)
        return {name: value for name, value in owned.items() if name in members}


def _namer(within: str) -> Callable[..., str]:
    """Names a field of the object as the caller wrote it: `name`, or `object.name` over HTTP."""

    def place(*path: str | int) -> str:
        return field_path((within, *path) if within else path, within or "fields")

    return place
