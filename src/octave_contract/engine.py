"""Run the contract in-process: schemathesis' engine over an ASGI app, no socket.

Same spec, same settings (the kit's schemathesis.toml), same inputs and checks as
`make contract`; only the transport differs. The kit's tests run it against the mock
and its broken variants; you can run it against any ASGI app that serves the three
operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemathesis.engine import events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.python import asgi

from octave_contract.principles import PRINCIPLES, Client, check_principles
from octave_contract.probes import PROBE_CHECK, provoke
from octave_contract.run_inputs import mock_inputs
from octave_contract.run_state import load_schema
from octave_contract.summary import RunReport

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import ASGIApp


BASE_URL = f"http://{asgi.HOST}"


@dataclass
class Outcome:
    report: RunReport
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def failed_checks(self) -> set[str]:
        return {failure.split(":", 1)[0] for failure in self.failures}


def run_contract(
    app: ASGIApp, stop_at_check: str | None = None, seed: int | None = None
) -> Outcome:
    """Run every phase against `app`; with `stop_at_check`, ask of `app` that check alone.

    A defect often fails several checks, and a generated scenario ends at its first failure,
    so a check asked about could wait for a later phase behind the others. With
    `stop_at_check`, only the part of the run that check belongs to runs (the status probes,
    the principles, or the generated phases with that check alone), and the run stops once it
    fails. With `seed`, the generated cases are the same on every run.
    """
    inputs = mock_inputs()
    schema = load_schema(inputs)
    schema.app = app
    schema.config.update(base_url=BASE_URL)
    if seed is not None or stop_at_check is not None:
        # No example database: a seeded run draws the same cases every time, and a run that
        # asks one check replays no failure of another app's run.
        schema.config.generation.update(database="none")
    if seed is not None:
        schema.config.seed = seed
    outcome = Outcome(RunReport.for_document(schema.raw_schema))
    # The probes first: a few fixed requests.
    if stop_at_check in (None, PROBE_CHECK):
        for probe in provoke(schema, inputs, {"app": app}):
            outcome.report.add(probe.method, probe.path, probe.answered)
            outcome.failures += [f"{PROBE_CHECK}: {failure}" for failure in probe.failures]
    # Then the principles: fixed requests too, whatever the seed.
    if stop_at_check is None or stop_at_check in PRINCIPLES:
        with asgi.get_client(app) as session:  # type: ignore[arg-type]  # ASGI's types, two spellings
            principles = check_principles(inputs, schema.raw_schema, Client(session, BASE_URL))
        outcome.failures += [f"{found.check}: {found.message}" for found in principles.findings]
    if stop_at_check is not None:
        if stop_at_check in (PROBE_CHECK, *PRINCIPLES):
            return outcome
        # The question is whether it fails, not its smallest case.
        schema.config.generation.update(no_shrink=True)
        schema.config.checks.update(included_check_names=[stop_at_check])
    stream = from_schema(schema).execute()
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            record(event.recorder, outcome)
            if stop_at_check in outcome.failed_checks():
                stream.stop()
                return outcome
        elif isinstance(event, events.NonFatalError):
            outcome.errors.append(str(event.value))
        elif isinstance(event, events.FatalError):
            outcome.errors.append(str(event.exception))
    return outcome


def record(recorder: ScenarioRecorder, outcome: Outcome) -> None:
    for interaction in recorder.interactions.values():
        request, response = interaction.request, interaction.response
        if response is not None:
            outcome.report.add(request.method, request.uri, response.status_code)
    for checks in recorder.checks.values():
        for check in checks:
            if check.failure_info is not None:
                outcome.failures.append(f"{check.name}: {check.failure_info.failure.title}")
