"""Checks the spec's schemas cannot express, registered with schemathesis.

Loaded as schemathesis hooks (`hooks = "octave_contract.checks"` in
schemathesis.toml), so the CLI and the pytest suite run the same checks.
"""

from __future__ import annotations

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
