"""The hooks of schemathesis' own process in a run against the mock (schemathesis.toml).

They register the kit's checks, and start the run on the schema schemathesis loads, with
the inputs of a mock run (octave_contract.run_inputs). In the kit's own process the run
is started by `run_state.load_schema` instead, so nothing here is imported there.
"""

from __future__ import annotations

import schemathesis
from schemathesis.hooks import HookContext
from schemathesis.schemas import BaseSchema

import octave_contract.checks  # noqa: F401 - registers the kit's checks
from octave_contract.run_inputs import mock_inputs
from octave_contract.run_state import attach


@schemathesis.hook
def after_load_schema(context: HookContext, schema: BaseSchema) -> None:
    attach(schema, mock_inputs())
