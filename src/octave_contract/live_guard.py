"""schemathesis hooks for runs against the real Octave API: nothing writes by accident.

The live command already asks for GET operations only unless writes are
allowed; this guard is the last stop before a request leaves, for every phase:
a non-GET request is refused unless OCTAVE_ALLOW_WRITES=1, and an allowed
update always names OCTAVE_SANDBOX_REFERENCE, whatever oId was generated.
OCTAVE_PRODUCT_OID and OCTAVE_SEGMENT_OID, when set, name the objects the
GET operations read, so the live run checks real 200 answers, not just 404s.
The environment is read once, into the run's inputs (octave_contract.run_inputs).
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from schemathesis.generation.case import Case
from schemathesis.hooks import HookContext
from schemathesis.schemas import BaseSchema

from octave_contract.checks import operation_id
from octave_contract.run_inputs import live_inputs
from octave_contract.run_state import attach, run_of


class WriteRefused(Exception):
    """A request that could change data on the real API was stopped before sending."""


@schemathesis.hook
def after_load_schema(context: HookContext, schema: BaseSchema) -> None:
    attach(schema, live_inputs(os.environ))


@schemathesis.hook
def before_call(context: HookContext, case: Case[Any], kwargs: dict[str, Any]) -> None:
    inputs = run_of(case).inputs
    if case.method.upper() == "GET":
        known = inputs.read_oids.get(operation_id(case))
        if known and case.query is not None:
            case.query["oId"] = known
        return
    if inputs.sandbox_reference is None:
        raise WriteRefused(
            f"{case.method} {case.path} refused: set OCTAVE_ALLOW_WRITES=1 and "
            "OCTAVE_SANDBOX_REFERENCE to let the live run update one sandbox reference"
        )
    if not isinstance(case.body, dict):
        raise WriteRefused(f"{case.method} {case.path} refused: its body names no oId")
    case.body["oId"] = inputs.sandbox_reference
