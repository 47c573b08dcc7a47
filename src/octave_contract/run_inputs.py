"""A contract run's inputs, built once: its settings, the spec, and the keys by role.

Against the mock the keys come from the bundled seed: the run's read-write key, the
read-only key of the same workspace and a read-write key of another one. The workspace is
the one that holds the objects schemathesis.toml's dictionaries name, so the seed can grow
workspaces without the run picking the wrong one. Against the real API they come from the
user's environment, read here once.

The contract command, the in-process engine, the checks and the probes all take what they
need from one `ContractInputs`. schemathesis' CLI runs in a process of its own: it is given
the run's key as OCTAVE_API_KEY (the placeholder both settings files authenticate with),
and its hooks build the same inputs with the same function (octave_contract.mock_run,
octave_contract.live_guard).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from schemathesis.config import SchemathesisConfig

from octave_kit.contract_file import SPEC_PATH
from octave_kit.seed import DEFAULT_SEED, Key, load_seed
from octave_kit.spec import Spec

# Package data: the settings travel with the kit, so an installed kit runs the contract.
MOCK_SETTINGS = Path(__file__).with_name("schemathesis.toml")
LIVE_SETTINGS = Path(__file__).with_name("schemathesis-live.toml")
KEY_VARIABLE = "OCTAVE_API_KEY"
DEFAULT_BASE_URL = "https://app.octavehq.com"
# How far `_metadata.timestamp` may be from the client's clock. The mock shares this
# machine's clock (a loaded machine still answers within seconds); the real API's clock
# and a CI runner's may differ by minutes.
MOCK_CLOCK_TOLERANCE = timedelta(seconds=5)
LIVE_CLOCK_TOLERANCE = timedelta(minutes=5)
LIVE_READ_OIDS = {"getProduct": "OCTAVE_PRODUCT_OID", "getSegment": "OCTAVE_SEGMENT_OID"}
# Live: objects of the other key's workspace, by kind, for the tenancy principle's reads.
LIVE_FOREIGN_OIDS = {"product": "OCTAVE_OTHER_PRODUCT_OID", "segment": "OCTAVE_OTHER_SEGMENT_OID"}


class UsageError(Exception):
    """The run cannot start; the message says what to set."""


@dataclass(frozen=True)
class ContractInputs:
    target: Literal["mock", "live"]
    settings: Path
    key: str
    read_only_key: str | None = None
    other_key: str | None = None
    # Whether updates are sent under the other workspace's key: always against the mock,
    # against the real API only when writes are allowed (and then to the sandbox only).
    other_key_updates: bool = False
    clock_tolerance: timedelta = MOCK_CLOCK_TOLERANCE
    # Mock: one seeded oId per operation, for the status probes.
    probe_oids: Mapping[str, str] = field(default_factory=dict)
    # By kind (product, segment, reference): an object of the run's workspace, and one of the
    # other key's workspace (octave_contract.principles).
    own_objects: Mapping[str, str] = field(default_factory=dict)
    foreign_objects: Mapping[str, str] = field(default_factory=dict)
    # Live: where, and what the run may touch.
    base_url: str = DEFAULT_BASE_URL
    sandbox_reference: str | None = None
    read_oids: Mapping[str, str] = field(default_factory=dict)
    rate_limit: str = "2/s"
    max_examples: str = "5"
    spec: Path = SPEC_PATH

    def settings_data(self) -> dict[str, Any]:
        """The settings file, with the run's key in place of its placeholder."""
        data = tomllib.loads(self.settings.read_text(encoding="utf-8"))
        data["auth"]["openapi"]["ApiKeyAuth"]["api_key"] = self.key
        return data

    def schemathesis_config(self) -> SchemathesisConfig:
        """The settings for a run in this process, which starts the run itself (`load_schema`).

        Without their `hooks`: those are for schemathesis' own process, and a hook registered
        here would start runs on every schema the process loads.
        """
        data = {name: value for name, value in self.settings_data().items() if name != "hooks"}
        return SchemathesisConfig.from_dict(data, base_dir=str(self.settings.parent))

    def child_environment(self) -> dict[str, str]:
        """What schemathesis' own process needs beyond the caller's environment."""
        return {KEY_VARIABLE: self.key}


def dictionary_oids(settings: dict[str, Any]) -> dict[str, list[str]]:
    """Per operation, the oIds its dictionary feeds it (schemathesis.toml's `[[operations]]`)."""
    oids = {}
    for block in settings["operations"]:
        (binding,) = block["parameters"].values()
        oids[block["include-operation-id"]] = settings["dictionaries"][binding["dictionary"]][
            "values"
        ]
    return oids


@cache  # the bundled seed and settings do not change while the kit runs
def mock_inputs() -> ContractInputs:
    """The inputs of a run against the mock serving its bundled seed."""
    settings = tomllib.loads(MOCK_SETTINGS.read_text(encoding="utf-8"))
    fed = dictionary_oids(settings)
    seed = load_seed(DEFAULT_SEED, Spec.load(SPEC_PATH))
    owner = {entry.doc["oId"]: entry.workspace_oid for entry in seed.entries}
    unseeded = sorted(oid for oids in fed.values() for oid in oids if oid not in owner)
    workspaces = {owner[oid] for oids in fed.values() for oid in oids if oid in owner}
    if unseeded or len(workspaces) != 1:
        raise UsageError(
            f"{MOCK_SETTINGS}: the dictionaries must name seeded objects of one workspace of "
            f"{DEFAULT_SEED}; unseeded: {unseeded or 'none'}, workspaces: {sorted(workspaces)}"
        )
    (workspace,) = workspaces

    def first(keys: list[Key], what: str) -> str:
        if not keys:
            raise UsageError(f"{DEFAULT_SEED}: no {what} (the contract's checks need one)")
        return keys[0].key

    mine = [key for key in seed.keys if key.workspace_oid == workspace]
    other_key = first(
        [k for k in seed.keys if k.workspace_oid != workspace and not k.read_only],
        f"read-write key of a workspace other than {workspace}",
    )
    other_workspace = next(k.workspace_oid for k in seed.keys if k.key == other_key)
    kinds = {entry.doc["oId"]: entry.kind for entry in seed.entries}
    foreign: dict[str, str] = {}
    for entry in seed.entries:
        if entry.workspace_oid == other_workspace:
            foreign.setdefault(entry.kind, entry.doc["oId"])
    return ContractInputs(
        target="mock",
        settings=MOCK_SETTINGS,
        key=first([k for k in mine if not k.read_only], f"read-write key of {workspace}"),
        read_only_key=first([k for k in mine if k.read_only], f"read-only key of {workspace}"),
        other_key=other_key,
        other_key_updates=True,
        probe_oids={operation: oids[0] for operation, oids in fed.items()},
        own_objects={kinds[oids[0]]: oids[0] for oids in fed.values()},
        foreign_objects=foreign,
    )


def live_inputs(env: Mapping[str, str]) -> ContractInputs:
    """The inputs of a run against the real API, from the user's environment."""
    key = env.get(KEY_VARIABLE)
    if not key:
        raise UsageError(
            f"set {KEY_VARIABLE} to a workspace API key to run the contract against the real API"
        )
    sandbox = None
    if env.get("OCTAVE_ALLOW_WRITES") == "1":
        sandbox = env.get("OCTAVE_SANDBOX_REFERENCE")
        if not sandbox:
            raise UsageError(
                "OCTAVE_ALLOW_WRITES=1 needs OCTAVE_SANDBOX_REFERENCE, the oId of the one "
                "reference the run may update"
            )
    return ContractInputs(
        target="live",
        settings=LIVE_SETTINGS,
        key=key,
        read_only_key=env.get("OCTAVE_READ_ONLY_API_KEY") or None,
        other_key=env.get("OCTAVE_OTHER_API_KEY") or None,
        other_key_updates=sandbox is not None,
        clock_tolerance=LIVE_CLOCK_TOLERANCE,
        base_url=env.get("OCTAVE_BASE_URL") or DEFAULT_BASE_URL,
        sandbox_reference=sandbox,
        read_oids={op: env[name] for op, name in LIVE_READ_OIDS.items() if env.get(name)},
        own_objects={
            kind: oid
            for kind, oid in (
                ("product", env.get(LIVE_READ_OIDS["getProduct"])),
                ("segment", env.get(LIVE_READ_OIDS["getSegment"])),
                ("reference", sandbox),
            )
            if oid
        },
        foreign_objects={k: env[name] for k, name in LIVE_FOREIGN_OIDS.items() if env.get(name)},
        rate_limit=env.get("OCTAVE_RATE_LIMIT") or "2/s",
        max_examples=env.get("OCTAVE_MAX_EXAMPLES") or "5",
    )
