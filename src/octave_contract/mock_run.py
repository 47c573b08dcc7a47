"""The hooks of a run against the mock (schemathesis.toml's `hooks`), and its status probes.

The run's inputs come from the bundled seed (octave_contract.run_inputs), in schemathesis'
own process as in the kit's: a loaded schema starts a run with them.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.hooks import HookContext
from schemathesis.schemas import BaseSchema

import octave_contract.checks  # noqa: F401 - registers the kit's checks
from octave_contract.probes import Probe, provoke
from octave_contract.run_inputs import mock_inputs
from octave_contract.run_state import attach


@schemathesis.hook
def after_load_schema(context: HookContext, schema: BaseSchema) -> None:
    attach(schema, mock_inputs())


def probe_mock(url: str) -> list[Probe]:
    """The status probes against a mock serving at `url`."""
    inputs = mock_inputs()
    schema = schemathesis.openapi.from_path(inputs.spec, config=inputs.schemathesis_config())
    schema.config.update(base_url=url)
    transport: dict[str, Any] = {"base_url": url}
    return provoke(schema, inputs, transport)
