"""Checks the spec's schemas cannot express, registered with schemathesis.

Loaded as schemathesis hooks (`hooks = "octave_contract.checks"` in
schemathesis.toml), so the CLI and the pytest suite run the same checks.
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

UPDATE = "updateReference"


def operation_id(case: Case[Any]) -> str:
    return str(case.operation.definition.raw.get("operationId", case.operation.label))


def requested_oid(case: Case[Any]) -> str | None:
    """The oId the request names: the query parameter, or the update body's field."""
    if operation_id(case) == UPDATE:
        body = case.body if isinstance(case.body, dict) else {}
        value = body.get("oId")
    else:
        value = (case.query or {}).get("oId")
    return value if isinstance(value, str) else None


def returned_object(case: Case[Any], response: Response) -> dict[str, Any] | None:
    """The object a 200 answer carries: flat for gets, under `data` for updates."""
    if response.status_code != 200:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if operation_id(case) == UPDATE and isinstance(body, dict):
        body = body.get("data")
    return body if isinstance(body, dict) else None


@schemathesis.check
def requested_object_returned(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A 200 answer carries the object the request named, not some other one."""
    found = returned_object(case, response)
    wanted = requested_oid(case)
    if found is None or wanted is None:
        return None
    if found.get("oId") != wanted:
        raise AssertionError(
            f"{operation_id(case)} asked for oId {wanted!r} but the answer is about "
            f"oId {found.get('oId')!r}"
        )
    return None


@schemathesis.check
def update_is_persisted(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Every field an update sent is still there when the reference is read back.

    There is no read operation for references in the contract, so the read is an
    update that sends only the oId: a partial update that changes nothing.
    """
    if operation_id(case) != UPDATE or not isinstance(case.body, dict):
        return None
    if returned_object(case, response) is None or requested_oid(case) is None:
        return None
    probe = case.operation.Case(
        body={"oId": case.body["oId"]},
        media_type="application/json",
        headers={k: v for k, v in response.request.headers.items() if k.lower() == "api_key"},
    )
    kwargs = dict(ctx.internals.transport_kwargs or {}) if ctx.internals else {}
    if case.operation.app is not None:
        kwargs.setdefault("app", case.operation.app)
    reread = case.operation.schema.transport.send(probe, **kwargs)
    stored = returned_object(probe, reread)
    if stored is None:
        raise AssertionError(
            f"reading reference {case.body['oId']!r} back after a 200 update answered "
            f"{reread.status_code}"
        )
    data = stored.get("data") or {}
    lost = sorted(
        name
        for name, value in case.body.items()
        if name != "oId" and stored.get(name, data.get(name)) != value
    )
    if lost:
        raise AssertionError(
            f"update of {case.body['oId']!r} answered 200 but did not keep {', '.join(lost)}"
        )
    return None


# -- Checks of meaning: state, identity, authorization, tenancy ----------------------------
#
# They send extra requests of their own (a read-back, the same request under another key).
# The other keys come from the environment, so the CLI's schemathesis process and the
# in-process engine are configured alike: OCTAVE_READ_ONLY_API_KEY (a read-only key of the
# same workspace) turns on the authorization check, OCTAVE_OTHER_API_KEY (a key of another
# workspace) the tenancy check. A check whose key is not set passes without a word.

READ_ONLY_KEY = "OCTAVE_READ_ONLY_API_KEY"
# "mock" in mock runs: only there are updates sent under another workspace's key.
TARGET = "OCTAVE_CONTRACT_TARGET"
OTHER_WORKSPACE_KEY = "OCTAVE_OTHER_API_KEY"
KEY_HEADER = "api_key"
# Set by the server on every answer or every write, the read-back included: never compared.
SERVER_MANAGED = frozenset({"_metadata", "updatedAt"})


@dataclass
class RunMemory:
    """What one run has seen so far: identities, each key's workspace, each reference's state."""

    identities: dict[tuple[str, str], tuple[object, object]] = field(default_factory=dict)
    key_workspaces: dict[str, object] = field(default_factory=dict)
    references: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


# One memory per loaded schema, so two runs in one process (the kit's tests) never mix.
# Schemas are unhashable: kept by id, with a weak reference to tell a reused id apart.
_memories: dict[int, tuple[weakref.ref[object], RunMemory]] = {}
# The read-back of the case being checked, shared by the checks of that case.
_read_back: dict[int, tuple[Case[Any], dict[str, Any] | None]] = {}


def memory(case: Case[Any]) -> RunMemory:
    schema = case.operation.schema
    held = _memories.get(id(schema))
    if held is None or held[0]() is not schema:
        for stale in [key for key, (ref, _) in _memories.items() if ref() is None]:
            del _memories[stale]
        held = (weakref.ref(schema), RunMemory())
        _memories[id(schema)] = held
    return held[1]


def key_of(response: Response) -> str:
    return str(response.request.headers.get(KEY_HEADER, ""))


def send_as(ctx: CheckContext, case: Case[Any], key: str, body: object = None) -> Response:
    """The request of `case` (or its operation with `body`) sent again under another key."""
    probe = case.operation.Case(
        query=dict(case.query) if case.query else None,
        body=case.body if body is None else body,
        media_type="application/json" if case.operation.body else None,
        headers={KEY_HEADER: key},
    )
    kwargs = dict(ctx.internals.transport_kwargs or {}) if ctx.internals else {}
    if case.operation.app is not None:
        kwargs.setdefault("app", case.operation.app)
    answer: Response = case.operation.schema.transport.send(probe, **kwargs)
    return answer


def stored_reference(ctx: CheckContext, case: Case[Any], key: str) -> dict[str, Any]:
    """The reference as stored now: an update that sends only its oId changes nothing else."""
    assert isinstance(case.body, dict)
    reread = send_as(ctx, case, key, body={"oId": case.body["oId"]})
    stored = returned_object(case, reread)
    if stored is None:
        raise AssertionError(
            f"reading reference {case.body['oId']!r} back answered {reread.status_code}"
        )
    return stored


def read_back(ctx: CheckContext, case: Case[Any], response: Response) -> dict[str, Any] | None:
    """The stored state after a 200 update, read once per case for every check that needs it."""
    if operation_id(case) != UPDATE or returned_object(case, response) is None:
        return None
    cached = _read_back.get(id(case))
    if cached is None or cached[0] is not case:
        _read_back.clear()
        cached = (case, stored_reference(ctx, case, key_of(response)))
        _read_back[id(case)] = cached
    return cached[1]


def comparable(obj: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in obj.items() if name not in SERVER_MANAGED}


def differing_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Fields (`data.x` for nested ones) whose values differ, server-managed ones aside."""
    names = []
    for name in sorted((before.keys() | after.keys()) - SERVER_MANAGED):
        old, new = before.get(name), after.get(name)
        # A reference's data may be null until an update gives it its first field.
        if name == "data" and isinstance(old or {}, dict) and isinstance(new or {}, dict):
            names += [f"data.{inner}" for inner in differing_fields(old or {}, new or {})]
        elif old != new:
            names.append(name)
    return names


@schemathesis.check
def update_answer_is_stored_state(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A 200 update answers the reference as stored after it, not some other state."""
    stored = read_back(ctx, case, response)
    answered = returned_object(case, response)
    if stored is None or answered is None:
        return None
    differ = differing_fields(answered, stored)
    if differ:
        raise AssertionError(
            f"update of reference {stored.get('oId')!r} answered {', '.join(differ)} "
            "other than what a read-back shows stored"
        )
    return None


@schemathesis.check
def partial_update_keeps_other_fields(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """The fields an update did not send keep the values the previous answer showed.

    Compared answer to answer: a read-back is itself an update, so a server that wipes
    what an update does not send would wipe it there too.
    """
    answered = returned_object(case, response)
    if operation_id(case) != UPDATE or answered is None or not isinstance(case.body, dict):
        return None
    known = memory(case).references
    slot = (key_of(response), str(answered.get("oId")))
    before = known.get(slot)
    known[slot] = answered
    if before is None:
        return None
    sent = set(case.body)
    changed = [
        name
        for name in differing_fields(before, answered)
        if name.removeprefix("data.") not in sent
    ]
    if changed:
        raise AssertionError(
            f"update of reference {slot[1]!r} sent {', '.join(sorted(sent))} but also "
            f"changed {', '.join(changed)}"
        )
    return None


@schemathesis.check
def identity_is_stable(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An object's createdAt and workspace never change; one key's objects share a workspace."""
    obj = returned_object(case, response)
    if obj is None or not isinstance(obj.get("oId"), str):
        return None
    workspace = (
        obj.get("workspace", {}).get("oId") if isinstance(obj.get("workspace"), dict) else None
    )
    seen = memory(case)
    key = key_of(response)
    first_workspace = seen.key_workspaces.setdefault(key, workspace)
    if first_workspace != workspace:
        raise AssertionError(
            f"{operation_id(case)} answered {obj['oId']!r} in workspace {workspace!r}, but the "
            f"same key was answered objects of workspace {first_workspace!r} before"
        )
    identity = (obj.get("createdAt"), workspace)
    first = seen.identities.setdefault((operation_id(case), obj["oId"]), identity)
    for name, was, now in zip(("createdAt", "workspace.oId"), first, identity, strict=True):
        if was != now:
            raise AssertionError(
                f"{operation_id(case)} answered {obj['oId']!r} with {name} {now!r}, "
                f"but it was {was!r} before"
            )
    return None


def assert_update_refused(
    ctx: CheckContext, case: Case[Any], response: Response, key: str, whose: str, status: int
) -> None:
    """The update of `case`, sent again under `key`, answers `status` and changes nothing."""
    stored = read_back(ctx, case, response)
    assert stored is not None, "only called after a 200 update"
    answer = send_as(ctx, case, key)
    changed = differing_fields(stored, stored_reference(ctx, case, key_of(response)))
    if answer.status_code != status or changed:
        raise AssertionError(
            f"update of reference {stored.get('oId')!r} with {whose} answered "
            f"{answer.status_code} (expected {status}) and changed "
            f"{', '.join(changed) or 'nothing'}"
        )


@schemathesis.check
def read_only_key_cannot_write(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A read-only key reads what a read-write key reads; its updates answer 403, change nothing."""
    read_only = os.environ.get(READ_ONLY_KEY, "")
    if not read_only or key_of(response) == read_only or returned_object(case, response) is None:
        return None
    if operation_id(case) != UPDATE:
        answer = send_as(ctx, case, read_only)
        if answer.status_code != 200 or comparable(answer.json()) != comparable(response.json()):
            raise AssertionError(
                f"{operation_id(case)} of {requested_oid(case)!r} answered the read-only key "
                f"{answer.status_code} with another body than the read-write key's 200"
            )
        return None
    assert_update_refused(ctx, case, response, read_only, "the read-only key", 403)
    return None


@schemathesis.check
def other_workspace_is_refused(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Another workspace's key cannot update this reference: 404, and nothing changes."""
    other = os.environ.get(OTHER_WORKSPACE_KEY, "")
    if os.environ.get(TARGET) != "mock" or not other or operation_id(case) != UPDATE:
        return None
    if returned_object(case, response) is not None:
        assert_update_refused(ctx, case, response, other, "another workspace's key", 404)
    return None


@schemathesis.check
def other_workspace_cannot_read(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Another workspace's key is not given this workspace's objects (object-level authz)."""
    other = os.environ.get(OTHER_WORKSPACE_KEY, "")
    if not other or operation_id(case) == UPDATE or key_of(response) == other:
        return None
    if returned_object(case, response) is None:
        return None
    answer = send_as(ctx, case, other)
    if 200 <= answer.status_code < 300:
        raise AssertionError(
            f"{operation_id(case)} gave {requested_oid(case)!r} of another workspace to a key "
            f"that is not its workspace's ({answer.status_code})"
        )
    return None
