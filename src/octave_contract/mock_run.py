"""What a run against the mock sets for the kit's checks: the seed's other keys, and the target.

schemathesis.toml holds the read-write key the run authenticates with; these are the same
workspace's read-only key and a key of another workspace (tests/contract checks all three
against the seed). Only against the mock do the checks send updates under another
workspace's key; against the real API that key is used for reads alone.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig

from octave_contract.checks import OTHER_WORKSPACE_KEY, READ_ONLY_KEY, TARGET
from octave_contract.probes import Probe, provoke, run_inputs

MOCK_RUN_ENV = {
    READ_ONLY_KEY: "mock_acme_ro_5b7e0a13c4",
    OTHER_WORKSPACE_KEY: "mock_globex_rw_3d8a6c02f1",
    TARGET: "mock",
}


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ with `values` set for the block, as the CLI's schemathesis process gets them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def probe_mock(url: str, spec: Path, config_path: Path) -> list[Probe]:
    """The status probes against a mock serving at `url`."""
    config = SchemathesisConfig.from_path(str(config_path))
    schema = schemathesis.openapi.from_path(spec, config=config)
    schema.config.update(base_url=url)
    key, oids = run_inputs(tomllib.loads(config_path.read_text(encoding="utf-8")))
    with environment(MOCK_RUN_ENV):
        return provoke(schema, key, oids, {"base_url": url})
