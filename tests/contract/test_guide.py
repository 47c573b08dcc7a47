"""docs/contract-tests.md keeps to the code: its tables name every check and every variant."""

from __future__ import annotations

import itertools
from collections import Counter

from schemathesis.checks import CHECKS

from octave_contract import checks
from octave_contract.principles import EQUIVALENT_FORMS, ERROR_PROVOKERS, PRINCIPLES
from octave_contract.probes import PROBE_CHECK
from tests.openapi_document import REPO_ROOT

from .broken import SOCKET_VARIANTS, VARIANTS, SocketVariant, Variant

GUIDE = REPO_ROOT / "docs" / "contract-tests.md"


def table_after(heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first table under `heading`, its header aside."""
    lines = GUIDE.read_text(encoding="utf-8").split(heading, 1)[1].splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("|"))
    table = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in table[2:]]


def test_the_checks_of_meaning_table_lists_every_kit_check() -> None:
    """Each check octave_contract registers, the probes' and the principles' names, has its row;
    no other."""
    kit_checks = {
        c.__name__ for c in CHECKS.get_all() if getattr(c, "__module__", "") == checks.__name__
    }
    listed = {row[0].strip("`") for row in table_after("## The checks of meaning")}
    assert kit_checks | {PROBE_CHECK, *PRINCIPLES} == listed


def test_the_broken_servers_table_lists_every_variant() -> None:
    """One row per broken variant, each naming the check that catches it."""
    caught_by = Counter(
        row[-1].strip("`") for row in table_after("## The contract catches broken servers")
    )
    variants: list[Variant | SocketVariant] = [*VARIANTS, *SOCKET_VARIANTS]
    assert Counter(v.expected_check for v in variants) == caught_by


def test_the_forms_table_is_the_codes() -> None:
    """Every equivalent form, with its source, as octave_contract.principles lists them."""
    written = [
        (row[0], row[1].replace("`", ""))
        for row in table_after("The forms of a request that mean the same request")
    ]
    assert [(form.name, form.source.replace("`", "")) for form in EQUIVALENT_FORMS] == written


def test_the_error_provokers_table_is_the_codes() -> None:
    """Every error status the principles provoke, and how, as the code does it."""
    written = [(int(row[0]), row[1]) for row in table_after("How each error status is provoked")]
    assert [(status, p.how) for status, p in ERROR_PROVOKERS.items()] == written
