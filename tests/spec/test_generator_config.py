"""generator-config.yml uses only keys openapi-python-client knows (it ignores misspelt ones)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tests.openapi_document import REPO_ROOT

if TYPE_CHECKING:
    from openapi_python_client.config import ConfigFile

GENERATOR_CONFIG = REPO_ROOT / "generator-config.yml"


def config_file() -> type[ConfigFile]:
    """The generator's config model, imported only when a test runs: the generator and
    pydantic take half a second to import, which collection would cost every worker."""
    from openapi_python_client.config import ConfigFile

    return ConfigFile


def unknown_keys(config: dict[str, Any]) -> list[str]:
    """Top-level keys of a generator config that ``ConfigFile`` does not define."""
    return sorted(set(config) - set(config_file().model_fields))


def load_config(path: Path) -> dict[str, Any]:
    """The generator config as a mapping."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(config, dict), f"{path.name} must be a mapping, got {type(config).__name__}"
    return config


def test_config_uses_only_known_keys() -> None:
    """Every key of generator-config.yml is a field of openapi-python-client's ConfigFile."""
    config = load_config(GENERATOR_CONFIG)
    assert config, f"{GENERATOR_CONFIG.name} is empty"
    known = ", ".join(sorted(config_file().model_fields))
    unknown = unknown_keys(config)
    assert not unknown, f"unknown keys {unknown} in {GENERATOR_CONFIG.name}; known: {known}"


def test_config_loads_with_the_generator() -> None:
    """The generator's own loader accepts the config and reads the overrides the kit relies on."""
    config = config_file().load_from_path(GENERATOR_CONFIG)
    expected = ("octave-client", "octave_client", True)
    assert expected == (
        config.project_name_override,
        config.package_name_override,
        config.docstrings_on_attributes,
    )
