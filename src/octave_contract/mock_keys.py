"""The mock seed's other keys, which turn on the authorization and tenancy checks in mock runs.

schemathesis.toml holds the read-write key the run authenticates with; these are the same
workspace's read-only key and a key of another workspace (tests/contract checks all three
against the seed).
"""

from __future__ import annotations

from octave_contract.checks import OTHER_WORKSPACE_KEY, READ_ONLY_KEY

MOCK_CHECK_KEYS = {
    READ_ONLY_KEY: "mock_acme_ro_5b7e0a13c4",
    OTHER_WORKSPACE_KEY: "mock_globex_rw_3d8a6c02f1",
}
