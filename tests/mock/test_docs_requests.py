"""The requests of Octave's docs, as docs/mock.md prints them, get the documented answers.

Each curl block of the guide runs as written (bash and curl), its address turned to a mock
served as `make mock` serves it, and its answer must be the `docs` 200 example of the spec.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mock.test_cli import Served, serving
from tests.mock.test_examples_served import without_varying
from tests.openapi_document import REPO_ROOT, Node, operations, resolve, shared_openapi

GUIDE = REPO_ROOT / "docs" / "mock.md"
GUIDE_URL = "http://127.0.0.1:8765"
STATUS_MARK = "\nstatus="
BASH, CURL = shutil.which("bash"), shutil.which("curl")


def guide_requests() -> list[str]:
    """The curl blocks between the guide's docs-requests markers."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("<!-- docs-requests")[1].split("<!-- /docs-requests -->")[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


REQUESTS = guide_requests()


def docs_answer(block: str) -> tuple[str, Node]:
    """The operation whose path the block calls, and its `docs` 200 example."""
    document = shared_openapi()
    for operation_id, _, path, operation in operations(document):
        if f"{GUIDE_URL}{path}" in block:
            media = operation["responses"]["200"]["content"]["application/json"]
            example: Node = resolve(document, media["examples"]["docs"])[0]["value"]
            return operation_id, example
    raise AssertionError(f"no operation of openapi.yaml in:\n{block}")


@pytest.fixture(scope="module")
def make_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The mock as `make mock` starts it: a file database, seeded when new."""
    db: Path = tmp_path_factory.mktemp("mock") / "octave.db"
    with serving(db) as served:
        yield served


def test_the_guide_prints_the_three_requests() -> None:
    """One block per operation, in the guide's order: Get Product, Get Segment, Update."""
    expected = ["getProduct", "getSegment", "updateReference"]
    assert expected == [docs_answer(block)[0] for block in REQUESTS]


@pytest.mark.parametrize("block", REQUESTS, ids=[docs_answer(block)[0] for block in REQUESTS])
def test_the_docs_request_gets_the_docs_answer(make_mock: Served, block: str) -> None:
    """The block, run by bash against the mock, answers 200 with the spec's `docs` example."""
    assert BASH, "the guide's requests need bash on PATH"
    assert CURL, "the guide's requests need curl on PATH"
    operation_id, expected = docs_answer(block)
    command = block.replace(GUIDE_URL, make_mock.base_url).replace(
        "curl ", f"curl --silent --show-error --write-out '{STATUS_MARK}%{{http_code}}' ", 1
    )
    completed = subprocess.run(  # noqa: S603 - the guide's own command, against a local mock
        [BASH, "-c", command], capture_output=True, text=True, timeout=30, check=False
    )
    assert 0 == completed.returncode, completed.stderr
    body, status = completed.stdout.rsplit(STATUS_MARK, 1)
    assert "200" == status, body
    answer: Node = json.loads(body)
    assert without_varying(operation_id, expected) == without_varying(operation_id, answer)
