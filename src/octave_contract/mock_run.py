"""What a run against the mock sets for the kit's checks: the seed's other keys, and the target.

schemathesis.toml holds the read-write key the run authenticates with; these are the same
workspace's read-only key and a key of another workspace (tests/contract checks all three
against the seed). Only against the mock do the checks send updates under another
workspace's key; against the real API that key is used for reads alone.
"""

from __future__ import annotations

from octave_contract.checks import OTHER_WORKSPACE_KEY, READ_ONLY_KEY, TARGET

MOCK_RUN_ENV = {
    READ_ONLY_KEY: "mock_acme_ro_5b7e0a13c4",
    OTHER_WORKSPACE_KEY: "mock_globex_rw_3d8a6c02f1",
    TARGET: "mock",
}
