"""load_contract: each call a document of its own, read as YAML reads it, however often."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from octave_kit.contract_model import ContractError, load_contract
from tests.openapi_document import REPO_ROOT


def test_each_read_is_a_copy_of_its_own() -> None:
    spec = REPO_ROOT / "openapi.yaml"
    first = load_contract(spec)
    first["paths"].clear()
    first["info"]["title"] = "changed"
    assert load_contract(spec) == yaml.safe_load(spec.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("paths: {}\nx-released: 2026-12-07\n", datetime.date(2026, 12, 7)),  # a date
        ("paths: {}\nx-released: {200: ok}\n", {200: "ok"}),  # a number as a key
        ("paths: {}\nx-released: [1, 2.5, true, null]\n", [1, 2.5, True, None]),
    ],
)
def test_what_json_cannot_hold_is_read_as_yaml_reads_it_every_time(
    tmp_path: Path, text: str, read: object
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text, encoding="utf-8")
    for _ in range(2):
        assert load_contract(spec) == {"paths": {}, "x-released": read}


def test_a_file_changed_between_reads_is_read_again(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text("paths: {}\nx-n: 1\n", encoding="utf-8")
    assert load_contract(spec)["x-n"] == 1
    spec.write_text("paths: {}\nx-n: 2\n", encoding="utf-8")
    assert load_contract(spec)["x-n"] == 2


@pytest.mark.parametrize(
    ("text", "said"), [("paths: [", "not YAML"), ("openapi: 3.1.0\n", "not an OpenAPI document")]
)
def test_a_broken_file_is_named_on_every_read(tmp_path: Path, text: str, said: str) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContractError, match=f"{spec}: {said}"):
            load_contract(spec)
