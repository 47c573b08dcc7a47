"""The kit's schemathesis.toml keeps in step with the seed; the run's keys have their roles."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from octave_contract.run_inputs import MOCK_SETTINGS, dictionary_oids, mock_inputs
from octave_kit.contract_file import SPEC_PATH
from octave_kit.seed import DEFAULT_SEED, Seed, load_seed
from octave_kit.spec import Spec

KIND_OF = {"getProduct": "product", "getSegment": "segment", "updateReference": "reference"}


@pytest.fixture(scope="module")
def seed() -> Seed:
    return load_seed(DEFAULT_SEED, Spec.load(SPEC_PATH))


@pytest.fixture(scope="module")
def settings() -> dict[str, Any]:
    with MOCK_SETTINGS.open("rb") as handle:
        return tomllib.load(handle)


def test_the_key_is_a_seeded_read_write_key(seed: Seed) -> None:
    """The contract authenticates with a key the mock knows, which may write."""
    assert [False] == [k.read_only for k in seed.keys if k.key == mock_inputs().key]


def test_dictionaries_name_live_objects_of_the_keys_workspace(
    seed: Seed, settings: dict[str, Any]
) -> None:
    """Every oId a dictionary feeds an operation is a live object of that kind in that workspace."""
    workspace = next(k.workspace_oid for k in seed.keys if k.key == mock_inputs().key)
    live = {
        (e.kind, e.doc["oId"])
        for e in seed.entries
        if e.workspace_oid == workspace and not e.doc.get("deletedAt")
    }
    fed = dictionary_oids(settings)
    assert set(KIND_OF) == set(fed)
    assert set() == {(KIND_OF[op], oid) for op, oids in fed.items() for oid in oids} - live


def test_the_check_keys_are_seeded_with_their_roles(seed: Seed) -> None:
    """The read-only key is of the run key's workspace; the other key, of another workspace."""
    inputs = mock_inputs()
    by_key = {k.key: k for k in seed.keys}
    run_key = by_key[inputs.key]
    read_only = by_key[str(inputs.read_only_key)]
    other = by_key[str(inputs.other_key)]
    assert (True, run_key.workspace_oid) == (read_only.read_only, read_only.workspace_oid)
    assert (False, True) == (other.read_only, other.workspace_oid != run_key.workspace_oid)


def test_no_key_is_written_in_the_settings(seed: Seed) -> None:
    """The settings name the run's key by its placeholder; the seed alone holds the keys."""
    text = MOCK_SETTINGS.read_text(encoding="utf-8")
    assert 'api_key = "${OCTAVE_API_KEY}"' in text
    assert [] == [k.key for k in seed.keys if k.key in text]
