"""`octave-mock impact`: a contract version judged against the app's Pact file.

Every case of contract_changes.yaml gets its verdict for catalog.pact.json, and the command
answers 0, 1 or 2 as `make diff` does.
"""

from __future__ import annotations

import copy
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
import yaml

from octave_kit.contract_file import SPEC_PATH
from octave_kit.impact import judge, report
from octave_kit.pact import read_pact
from tests.cli_main import Cli
from tests.installing import run
from tests.openapi_document import REPO_ROOT, load_openapi
from tests.pact.conftest import CATALOG_PACT

CORPUS = Path(__file__).with_name("contract_changes.yaml")
OCTAVE_MOCK = Path(sys.executable).with_name("octave-mock")


@dataclass(frozen=True)
class ContractChange:
    name: str
    rule: str
    verdict: str
    said: str
    change: list[dict[str, Any]]

    def contract(self) -> dict[str, Any]:
        return jsonpatch.apply_patch(load_openapi(), self.change)  # type: ignore[no-any-return]


def contract_changes() -> list[ContractChange]:
    cases = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return [
        ContractChange(c["name"], c["rule"], c["verdict"], c["said"], c["change"]) for c in cases
    ]


@pytest.mark.parametrize("case", contract_changes(), ids=lambda case: case.name)
def test_each_change_gets_its_verdict_for_the_app(case: ContractChange) -> None:
    impact = judge(case.contract(), read_pact(CATALOG_PACT), load_openapi())
    said = report(impact, "catalog", "openapi.yaml")
    assert (case.verdict, True) == (
        "compatible" if impact.compatible else "breaks",
        case.said in said,
    ), said


def test_every_rule_is_judged_both_ways() -> None:
    cases = contract_changes()
    verdicts = {(case.rule, case.verdict) for case in cases}
    rules = {case.rule for case in cases} - {"request key", "request body"}
    assert [] == [
        rule
        for rule in sorted(rules)
        for v in ("breaks", "compatible")
        if (rule, v) not in verdicts
    ]


def test_the_current_contract_is_compatible_and_changes_nothing() -> None:
    impact = judge(load_openapi(), read_pact(CATALOG_PACT), load_openapi())
    assert ((), ()) == (impact.findings, impact.changes)


def impact_command(cli: Cli, *args: str | Path, expect: int) -> str:
    """`octave-mock impact ARGS`' stdout, once its exit status is `expect`."""
    completed = cli("impact", *args)
    assert expect == completed.returncode, completed
    return completed.stdout


def test_the_command_answers_0_for_the_installed_contract(cli: Cli) -> None:
    said = impact_command(cli, "--pact", CATALOG_PACT, expect=0)
    last = "compatible: nothing catalog sends or receives is broken by this contract"
    assert said.splitlines()[-1] == last, said


def test_the_command_answers_1_naming_a_removed_member_the_app_received(tmp_path: Path) -> None:
    """The installed `octave-mock`, as `make diff` runs it: its process exits 1."""
    contract = load_openapi()
    del contract["components"]["schemas"]["Product"]["properties"]["name"]
    spec = tmp_path / "next.yaml"
    spec.write_text(yaml.safe_dump(contract), encoding="utf-8")
    args = ("--pact", CATALOG_PACT, "--spec", spec)
    said = run(OCTAVE_MOCK, "impact", *args, cwd=tmp_path, expect=1).stdout
    finding = (
        "x getProduct -> 200 with a key sending oId: status 200: response member name: "
        "no longer documented; the app received it"
    )
    assert finding in said.splitlines(), said
    assert said.splitlines()[-1] == "incompatible: this contract breaks catalog (1 finding)", said


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot be read: No such file or directory"),
        ("{", "not JSON"),
        ('{"interactions": []}', "no HTTP interaction to judge"),
    ],
)
def test_the_command_answers_2_when_it_cannot_judge(
    cli: Cli, tmp_path: Path, content: str | None, problem: str
) -> None:
    pact = tmp_path / "app.pact.json"
    if content is not None:
        pact.write_text(content, encoding="utf-8")
    completed = cli("impact", "--pact", pact)
    assert 2 == completed.returncode, completed
    assert (
        completed.stderr == f"octave-mock impact: {pact}: {problem}\n"
        or problem in completed.stderr
    ), completed.stderr
    assert completed.stdout == "could not judge: nothing was judged\n"


def test_an_unreadable_contract_cannot_be_judged(cli: Cli, tmp_path: Path) -> None:
    spec = tmp_path / "next.yaml"
    spec.write_text("openapi: 3.1.0\n", encoding="utf-8")
    completed = cli("impact", "--pact", CATALOG_PACT, "--spec", spec)
    assert 2 == completed.returncode, completed
    assert completed.stderr == f"octave-mock impact: {spec}: not an OpenAPI document (no paths)\n"


def test_judging_leaves_the_contract_as_it_was() -> None:
    contract = load_openapi()
    before = copy.deepcopy(contract)
    judge(contract, read_pact(CATALOG_PACT), load_openapi())
    assert before == contract


def test_the_guide_shows_what_impact_prints(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's example: a next kit without Product.name and with an optional Segment.tier."""
    guide = (REPO_ROOT / "docs" / "testing-your-app.md").read_text(encoding="utf-8")
    section = guide.split("### 3. `octave-mock impact`", 1)[1]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    contract = load_openapi()
    shown = shown.replace("(2.1.0)", f"({contract['info']['version']})")  # the guide's version
    del contract["components"]["schemas"]["Product"]["properties"]["name"]
    contract["components"]["schemas"]["Segment"]["properties"]["tier"] = {"type": "string"}
    contract["info"]["version"] = "3.0.0"
    (tmp_path / "next-kit").mkdir()
    (tmp_path / "next-kit" / "openapi.yaml").write_text(yaml.safe_dump(contract), encoding="utf-8")
    (tmp_path / "pacts").mkdir()
    shutil.copy(CATALOG_PACT, tmp_path / "pacts" / "catalog.json")
    args = ("--pact", "pacts/catalog.json", "--spec", "next-kit/openapi.yaml")
    monkeypatch.chdir(tmp_path)  # the guide's paths are relative to the app's folder
    printed = impact_command(cli, *args, expect=1)
    installed = ".venv/lib/python3.11/site-packages/octave_kit/openapi.yaml"
    assert shown == printed.replace(str(SPEC_PATH), installed)
