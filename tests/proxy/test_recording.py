"""`--record` and the drift report, through the proxy in front of an upstream that drifts."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from octave_cli.main import main
from octave_kit.contract_file import SPEC_PATH
from octave_kit.seed import DEFAULT_SEED, load_seed
from octave_kit.spec import Spec
from octave_mock import Settings, create_app
from octave_mock.testing import running_mock, serving
from octave_proxy import ProxySettings, ValidatingProxy
from octave_proxy.drift import drift_path
from tests.proxy.drifting import (
    ADDED,
    PRODUCT_PATH,
    RENAMED,
    SEGMENT_PATH,
    UNDECLARED,
    UPDATE_PATH,
    drifting,
    without_undeclared,
)

BUNDLED = load_seed(DEFAULT_SEED, Spec.load(SPEC_PATH))
UPSTREAM_KEYS = {key.key for key in BUNDLED.keys}
READ_PATHS = {"product": PRODUCT_PATH, "segment": SEGMENT_PATH}
# (workspace, kind, oId) of every object of the bundled seed.
OBJECTS = [(e.workspace_oid, e.kind, e.doc["oId"]) for e in BUNDLED.entries]
Answers = dict[tuple[str, str], dict[str, Any]]  # (kind, oId) -> the body the client got


def upstream_key(workspace: str) -> str:
    return next(k.key for k in BUNDLED.keys if k.workspace_oid == workspace and not k.read_only)


@contextmanager
def recording_proxy(record: Path, report: Path | None = None) -> Iterator[str]:
    """The proxy, recording, in front of a fresh drifting upstream; files written at the end."""
    with serving(drifting(create_app(Settings()))) as upstream:
        settings = ProxySettings(upstream, SPEC_PATH, report_path=report, record_path=record)
        with serving(ValidatingProxy(settings)) as proxy:
            yield proxy


def send(proxy: str, objects: list[tuple[str, str, str]], updates: bool = True) -> Answers:
    """Read every product and segment (and update every reference) through the proxy."""
    answers: Answers = {}
    with httpx.Client(base_url=proxy) as http:  # one client: each new one loads the CA store
        for workspace, kind, oid in objects:
            headers = {"api_key": upstream_key(workspace)}
            if kind in READ_PATHS:
                answer = http.get(READ_PATHS[kind], params={"oId": oid}, headers=headers)
            elif updates:
                answer = http.post(UPDATE_PATH, json={"oId": oid}, headers=headers)
            else:
                continue
            if answer.status_code == 200:
                body = answer.json()
                answers[kind, oid] = body["data"] if kind == "reference" else body
    return answers


def recorded_keys(seed: Path) -> dict[str, str]:
    """workspace oId -> its read-write key, as the recording wrote them."""
    data = yaml.safe_load(seed.read_text(encoding="utf-8"))
    return {
        w["oId"]: next(k["key"] for k in w["keys"] if not k.get("readOnly"))
        for w in data["workspaces"]
    }


def without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name not in names}


def test_a_recording_passes_check_seed_and_serves_what_the_upstream_answered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """check-seed accepts it; the mock serving it answers each object's declared members."""
    seed = tmp_path / "recorded.yaml"
    with recording_proxy(seed) as proxy:
        answered = send(proxy, OBJECTS)
    assert 0 == main(["check-seed", "--seed", str(seed)])
    assert capsys.readouterr().out.endswith(": valid\n")
    keys = recorded_keys(seed)
    served: Answers = {}
    with (
        running_mock(Settings(seed_path=seed)) as mock,
        httpx.Client(base_url=mock.base_url) as http,
    ):
        for (kind, oid), body in answered.items():
            workspace = body["workspace"]["oId"]
            headers = {"api_key": keys[workspace]}
            if kind in READ_PATHS:
                answer = http.get(READ_PATHS[kind], params={"oId": oid}, headers=headers)
                served[kind, oid] = answer.json()
            else:
                answer = http.post(UPDATE_PATH, json={"oId": oid}, headers=headers)
                served[kind, oid] = answer.json()["data"]
    expected = {
        name: without(without_undeclared(body), "_metadata", "updatedAt")
        for name, body in answered.items()
    }
    actual = {name: without(body, "_metadata", "updatedAt") for name, body in served.items()}
    assert len(answered) >= 10
    assert expected == actual


def test_a_recording_leaves_out_metadata_undeclared_members_and_the_upstream_s_keys(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Each workspace gets mock keys of its own; the upstream's appear nowhere."""
    seed, report = tmp_path / "recorded.yaml", tmp_path / "proxy.jsonl"
    with caplog.at_level(logging.INFO), recording_proxy(seed, report) as proxy:
        send(proxy, OBJECTS)
    text = seed.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    members = set(re.findall(r"^\s*-?\s*([A-Za-z_]+):", text, re.MULTILINE))
    everything = (
        text + report.read_text(encoding="utf-8") + drift_path(report).read_text(encoding="utf-8")
    )
    assert [] == [key for key in UPSTREAM_KEYS if key in everything + caplog.text]
    assert set() == members & (UNDECLARED | {"_metadata", "workspace"})
    assert sorted(BUNDLED.workspaces) == [w["oId"] for w in data["workspaces"]]
    assert all(
        [False, True] == [k.get("readOnly", False) for k in w["keys"]] for w in data["workspaces"]
    )
    assert text.startswith("# Recorded by `octave-mock proxy --record` from http://127.0.0.1:")
    assert "may hold customer data" in text.splitlines()[1]


def test_recording_the_same_reads_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    """Into the same file, in another order: unchanged; into a new file: the same but the keys."""
    reads = [o for o in OBJECTS if o[1] in READ_PATHS]
    seed, fresh = tmp_path / "recorded.yaml", tmp_path / "fresh.yaml"
    with recording_proxy(seed) as proxy:
        send(proxy, reads)
    first = seed.read_bytes()
    with recording_proxy(seed) as proxy:
        send(proxy, [*reversed(reads), *reads[:3]])
    with recording_proxy(fresh) as proxy:
        send(proxy, list(reversed(reads)))

    def content(path: Path) -> list[str]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [line for line in lines if not line.startswith("#") and "key: mock_" not in line]

    assert first == seed.read_bytes()
    assert content(seed) == content(fresh)
    assert recorded_keys(seed) != recorded_keys(fresh)


def test_the_drift_report_names_each_added_and_renamed_field_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Undeclared members with counts and JSON types; the renamed one also never seen."""
    report = tmp_path / "proxy.jsonl"
    with recording_proxy(tmp_path / "recorded.yaml", report) as proxy:
        answered = send(proxy, OBJECTS)
    drift = json.loads(drift_path(report).read_text(encoding="utf-8"))
    undeclared = {
        (entry["location"], entry["schema"], member["member"])
        for entry in drift["locations"]
        for member in entry["undeclared"]
    }
    never_seen = {
        (entry["location"], entry["schema"], name)
        for entry in drift["locations"]
        for name in entry["never_seen"]
    }
    location, schema, old, new = RENAMED
    assert ADDED | {(location, schema, new)} == undeclared
    assert (location, schema, old) in never_seen
    products = sum(1 for kind, _ in answered if kind == "product")
    product = next(e for e in drift["locations"] if e["location"] == "Product")
    colour = next(m for m in product["undeclared"] if m["member"] == "colour")
    assert {"member": "colour", "count": products, "types": {"string": products}} == colour
    assert 0 == main(["drift", str(drift_path(report))])
    printed = capsys.readouterr().out.splitlines()
    assert "location schema member finding in objects JSON types" == " ".join(printed[0].split())
    rows = {tuple(line.split()[:4]) for line in printed[1:-1]}
    assert {(*added, "undeclared") for added in ADDED} <= rows
    assert {(location, schema, old, "never"), (location, schema, new, "undeclared")} <= rows


def test_report_lines_carry_the_request_id_the_oid_and_the_time(tmp_path: Path) -> None:
    """The upstream's request id (from `_metadata`), the object asked for, when it arrived."""
    report = tmp_path / "proxy.jsonl"
    with recording_proxy(tmp_path / "recorded.yaml", report) as proxy:
        answer = httpx.get(
            f"{proxy}{PRODUCT_PATH}",
            params={"oId": "p_acme_api"},
            headers={"api_key": upstream_key("wa_acme0001")},
        )
        update = httpx.post(
            f"{proxy}{UPDATE_PATH}",
            json={"oId": "r_acme_dropbox"},
            headers={"api_key": upstream_key("wa_acme0001")},
        )
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    read, written = lines[0], lines[1]
    assert (answer.json()["_metadata"]["requestId"], "p_acme_api", "getProduct") == (
        read["requestId"],
        read["oId"],
        read["operation"],
    )
    assert (update.json()["_metadata"]["requestId"], "r_acme_dropbox") == (
        written["requestId"],
        written["oId"],
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", read["time"]), read["time"]


def test_a_file_that_is_not_a_seed_is_refused_before_recording(tmp_path: Path) -> None:
    """--record into a file that check-seed refuses: a clear error, the file untouched."""
    seed = tmp_path / "notes.yaml"
    seed.write_text("shopping: [milk]\n", encoding="utf-8")
    with pytest.raises(
        Exception,
        match=r"--record: .*notes.yaml is not a seed to add to; record into a new file instead: ",
    ):
        ValidatingProxy(
            ProxySettings(upstream="http://127.0.0.1:1", spec_path=SPEC_PATH, record_path=seed)
        )
    assert "shopping: [milk]\n" == seed.read_text(encoding="utf-8")


def test_a_recording_that_cannot_be_written_is_logged_at_exit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A FILE under a file, not a folder: the proxy says so in its log; nothing is raised."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with (
        caplog.at_level(logging.ERROR, logger="octave_proxy"),
        recording_proxy(blocker / "recorded.yaml") as proxy,
    ):
        send(proxy, OBJECTS[:1])
    assert [f"--record {blocker / 'recorded.yaml'}: cannot write it: File exists"] == [
        record.getMessage() for record in caplog.records if record.name == "octave_proxy"
    ]
