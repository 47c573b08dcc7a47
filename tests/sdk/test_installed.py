"""The SDK as an app installs it: the wheel of `make dist` in a fresh virtualenv outside the kit."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import httpx
import pytest

from octave_kit.keys import key_hint
from octave_mock.testing import RunningMock
from tests.installing import fresh_venv, once_per_run, run
from tests.mock.support import bundled_key
from tests.mock.test_cli import serving
from tests.openapi_document import REPO_ROOT, load_openapi

EXAMPLE = REPO_ROOT / "examples" / "quickstart.py"
ANSWERS_EXAMPLE = REPO_ROOT / "examples" / "answers_and_options.py"
LATENCY_MS = 300
GLOBEX = "wa_globex001"
# An app of the "Done when", run in the fresh virtualenv: it prints what it saw as JSON.
APP = f"""
import json, os
from octave_client import APITimeoutError, BadRequestError, NotFoundError, Octave

facts = {{}}
with Octave(max_retries=0) as octave:
    facts["request_id"] = octave.products.get("p_acme_api").request_id_
    raw = octave.segments.with_raw_response.get("sg_acme_mmsaas")
    facts["raw"] = [raw.status_code, raw.headers["X-Request-Id"], raw.request_id, raw.parse().name]
    other_key = {{"api_key": os.environ["OTHER_WORKSPACE_KEY"]}}
    other = octave.products.get("p_globex_insights", extra_headers=other_key)
    facts["other_workspace"] = other.request_id_
    try:
        octave.products.get("p_acme_api", extra_headers={{"Prefer": "code=404"}})
    except NotFoundError as error:
        facts["prefer"] = [error.request_id, error.message]
    traced = octave.products.get("p_acme_api", extra_query={{"trace": "t-42"}})
    facts["extra_query"] = traced.request_id_
    try:
        octave.references.update("r_acme_dropbox", name="Dropbox", extra_body={{"colour": "blue"}})
    except BadRequestError as error:
        facts["extra_body"] = [error.request_id, error.message]
    try:
        octave.products.get("p_acme_api", timeout={LATENCY_MS / 3000})
    except APITimeoutError as error:
        facts["timed_out"] = str(error)
    facts["next_call"] = octave.products.get("p_acme_api").request_id_
print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    """The client's wheel, built by `make dist` (once for the run)."""
    (built,) = dist.glob("octave_client-*.whl")
    return built


def test_wheel_is_named_and_versioned_after_the_contract(wheel: Path) -> None:
    """The version is openapi.yaml's info.version; the runtime needs are declared."""
    version = load_openapi()["info"]["version"]
    assert f"octave_client-{version}-py3-none-any.whl" == wheel.name
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"octave_client-{version}.dist-info/METADATA").decode()
    requires = sorted(
        line.split()[1] for line in metadata.splitlines() if line.startswith("Requires-Dist")
    )
    assert ["attrs", "httpx", "tenacity"] == requires


@pytest.fixture(scope="module")
def python(wheel: Path, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The interpreter of an app's fresh virtualenv, outside the kit, with the wheel installed:
    made once per run, whichever worker runs these tests."""
    app = once_per_run(
        tmp_path_factory, worker_id, "client-app", lambda folder: fresh_venv(folder / "venv", wheel)
    )
    return app / "venv" / "bin" / "python"


def app_env(base_url: str, key: str) -> dict[str, str]:
    """The app's environment, as the README says to set it, and nothing of the kit's."""
    return {"PATH": os.environ["PATH"], "OCTAVE_API_KEY": key, "OCTAVE_BASE_URL": base_url}


def test_readme_example_runs_from_a_fresh_virtualenv(
    python: Path, tmp_path: Path, mock: RunningMock, key: str
) -> None:
    """pip install of the wheel in a new venv; the README example runs there against the mock."""
    env = app_env(mock.base_url, key)
    where = run(
        python, "-c", "import octave_client; print(octave_client.__file__)", cwd=tmp_path, env=env
    )
    assert where.stdout.startswith(str(python.parents[1])), where.stdout
    completed = run(python, EXAMPLE, cwd=tmp_path, env=env)
    expected = [
        "Acme Onboarding API - PRODUCT",
        "Mid-market SaaS",
        "updated r_acme_dropbox",
        "404 oId: no product p_missing in this workspace",
    ]
    assert expected == completed.stdout.splitlines()


def test_the_client_guide_shows_the_example_as_it_is() -> None:
    """docs/client.md's SDK example is examples/quickstart.py after its docstring, to the letter."""
    code = EXAMPLE.read_text(encoding="utf-8").split('"""\n\n', 1)[1]
    assert code in (REPO_ROOT / "docs" / "client.md").read_text(encoding="utf-8")


def test_answers_and_per_call_options_against_octave_mock_serve(
    python: Path, tmp_path: Path
) -> None:
    """From the wheel, against `octave-mock serve --latency-ms`: request ids, a raw response,
    per-call headers, query and body, and a per-call timeout, as the mock's journal saw them."""
    with serving(tmp_path / "mock.db", "--latency-ms", str(LATENCY_MS)) as served:
        env = {
            **app_env(served.base_url, bundled_key()),
            "OTHER_WORKSPACE_KEY": bundled_key(GLOBEX),
        }
        facts = json.loads(run(python, "-c", APP, cwd=tmp_path, env=env).stdout)
        journal = httpx.get(f"{served.base_url}/_mock/requests").json()["requests"]
    seen = {entry["request_id"]: entry for entry in journal}

    assert 200 == seen[facts["request_id"]]["status"]
    status, header, request_id, name = facts["raw"]
    assert (200, header, "Mid-market SaaS") == (status, request_id, name)
    assert 200 == seen[request_id]["status"]
    # Per-call headers reached the mock: another workspace's key, and a Prefer it obeyed.
    other = seen[facts["other_workspace"]]
    assert (200, GLOBEX, key_hint(bundled_key(GLOBEX))) == (
        other["status"],
        other["workspace"],
        other["key_hint"],
    )
    prefer_id, message = facts["prefer"]
    assert (404, "prefer") == (seen[prefer_id]["status"], seen[prefer_id]["fault"])
    assert "Not Found (asked for by Prefer: code=404)" == message
    assert {"oId": "p_acme_api", "trace": "t-42"} == seen[facts["extra_query"]]["query"]
    body_id, body_message = facts["extra_body"]
    assert {"oId": "r_acme_dropbox", "name": "Dropbox", "colour": "blue"} == seen[body_id]["json"]
    assert (400, "colour: is not a known field") == (seen[body_id]["status"], body_message)
    # A timeout shorter than the mock's latency fails that call only.
    assert facts["timed_out"].startswith(
        f"Request timed out: GET {served.base_url}/api/v2/product/get?oId=p_acme_api ("
    )
    assert 200 == seen[facts["next_call"]]["status"]


def test_the_answers_example_runs_from_a_fresh_virtualenv(
    python: Path, tmp_path: Path, mock: RunningMock, key: str
) -> None:
    """examples/answers_and_options.py (pyright strict in make typecheck) runs as written."""
    completed = run(python, ANSWERS_EXAMPLE, cwd=tmp_path, env=app_env(mock.base_url, key))
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("request id: req_"), lines
    expected = [
        "200 application/json Mid-market SaaS",
        "same id: True",
        "400 region: is not a known field",
        "200 Dropbox True",
    ]
    assert expected == lines[1:]
