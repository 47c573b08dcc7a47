"""Contract runs of openapi.yaml with schemathesis: against the mock, or the real API.

`python -m octave_contract mock|live` runs them; `run_contract` runs the contract in-process
against any ASGI app. The modules inside are the kit's own (docs/development.md).
"""

from octave_contract.engine import Outcome, run_contract

__all__ = ["Outcome", "run_contract"]
