"""schemathesis.toml stays in step with the mock's seed."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from octave_contract.checks import OTHER_WORKSPACE_KEY, READ_ONLY_KEY
from octave_contract.mock_run import MOCK_RUN_ENV
from octave_kit.contract_file import CHECKOUT, SPEC_PATH
from octave_mock.seed import DEFAULT_SEED, load_seed
from octave_mock.spec import Spec

ROOT = CHECKOUT
KIND_OF = {"getProduct": "product", "getSegment": "segment", "updateReference": "reference"}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    with (ROOT / "schemathesis.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_the_key_is_a_seeded_read_write_key(config: dict[str, Any]) -> None:
    """The contract authenticates with a key the mock knows, which may write."""
    seed = load_seed(DEFAULT_SEED, Spec.load(SPEC_PATH))
    key = config["auth"]["openapi"]["ApiKeyAuth"]["api_key"]
    assert [False] == [k.read_only for k in seed.keys if k.key == key]


def test_dictionaries_name_live_objects_of_the_keys_workspace(config: dict[str, Any]) -> None:
    """Every oId a dictionary feeds an operation is a live object of that kind in that workspace."""
    seed = load_seed(DEFAULT_SEED, Spec.load(SPEC_PATH))
    key = config["auth"]["openapi"]["ApiKeyAuth"]["api_key"]
    workspace = next(k.workspace_oid for k in seed.keys if k.key == key)
    live = {
        (e.kind, e.doc["oId"])
        for e in seed.entries
        if e.workspace_oid == workspace and not e.doc.get("deletedAt")
    }
    bindings = {
        op["include-operation-id"]: next(iter(op["parameters"].values()))["dictionary"]
        for op in config["operations"]
    }
    assert set(KIND_OF) == set(bindings)
    fed = {
        (KIND_OF[op], oid)
        for op, name in bindings.items()
        for oid in config["dictionaries"][name]["values"]
    }
    assert set() == fed - live


def test_the_check_keys_are_seeded_with_their_roles(config: dict[str, Any]) -> None:
    """The read-only key is of the run key's workspace; the other key, of another workspace."""
    seed = load_seed(DEFAULT_SEED, Spec.load(SPEC_PATH))
    by_key = {k.key: k for k in seed.keys}
    run_key = by_key[config["auth"]["openapi"]["ApiKeyAuth"]["api_key"]]
    read_only = by_key[MOCK_RUN_ENV[READ_ONLY_KEY]]
    other = by_key[MOCK_RUN_ENV[OTHER_WORKSPACE_KEY]]
    assert (True, run_key.workspace_oid) == (read_only.read_only, read_only.workspace_oid)
    assert other.workspace_oid != run_key.workspace_oid
