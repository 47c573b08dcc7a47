"""Every tool a team may point at openapi.yaml reads it with no error and no warning.

Each tool is the version the kit pins (requirements.txt, package.json), run as a user runs
it. Where a tool is wrong about OpenAPI, a minimal document shows it (the last tests): the
spec uses a form that every tool reads instead, and docs/contract.md says why.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
import yaml
from schemathesis.core.result import Err

from octave_kit.contract_file import SPEC_PATH
from octave_kit.local_server import free_port, wait_until
from octave_mock import Settings
from octave_mock.testing import running_mock
from spec_tools.specmatic_tests import (
    DOCS_WORKSPACE,
    problems,
    specmatic_command,
    specmatic_test,
)
from tests.openapi_document import REPO_ROOT

NODE_BIN = REPO_ROOT / "node_modules" / ".bin"
QUIET_NODE = {
    **os.environ,
    "OPTIC_TELEMETRY_LEVEL": "off",
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
}


def run(
    *command: str | Path, cwd: Path = REPO_ROOT, env: dict[str, str] = QUIET_NODE
) -> subprocess.CompletedProcess[str]:
    """A pinned tool's command, its output captured."""
    return subprocess.run(  # noqa: S603 - fixed argv of pinned tools
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_specmatic_tests_run_clean_against_the_mock(tmp_path: Path) -> None:
    """`specmatic test` loads the spec without a warning and its example tests all pass."""
    with running_mock(Settings()) as mock:
        completed = specmatic_test(
            mock.base_url, mock.key(DOCS_WORKSPACE), generative=False, workdir=tmp_path
        )
    assert [] == problems(completed), completed.stdout[-4000:]
    assert "Tests run: 7, Successes: 7" in completed.stdout


def committed(repo: Path, message: str) -> None:
    """Commit everything in the scratch repository."""
    for command in (["add", "."], ["commit", "-qm", message]):
        git = ["git", "-c", "user.name=kit", "-c", "user.email=kit@example.com", *command]
        assert 0 == run(*git, cwd=repo).returncode


def test_specmatic_backward_compatibility_check_reads_it_clean(tmp_path: Path) -> None:
    """`backward-compatibility-check` on a description-only change: compatible, no warning."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert 0 == run("git", "init", "-q", "-b", "main", cwd=tmp_path).returncode
    committed(tmp_path, "base")
    assert 0 == run("git", "checkout", "-qb", "change", cwd=tmp_path).returncode
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  summary: Three", "  summary: The three", 1), encoding="utf-8")
    committed(tmp_path, "change")
    with specmatic_command() as specmatic:
        completed = run(
            *specmatic,
            "backward-compatibility-check",
            "--base-branch",
            "main",
            "--target-path",
            "openapi.yaml",
            cwd=tmp_path,
        )
    output = completed.stdout + completed.stderr
    assert "(COMPATIBLE) The spec is backward compatible" in output, output[-4000:]
    assert "Files checked: 1 (Passed: 1, Failed: 0)" in output
    assert [] == [line for line in output.splitlines() if "WARNING" in line or "ERROR" in line]


def test_optic_strict_validation_accepts_it() -> None:
    """`optic diff --check` in its default (strict) validation loads the spec."""
    completed = run(NODE_BIN / "optic", "diff", "openapi.yaml", "openapi.yaml", "--check")
    assert 0 == completed.returncode, completed.stdout + completed.stderr
    assert "invalid openapi" not in completed.stdout + completed.stderr


@pytest.fixture(scope="module")
def spectral_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One Spectral run (`spectral:oas`, .spectral.yaml) over openapi.yaml and a copy with an
    example of the wrong type: the codes it reports, by file name."""
    document = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    document["components"]["examples"]["ProductDocs"]["value"]["active"] = "yes"
    broken = tmp_path_factory.mktemp("spectral") / "broken.yaml"
    broken.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    spectral = NODE_BIN / "spectral"
    completed = run(
        spectral,
        "lint",
        "openapi.yaml",
        broken,
        "--ruleset",
        ".spectral.yaml",
        "-f",
        "json",
        "--quiet",
    )
    found: dict[str, list[str]] = {"openapi.yaml": [], broken.name: []}
    for problem in json.loads(completed.stdout):
        found[Path(problem["source"]).name].append(problem["code"])
    return found


def test_spectral_reports_nothing(spectral_results: dict[str, list[str]]) -> None:
    """Spectral's `spectral:oas` ruleset (.spectral.yaml) finds no error, warning or hint."""
    assert [] == spectral_results["openapi.yaml"]


def test_spectral_reports_a_broken_example(spectral_results: dict[str, list[str]]) -> None:
    """The same Spectral run does report an example of the wrong type, so it is not vacuous."""
    assert ["oas3-valid-media-example"] == spectral_results["broken.yaml"]


@pytest.fixture
def prism_log(tmp_path: Path) -> Iterator[Path]:
    """`prism mock openapi.yaml` on a free port, its log in a file, stopped after the test."""
    log, port = tmp_path / "prism.log", str(free_port())
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(  # noqa: S603 - the pinned Prism
            [str(NODE_BIN / "prism"), "mock", "openapi.yaml", "-h", "127.0.0.1", "-p", port],
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_until(
                lambda: "Prism is listening" in log.read_text(encoding="utf-8"),
                120,
                what="prism mock",
                still_running=lambda: process.poll() is None,
            )
            yield log
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_prism_mocks_it_without_a_warning(prism_log: Path) -> None:
    """Prism loads the spec, lists the three operations and says nothing is wrong."""
    text = prism_log.read_text(encoding="utf-8")
    routes = [line.split()[-2:] for line in text.splitlines() if "info" in line]
    assert 3 == len(routes), text
    levels = ("warning", "error", "fatal", "⚠", "✖")
    assert [] == [line for line in text.splitlines() if any(level in line for level in levels)]


def test_schemathesis_loads_every_operation_and_the_link() -> None:
    """schemathesis reads the three operations and builds its state machine from the link."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        schema = schemathesis.openapi.from_path(SPEC_PATH)
        results = list(schema.get_all_operations())
        machine = schema.as_state_machine()
    assert [] == [result.err() for result in results if isinstance(result, Err)]
    assert 3 == len(results)
    links = [name for name in dir(machine) if "updateSameReference" in name]
    assert links, dir(machine)


def test_openapi_python_client_generates_without_a_warning(tmp_path: Path) -> None:
    """The generator, with --fail-on-warning, prints no warning and makes the package."""
    venv_bin = REPO_ROOT / ".venv" / "bin"
    completed = run(
        venv_bin / "openapi-python-client",
        "generate",
        "--path",
        SPEC_PATH,
        "--config",
        REPO_ROOT / "generator-config.yml",
        "--custom-template-path",
        REPO_ROOT / "templates",
        "--output-path",
        tmp_path / "client",
        "--fail-on-warning",
        cwd=tmp_path,
        # Its post-hooks run ruff from PATH: the pinned one, as `make generate` does.
        env={**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}"},
    )
    output = completed.stdout + completed.stderr
    assert 0 == completed.returncode, output
    assert "warning" not in output.lower(), output
    assert (tmp_path / "client" / "octave_client" / "py.typed").is_file()


# Where a tool is wrong: each minimal document below is valid OpenAPI 3.1.

LINK_WITH_BODY_OBJECT = {
    "openapi": "3.1.0",
    "info": {"title": "link", "version": "1.0.0"},
    "paths": {
        "/items": {
            "post": {
                "operationId": "updateItem",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {
                    "200": {
                        "description": "updated",
                        "links": {
                            "again": {
                                "operationId": "updateItem",
                                # OpenAPI 3.1: "requestBody: Any | {expression}"
                                "requestBody": {"id": "$response.body#/id"},
                            }
                        },
                    }
                },
            }
        }
    },
}


def test_optic_strict_validation_rejects_a_link_body_object(tmp_path: Path) -> None:
    """Optic's schema makes a link's requestBody `oneOf` two schemas that an object both matches.

    So any object is refused, though OpenAPI 3.1 allows any value; a string passes.
    """
    spec = tmp_path / "link.yaml"
    spec.write_text(yaml.safe_dump(LINK_WITH_BODY_OBJECT), encoding="utf-8")
    completed = run(NODE_BIN / "optic", "diff", spec.name, spec.name, "--check", cwd=tmp_path)
    output = completed.stdout + completed.stderr
    assert "requestBody must match exactly one schema in oneOf" in output, output


def test_specmatic_is_wrong_about_link_bodies_and_any_of_extra_keys(tmp_path: Path) -> None:
    """Specmatic's parser wants a link's requestBody to be a string, and it does not see that
    an `anyOf` option with `additionalProperties: true` allows a key no option declares."""
    document = json.loads(json.dumps(LINK_WITH_BODY_OBJECT))
    document["paths"]["/offerings"] = {
        "get": {
            "parameters": [
                {
                    "name": "id",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string"},
                    "examples": {"other": {"value": "o_1"}},
                }
            ],
            "responses": {
                "200": {
                    "description": "an offering",
                    "content": {
                        "application/json": {
                            "schema": {
                                "anyOf": [
                                    {"type": "object", "properties": {"type": {"const": "A"}}},
                                    {"type": "object", "additionalProperties": True},
                                ]
                            },
                            "examples": {"other": {"value": {"type": "B", "parts": ["x"]}}},
                        }
                    },
                }
            },
        }
    }
    spec = tmp_path / "wrong.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    completed = specmatic_test(
        "http://127.0.0.1:9", "unused", generative=False, spec=spec, workdir=tmp_path
    )
    output = completed.stdout + completed.stderr
    assert "links.again.requestBody is not of type `string`" in output, output[-4000:]
    assert "Key 'parts' is not declared in any anyOf option" in output, output[-4000:]


class KnownItemOnly(BaseHTTPRequestHandler):
    """GET /items?id=known is 200 `{"id": "known"}`; any other id is the documented 404."""

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        known = query.get("id") == ["known"]
        body = json.dumps({"id": "known"} if known else {"message": "no such item"}).encode()
        self.send_response(200 if known else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads Specmatic's output, not the server's."""


ITEM_WITH_MIN_LENGTH = {
    "openapi": "3.1.0",
    "info": {"title": "ids", "version": "1.0.0"},
    "paths": {
        "/items": {
            "get": {
                "parameters": [
                    {
                        "name": "id",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1},
                        "examples": {"known": {"value": "known"}},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "the item",
                        "content": {
                            "application/json": {
                                "schema": {"type": "object"},
                                "examples": {"known": {"value": {"id": "known"}}},
                            }
                        },
                    },
                    "404": {
                        "description": "no item has this id",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                },
            }
        }
    },
}


def test_specmatic_demands_a_200_for_a_one_character_id(tmp_path: Path) -> None:
    """With a `minLength` on an id, Specmatic's generated tests send a one-character id and
    call the documented 404 for it a failure: a schema-valid id need not name anything."""
    spec = tmp_path / "ids.yaml"
    spec.write_text(yaml.safe_dump(ITEM_WITH_MIN_LENGTH), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), KnownItemOnly)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        completed = specmatic_test(
            f"http://127.0.0.1:{server.server_port}",
            "unused",
            generative=True,
            spec=spec,
            workdir=tmp_path,
        )
    finally:
        server.shutdown()
        server.server_close()
    output = completed.stdout
    assert "id is set to the shortest possible string has FAILED" in output, output[-4000:]
    assert "Specification expected status 200 but response contained status 404" in output
