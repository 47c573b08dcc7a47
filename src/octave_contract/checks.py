"""Checks the spec's schemas cannot express, registered with schemathesis.

Loaded with the hooks of each settings file (octave_contract.mock_run, .live_guard), so the
CLI and the in-process runs run the same checks. Some send extra requests of their own (a
read-back, the same request under another key), with the keys the run's inputs give
(octave_contract.run_inputs); a check whose key the run has not got passes without a word.
What they remember lives on the run (octave_contract.run_state).
"""

from __future__ import annotations

import functools
import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from octave_contract.run_state import Stamp, has_run, run_of
from octave_kit.keys import KEY_HEADER

UPDATE = "updateReference"
REFERENCE_KIND = "reference"
REQUEST_ID_HEADER = "x-request-id"
# Set by the server on every answer or every write, the read-back included: never compared.
SERVER_MANAGED = frozenset({"_metadata", "updatedAt"})
# updatedAt may stay the same only between writes closer together than this. Octave and the
# mock print milliseconds; a whole second lets a server whose clock ticks in seconds pass,
# and keeps a loaded machine's delays between answer and check from failing the check.
CLOCK_RESOLUTION_SECONDS = 1.0
# Headers that differ between any two answers, or follow from the body (compared itself).
PER_ANSWER_HEADERS = frozenset({"date", REQUEST_ID_HEADER, "content-length"})


CheckFunction = Callable[[CheckContext, Response, Case[Any]], bool | None]


def kit_check(check: CheckFunction) -> CheckFunction:
    """Register `check` with schemathesis for the kit's runs only.

    schemathesis' checks are global: another schema loaded in the same process (the mock's
    admin document, say) is checked by them too, and is no run of the kit's.
    """

    @functools.wraps(check)
    def on_kit_runs(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        return check(ctx, response, case) if has_run(case) else None

    registered: CheckFunction = schemathesis.check(on_kit_runs)
    return registered


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


def json_body(response: Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def returned_object(case: Case[Any], response: Response) -> dict[str, Any] | None:
    """The object a 200 answer carries: flat for gets, under `data` for updates."""
    if response.status_code != 200:
        return None
    body = json_body(response)
    if operation_id(case) == UPDATE and isinstance(body, dict):
        body = body.get("data")
    return body if isinstance(body, dict) else None


def key_of(response: Response) -> str:
    return str(response.request.headers.get(KEY_HEADER, ""))


def send_as(
    ctx: CheckContext,
    case: Case[Any],
    key: str,
    *,
    query: dict[str, Any] | None = None,
    body: object = None,
) -> Response:
    """The request of `case` sent again under another key, with its query or body if given."""
    probe = case.operation.Case(
        query=query or (dict(case.query) if case.query else None),
        body=case.body if body is None else body,
        media_type="application/json" if case.operation.body else None,
        headers={KEY_HEADER: key},
    )
    kwargs = dict(ctx.internals.transport_kwargs or {}) if ctx.internals else {}
    if case.operation.app is not None:
        kwargs.setdefault("app", case.operation.app)
    answer: Response = case.operation.schema.transport.send(probe, **kwargs)
    return answer


def answer_as(ctx: CheckContext, case: Case[Any], key: str) -> Response:
    """The request of `case` under `key`, sent once for every check of the case that asks."""
    return run_of(case).once(case, f"as {key}", lambda: send_as(ctx, case, key))


def reference_state(ctx: CheckContext, case: Case[Any], key: str, oid: str) -> dict[str, Any]:
    """Reference `oid` as stored now: an update that sends only its oId changes nothing else."""
    reread = send_as(ctx, case, key, body={"oId": oid})
    stored = returned_object(case, reread)
    if stored is None:
        raise AssertionError(f"reading reference {oid!r} back answered {reread.status_code}")
    return stored


def stored_reference(ctx: CheckContext, case: Case[Any], key: str) -> dict[str, Any]:
    """The reference a 200 update named, as stored now."""
    assert isinstance(case.body, dict)
    return reference_state(ctx, case, key, str(case.body["oId"]))


def read_back(ctx: CheckContext, case: Case[Any], response: Response) -> dict[str, Any] | None:
    """The stored state after a 200 update, read once per case for every check that needs it."""
    if operation_id(case) != UPDATE or returned_object(case, response) is None:
        return None
    return run_of(case).once(
        case, "read-back", lambda: stored_reference(ctx, case, key_of(response))
    )


@kit_check
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


@kit_check
def update_is_persisted(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Every field an update sent is still there when the reference is read back."""
    stored = read_back(ctx, case, response)
    if stored is None or not isinstance(case.body, dict):
        return None
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


@kit_check
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


@kit_check
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
    known = run_of(case).references
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


@kit_check
def refused_update_changes_nothing(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A generated update refused with 400 stores none of its members, aimed at a real object.

    The fuzzer's invalid bodies seldom name a seeded reference, so each one is sent again
    naming the run's own reference; if that is refused too, the reference reads back as it
    was. Every shape of invalid body drawn (a wrong type deep in a list, an unknown member,
    a null) thus checks that nothing was stored before the refusal.
    """
    run = run_of(case)
    target = run.inputs.own_objects.get(REFERENCE_KIND)
    key = key_of(response)
    if (
        operation_id(case) != UPDATE
        or response.status_code != 400
        or not isinstance(case.body, dict)
    ):
        return None
    if target is None or not key:
        return None
    slot = (key, target)
    before = run.references.get(slot) or reference_state(ctx, case, key, target)
    aimed = send_as(ctx, case, key, body={**case.body, "oId": target})
    if 200 <= aimed.status_code < 300:
        # Refused for its oId alone, the body was a valid write: undone, so that the values it
        # stored do not hide what a later refused body with the same values would store.
        send_as(ctx, case, key, body={**held_values(before, case.body), "oId": target})
    after = reference_state(ctx, case, key, target)
    run.references[slot] = after
    changed = differing_fields(before, after) if 400 <= aimed.status_code < 500 else []
    if changed:
        raise AssertionError(
            f"an update of reference {target!r} with this case's body answered "
            f"{aimed.status_code} but changed {', '.join(changed)}"
        )
    return None


def held_values(reference: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The values `reference` holds for the update members `names`, at its top or in its data;
    members it holds no value for are left out (an update cannot write null back)."""
    data = reference.get("data") or {}
    values = {name: reference.get(name, data.get(name)) for name in names if name != "oId"}
    return {name: value for name, value in values.items() if value is not None}


@kit_check
def identity_is_stable(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An object's createdAt and workspace never change; one key's objects share a workspace."""
    obj = returned_object(case, response)
    if obj is None or not isinstance(obj.get("oId"), str):
        return None
    workspace = (
        obj.get("workspace", {}).get("oId") if isinstance(obj.get("workspace"), dict) else None
    )
    seen = run_of(case)
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
    answer = answer_as(ctx, case, key)
    changed = differing_fields(stored, stored_reference(ctx, case, key_of(response)))
    if answer.status_code != status or changed:
        raise AssertionError(
            f"update of reference {stored.get('oId')!r} with {whose} answered "
            f"{answer.status_code} (expected {status}) and changed "
            f"{', '.join(changed) or 'nothing'}"
        )


@kit_check
def read_only_key_cannot_write(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A read-only key reads what a read-write key reads; its updates answer 403, change nothing."""
    read_only = run_of(case).inputs.read_only_key
    if not read_only or key_of(response) == read_only or returned_object(case, response) is None:
        return None
    if operation_id(case) != UPDATE:
        answer = answer_as(ctx, case, read_only)
        if answer.status_code != 200 or comparable(answer.json()) != comparable(response.json()):
            raise AssertionError(
                f"{operation_id(case)} of {requested_oid(case)!r} answered the read-only key "
                f"{answer.status_code} with another body than the read-write key's 200"
            )
        return None
    assert_update_refused(ctx, case, response, read_only, "the read-only key", 403)
    return None


@kit_check
def other_workspace_is_refused(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Another workspace's key cannot update this reference: 404, and nothing changes."""
    inputs = run_of(case).inputs
    other = inputs.other_key
    if not (other and inputs.other_key_updates) or operation_id(case) != UPDATE:
        return None
    if returned_object(case, response) is not None:
        assert_update_refused(ctx, case, response, other, "another workspace's key", 404)
    return None


@kit_check
def other_workspace_cannot_read(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Another workspace's key is not given this workspace's objects (object-level authz)."""
    other = run_of(case).inputs.other_key
    if not other or operation_id(case) == UPDATE or key_of(response) == other:
        return None
    if returned_object(case, response) is None:
        return None
    answer = answer_as(ctx, case, other)
    if 200 <= answer.status_code < 300:
        raise AssertionError(
            f"{operation_id(case)} gave {requested_oid(case)!r} of another workspace to a key "
            f"that is not its workspace's ({answer.status_code})"
        )
    return None


# -- Time: updatedAt moves with writes, _metadata.timestamp is now -------------------------


def instant(value: object) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@kit_check
def updated_at_moves_forward(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """updatedAt is never before createdAt, never goes back, and moves when an update writes.

    It may stay the same between two writes less than CLOCK_RESOLUTION_SECONDS apart, and
    after an update that sends nothing but the oId; a date without a time is only checked
    against createdAt and earlier answers (its resolution is a day).
    """
    obj = returned_object(case, response)
    updated = instant(obj.get("updatedAt")) if obj else None
    if obj is None or updated is None:
        return None
    what = f"{operation_id(case)} of {obj.get('oId')!r}"
    created = instant(obj.get("createdAt"))
    if created is not None and updated < created:
        raise AssertionError(
            f"{what} answered updatedAt {obj['updatedAt']} earlier than its createdAt "
            f"{obj['createdAt']}"
        )
    stamps = run_of(case).stamps
    slot = (operation_id(case), str(obj.get("oId")))
    before = stamps.get(slot)
    if before is not None and before.answer is response:
        return None  # the same answer checked again (the stateful phase does)
    # When the request left: the check runs after the answer, which took `elapsed`.
    sent = time.monotonic() - response.elapsed
    if before is None or updated != before.value:
        stamps[slot] = Stamp(updated, sent, response)
    if before is not None and updated < before.value:
        raise AssertionError(
            f"{what} answered updatedAt {obj['updatedAt']}, earlier than the "
            f"{before.value.isoformat()} answered before"
        )
    if before is None or updated != before.value:
        return None
    since = sent - before.first_seen
    wrote = operation_id(case) == UPDATE and isinstance(case.body, dict) and len(case.body) > 1
    if wrote and "T" in obj["updatedAt"] and since > CLOCK_RESOLUTION_SECONDS:
        raise AssertionError(
            f"{what} answered 200 but updatedAt is still {obj['updatedAt']}, as answered "
            f"{since:.1f} s before (clock resolution allowed: {CLOCK_RESOLUTION_SECONDS} s)"
        )
    return None


@kit_check
def metadata_timestamp_is_now(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """An answer's `_metadata.timestamp` is the client's time, within the run's tolerance."""
    body = json_body(response)
    metadata = body.get("_metadata") if isinstance(body, dict) else None
    if not isinstance(metadata, dict):
        return None
    stamped = instant(metadata.get("timestamp"))
    if stamped is None:
        return None
    tolerance = run_of(case).inputs.clock_tolerance + timedelta(seconds=response.elapsed)
    now = datetime.now(UTC)
    if abs(stamped - now) > tolerance:
        raise AssertionError(
            f"{operation_id(case)} answered {response.status_code} with _metadata.timestamp "
            f"{metadata['timestamp']}, {(stamped - now).total_seconds():+.0f} s from the client's "
            f"clock ({now.isoformat(timespec='milliseconds')}); tolerance: {tolerance}"
        )
    return None


# -- Request ids identify an answer ---------------------------------------------------------


@kit_check
def request_ids_identify(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Each answer's request id is its own in the run; header and `_metadata` agree."""
    header = next(iter(response.headers.get(REQUEST_ID_HEADER) or []), None)
    body = json_body(response)
    metadata = body.get("_metadata") if isinstance(body, dict) else None
    in_body = metadata.get("requestId") if isinstance(metadata, dict) else None
    if header is not None and in_body is not None and header != in_body:
        raise AssertionError(
            f"{operation_id(case)} answered {response.status_code} with X-Request-Id {header!r} "
            f"but _metadata.requestId {in_body!r}"
        )
    request_id = header or in_body
    if not isinstance(request_id, str):
        return None
    first = run_of(case).request_ids.setdefault(request_id, response)
    if first is not response:  # the stateful phase checks some answers twice
        raise AssertionError(
            f"{operation_id(case)} answered {response.status_code} with request id "
            f"{request_id!r}, which an earlier answer of this run carried already"
        )
    return None


# -- Non-disclosure: another workspace's object looks like no object at all -----------------


def disclosed_view(
    status: int, headers: Mapping[str, str | list[str]], content: bytes, oid: str
) -> tuple[int, dict[str, str], object]:
    """What an answer tells its caller: status, headers and body, the per-answer parts aside.

    The oId the request named reads `<oId>` wherever the body repeats it (a 404 may name it).
    """
    kept = {
        name.lower(): value if isinstance(value, str) else ", ".join(value)
        for name, value in headers.items()
        if name.lower() not in PER_ANSWER_HEADERS
    }
    text = content.decode("utf-8", "replace").replace(json.dumps(oid)[1:-1], "<oId>")
    try:
        body: object = json.loads(text)
    except ValueError:
        return status, kept, text
    metadata = body.get("_metadata") if isinstance(body, dict) else None
    if isinstance(metadata, dict):
        metadata.pop("requestId", None)
        metadata.pop("timestamp", None)
    return status, kept, body


def response_view(response: Response, oid: str) -> tuple[int, dict[str, str], object]:
    return disclosed_view(response.status_code, response.headers, response.content, oid)


def view_differences(foreign: tuple[Any, ...], nowhere: tuple[Any, ...]) -> list[str]:
    (status, headers, body), (status_0, headers_0, body_0) = foreign, nowhere
    found = [f"status {status} vs {status_0}"] if status != status_0 else []
    for name in sorted(headers.keys() | headers_0.keys()):
        if headers.get(name) != headers_0.get(name):
            found.append(f"header {name}: {headers.get(name)} vs {headers_0.get(name)}")
    if body != body_0:
        found.append(f"body {json.dumps(body)[:200]} vs {json.dumps(body_0)[:200]}")
    return found


@kit_check
def foreign_object_is_not_disclosed(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """To another workspace's key, this workspace's object answers like an oId of no workspace.

    Same status, same headers (date and request id aside), same body (request id and
    timestamp aside): otherwise a key can probe which oIds exist in other workspaces.
    """
    inputs = run_of(case).inputs
    other, oid = inputs.other_key, requested_oid(case)
    if not other or oid is None or key_of(response) == other:
        return None
    if returned_object(case, response) is None:
        return None
    nowhere = f"{oid}_nowhere_{secrets.token_hex(4)}"  # in no workspace
    if operation_id(case) == UPDATE:
        if not (inputs.other_key_updates and isinstance(case.body, dict)):
            return None
        absent = send_as(ctx, case, other, body={**case.body, "oId": nowhere})
    else:
        absent = send_as(ctx, case, other, query={**(case.query or {}), "oId": nowhere})
    foreign = answer_as(ctx, case, other)
    differences = view_differences(response_view(foreign, oid), response_view(absent, nowhere))
    if differences:
        raise AssertionError(
            f"{operation_id(case)} of {oid!r} (another workspace's object) under the other "
            f"key answered otherwise than an oId of no workspace: {'; '.join(differences)}"
        )
    return None
