"""One contract run as its checks see it: its inputs, and what they have seen so far.

A `Run` hangs on the schema schemathesis loaded for the run (every case's
`case.operation.schema`), put there by the hook that loads the run's inputs, so two runs
in one process (the kit's tests) never share what they remember.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import schemathesis
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.schemas import BaseSchema

from octave_contract.run_inputs import ContractInputs

ATTRIBUTE = "octave_contract_run"
T = TypeVar("T")


@dataclass(frozen=True)
class Stamp:
    """An object's `updatedAt` as last answered: when (monotonic) and in which answer it was new."""

    value: datetime
    first_seen: float
    answer: Response


@dataclass
class Run:
    inputs: ContractInputs
    # (operation, oId) -> (createdAt, workspace.oId) as first answered.
    identities: dict[tuple[str, str], tuple[object, object]] = field(default_factory=dict)
    # key -> the workspace of the first object answered to it.
    key_workspaces: dict[str, object] = field(default_factory=dict)
    # (key, oId) -> the reference as last answered to an update.
    references: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # (operation, oId) -> its updatedAt as last answered.
    stamps: dict[tuple[str, str], Stamp] = field(default_factory=dict)
    # request id -> the answer that carried it.
    request_ids: dict[str, Response] = field(default_factory=dict)
    # The extra answers the checks of one case share (its read-back, say), by purpose.
    case_id: str = ""
    case_answers: dict[str, object] = field(default_factory=dict)

    def once(self, case: Case[Any], purpose: str, make: Callable[[], T]) -> T:
        """`make()` for `case`, computed once however many of its checks ask.

        A failure (AssertionError) is kept too, so each check that asks reports it.
        """
        if self.case_id != case.id:
            self.case_id, self.case_answers = case.id, {}
        if purpose not in self.case_answers:
            try:
                self.case_answers[purpose] = make()
            except AssertionError as failure:
                self.case_answers[purpose] = failure
        answer = self.case_answers[purpose]
        if isinstance(answer, AssertionError):
            raise answer
        return answer  # type: ignore[return-value]  # what `make` returned for this purpose


def load_schema(inputs: ContractInputs) -> BaseSchema:
    """The spec loaded with the run's settings, and the run started on it."""
    schema = schemathesis.openapi.from_path(inputs.spec, config=inputs.schemathesis_config())
    attach(schema, inputs)
    return schema


def attach(schema: BaseSchema, inputs: ContractInputs) -> None:
    """Start a run on `schema`: its checks remember from here, with these inputs."""
    setattr(schema, ATTRIBUTE, Run(inputs))


def has_run(case: Case[Any]) -> bool:
    """Whether `case` belongs to a run of the kit (another schema may share the process)."""
    return isinstance(getattr(case.operation.schema, ATTRIBUTE, None), Run)


def run_of(case: Case[Any]) -> Run:
    run = getattr(case.operation.schema, ATTRIBUTE, None)
    assert isinstance(run, Run), "the kit's checks run only on the kit's runs (has_run)"
    return run
