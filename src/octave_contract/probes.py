"""Provoke every documented status that generated input cannot, and check each answer.

Against the mock only. 403 on an update comes from the read-only key, 413 from a body over
the size limit, 415 from a body that is not JSON; the other statuses no input can cause
(429, 500, a 403 on a read) are asked for with the mock's `Prefer: code=N` header, one
request at a time, so the mock's defaults stay as they are. Every answer goes through the
same schemathesis checks as the run's: status, headers (`Retry-After` on 429), content type
and body against the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation, BaseSchema

from octave_contract.checks import UPDATE
from octave_contract.run_inputs import ContractInputs, mock_inputs
from octave_contract.run_state import load_schema
from octave_kit.keys import KEY_HEADER

# Statuses a probe provokes; the run's generated requests give the others (200, 400, 401, 404).
PROVOKED = frozenset({403, 413, 415, 429, 500})
OVERSIZED_BYTES = 2 * 1024 * 1024
# The name a probe's failure is reported under, beside schemathesis' check names.
PROBE_CHECK = "documented_status_probe"


@dataclass(frozen=True)
class Probe:
    operation_id: str
    method: str
    path: str
    status: int
    answered: int
    failures: tuple[str, ...]


Operation = APIOperation[Any, Any, Any, Any]


def documented_statuses(operation: Operation) -> set[int]:
    return {int(code) for code in operation.definition.raw["responses"] if code.isdigit()}


def probe_case(operation: Operation, status: int, inputs: ContractInputs) -> Case[Any]:
    """The request that should make `operation` answer `status`."""
    operation_id = operation.definition.raw["operationId"]
    oids = inputs.probe_oids
    headers = {KEY_HEADER: inputs.key}
    if operation_id != UPDATE:
        return operation.Case(
            query={"oId": oids[operation_id]}, headers={**headers, "Prefer": f"code={status}"}
        )
    body: dict[str, Any] = {"oId": oids[operation_id], "name": "Probe"}
    if status == 403:
        assert inputs.read_only_key, "a mock run's inputs have the seed's read-only key"
        headers[KEY_HEADER] = inputs.read_only_key
    elif status == 413:
        body["description"] = "x" * OVERSIZED_BYTES
    elif status == 415:
        return operation.Case(body="oId=x", media_type="text/plain", headers=headers)
    else:
        headers["Prefer"] = f"code={status}"
    return operation.Case(body=body, media_type="application/json", headers=headers)


def provoke(
    schema: BaseSchema, inputs: ContractInputs, transport_kwargs: dict[str, Any]
) -> list[Probe]:
    """One probe per documented status that generated input cannot provoke."""
    probes = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), (
            f"openapi.yaml has an operation schemathesis cannot read: {result}"
        )
        operation = result.ok()
        for status in sorted(documented_statuses(operation) & PROVOKED):
            case = probe_case(operation, status, inputs)
            response = schema.transport.send(case, **transport_kwargs)
            try:
                # A provoked 500 is what was asked for, not a server error to report.
                excluded: list[CheckFunction] = [not_a_server_error] if status >= 500 else []
                case.validate_response(
                    response, excluded_checks=excluded, transport_kwargs=transport_kwargs
                )
                failures: tuple[str, ...] = ()
            except FailureGroup as group:
                failures = tuple(
                    f"{failure.title}: {failure.message}" for failure in group.exceptions
                )
            if response.status_code != status:
                failures += (f"asked for {status}, answered {response.status_code}",)
            failures = tuple(f"{operation.label} {status}: {failure}" for failure in failures)
            probes.append(
                Probe(
                    operation.definition.raw["operationId"],
                    operation.method.upper(),
                    operation.path,
                    status,
                    response.status_code,
                    failures,
                )
            )
    return probes


def probe_mock(url: str) -> list[Probe]:
    """The status probes against a mock serving at `url`."""
    inputs = mock_inputs()
    schema = load_schema(inputs)
    schema.config.update(base_url=url)
    return provoke(schema, inputs, {"base_url": url})
