"""Seed files: the bundled one is rich enough; a bad one names file, line, entry and field."""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from octave_cli.main import main
from octave_kit.contract_file import SPEC_PATH
from octave_kit.resources import RESOURCES
from octave_kit.seed import DEFAULT_SEED, Seed, SeedError, load_seed
from octave_kit.spec import Spec
from tests.cli_main import Cli
from tests.mock.support import (
    ACME,
    DELETED_PRODUCT,
    DELETED_REFERENCE,
    FULL_SEGMENT,
    GLOBEX,
    GLOBEX_PRODUCT,
    GLOBEX_REFERENCE,
    GLOBEX_SEGMENT,
    MINIMAL_SEGMENT,
    NULL_DATA_REFERENCE,
    PRODUCT,
    REFERENCE,
    SERVICE,
    SOLUTION,
)
from tests.openapi_document import REPO_ROOT


@functools.cache
def spec() -> Spec:
    return Spec.load(SPEC_PATH)


@functools.cache
def bundled() -> Seed:
    return load_seed(DEFAULT_SEED, spec())


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# (id, seed text, the message after "<file>:": "<line>:<column>: <path>: <problem>")
BAD_SEEDS = [
    (
        "product-field-of-wrong-type",
        """\
        workspaces:
          - oId: wa_one
            keys:
              - key: k_one
            products:
              - oId: p_ok
                createdAt: '2025-01-01'
                data: {type: PRODUCT}
                user: {oId: u_1}
              - oId: p_x
                createdAt: '2025-01-01'
                name: 5
                data: {type: SERVICE}
                user: {oId: u_1}
        """,
        "12:15: workspaces[0].products[1].name: expected string or null, got number",
    ),
    (
        "product-without-data",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - oId: p_x
                createdAt: '2025-01-01'
                user: {oId: u_1}
        """,
        "5:9: workspaces[0].products[0].data: is required",
    ),
    (
        "segment-missing-required-field",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            segments:
              - oId: sg_x
                createdAt: null
                name: Segment
                internalName: SEG
                description: A segment.
                unrecognized: false
        """,
        "5:9: workspaces[0].segments[0].rejected: is required",
    ),
    (
        "reference-list-of-numbers",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            references:
              - oId: r_x
                createdAt: '2025-01-01'
                data: null
                user: {oId: u_1}
              - oId: r_y
                createdAt: '2025-01-01'
                data: null
                user: {oId: 7}
        """,
        "12:21: workspaces[0].references[1].user.oId: expected string, got number",
    ),
    (
        "entry-without-oid",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - createdAt: '2025-01-01'
                data: {type: PRODUCT}
                user: {oId: u_1}
        """,
        "5:9: workspaces[0].products[0].oId: is required",
    ),
    (
        "entry-not-a-mapping",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            segments:
              - sg_x
        """,
        "5:9: workspaces[0].segments[0]: expected object, got string",
    ),
    (
        "section-not-a-list",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            references: {oId: r_x}
        """,
        "4:17: workspaces[0].references: expected array, got object",
    ),
    (
        "duplicate-oid-in-a-workspace",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - oId: p_ok
                createdAt: '2025-01-01'
                data: {type: PRODUCT}
                user: {oId: u_1}
              - oId: p_ok
                createdAt: '2025-01-02'
                data: {type: PRODUCT}
                user: {oId: u_1}
        """,
        "9:14: workspaces[0].products[1].oId: p_ok appears twice",
    ),
    (
        "duplicate-oid-across-workspaces",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - oId: p_ok
                createdAt: '2025-01-01'
                data: {type: PRODUCT}
                user: {oId: u_1}
          - oId: wa_two
            keys: [{key: k_two}]
            products:
              - oId: p_ok
                createdAt: '2025-01-01'
                data: {type: PRODUCT}
                user: {oId: u_2}
        """,
        "12:14: workspaces[1].products[0].oId: p_ok appears twice",
    ),
    (
        "duplicate-key-across-workspaces",
        """\
        workspaces:
          - oId: wa_one
            keys:
              - key: k_shared
          - oId: wa_two
            keys:
              - key: k_two
              - key: k_shared
        """,
        "8:14: workspaces[1].keys[1].key: appears twice; every key names one workspace",
    ),
    (
        "duplicate-workspace",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
          - oId: wa_one
            keys: [{key: k_two}]
        """,
        "4:10: workspaces[1].oId: wa_one appears twice",
    ),
    (
        "workspace-without-oid",
        """\
        workspaces:
          - name: Nameless
            keys: [{key: k_one}]
        """,
        "2:5: workspaces[0].oId: is required",
    ),
    (
        "missing-keys",
        """\
        workspaces:
          - oId: wa_one
            products: []
        """,
        "2:5: workspaces[0].keys: is required",
    ),
    (
        "empty-keys",
        """\
        workspaces:
          - oId: wa_one
            keys: []
        """,
        "3:11: workspaces[0].keys: must not be empty",
    ),
    (
        "key-without-key",
        """\
        workspaces:
          - oId: wa_one
            keys:
              - readOnly: true
        """,
        "4:9: workspaces[0].keys[0].key: is required",
    ),
    (
        "read-only-not-boolean",
        """\
        workspaces:
          - oId: wa_one
            keys:
              - key: k_one
                readOnly: 'yes'
        """,
        "5:19: workspaces[0].keys[0].readOnly: expected boolean, got string",
    ),
    (
        "section-name-misspelt",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            prodcts: []
        """,
        "4:5: workspaces[0].prodcts: is not a known field",
    ),
    (
        "key-field-misspelt",
        """\
        workspaces:
          - oId: wa_one
            keys:
              - key: k_one
                readonly: true
        """,
        "5:9: workspaces[0].keys[0].readonly: is not a known field",
    ),
    (
        "unknown-product-field",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - oId: p_x
                createdAt: '2025-01-01'
                data: {type: PRODUCT}
                user: {oId: u_1}
                colour: blue
        """,
        "9:9: workspaces[0].products[0].colour: is not a known field",
    ),
    (
        "unknown-field-deep-inside",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            references:
              - oId: r_x
                createdAt: '2025-01-01'
                data: null
                user: {oId: u_1, nickname: Jo}
        """,
        "8:26: workspaces[0].references[0].user.nickname: is not a known field",
    ),
    (
        "member-the-mock-fills-in",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            segments:
              - oId: sg_x
                workspace: {oId: wa_other}
        """,
        "6:9: workspaces[0].segments[0].workspace: is filled in by the mock; leave it out",
    ),
    (
        "no-workspaces",
        """\
        # a comment, then a list where a mapping belongs
        - oId: wa_one
        """,
        "2:1: seed: expected object, got array",
    ),
    (
        "unquoted-date",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - {oId: p_x, createdAt: 2025-01-01}
        """,
        "5:31: workspaces[0].products[0].createdAt: '2025-01-01' is a YAML date or timestamp, "
        "which JSON cannot hold: quote it",
    ),
    (
        "unquoted-timestamp",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - {oId: p_x, createdAt: 2025-01-01T10:00:00Z}
        """,
        "5:31: workspaces[0].products[0].createdAt: '2025-01-01T10:00:00Z' is a YAML date or "
        "timestamp, which JSON cannot hold: quote it",
    ),
    (
        "binary-value",
        """\
        workspaces:
          - oId: wa_one
            keys: [{key: k_one}]
            products:
              - {oId: p_x, createdAt: !!binary aGVsbG8=}
        """,
        "5:31: workspaces[0].products[0].createdAt: 'aGVsbG8=' is YAML binary data, "
        "which JSON cannot hold: quote it",
    ),
]
BAD_SEED_IDS = [case[0] for case in BAD_SEEDS]


def test_bundled_seed_has_two_rich_workspaces() -> None:
    """At least two workspaces, each with a key, products, segments and references."""
    seed = bundled()
    kinds = {ws: {e.kind for e in seed.entries if e.workspace_oid == ws} for ws in seed.workspaces}
    keyed = {key.workspace_oid for key in seed.keys}
    expected = {ws: {resource.kind for resource in RESOURCES} for ws in seed.workspaces}
    assert expected == kinds
    assert set(seed.workspaces) == keyed
    assert len(seed.workspaces) >= 2, seed.workspaces


def test_bundled_seed_has_what_the_tests_name() -> None:
    """Each object tests/mock names: (workspace, data.type, deleted, has data, has user)."""
    expected = {
        PRODUCT: (ACME, "PRODUCT", False, True, True),
        SERVICE: (ACME, "SERVICE", False, True, True),
        SOLUTION: (ACME, "SOLUTION", False, True, True),
        DELETED_PRODUCT: (ACME, "PRODUCT", True, True, True),
        FULL_SEGMENT: (ACME, None, False, True, True),
        MINIMAL_SEGMENT: (ACME, None, False, False, False),
        REFERENCE: (ACME, None, False, True, True),
        NULL_DATA_REFERENCE: (ACME, None, False, False, True),
        DELETED_REFERENCE: (ACME, None, True, True, True),
        GLOBEX_PRODUCT: (GLOBEX, "PRODUCT", False, True, True),
        GLOBEX_SEGMENT: (GLOBEX, None, False, True, True),
        GLOBEX_REFERENCE: (GLOBEX, None, False, True, True),
    }
    found = {}
    for entry in bundled().entries:
        doc = entry.doc
        if doc["oId"] in expected:
            data = doc.get("data")
            found[doc["oId"]] = (
                entry.workspace_oid,
                data.get("type") if isinstance(data, dict) else None,
                bool(doc.get("deletedAt")),
                data is not None,
                "user" in doc,
            )
    assert expected == found


def test_bundled_seed_has_a_read_only_key_in_the_first_workspace() -> None:
    """Workspace A has both a read-write and a read-only key."""
    expected = {False, True}
    assert expected == {key.read_only for key in bundled().keys if key.workspace_oid == ACME}


@pytest.mark.parametrize(("case", "text", "message"), BAD_SEEDS, ids=BAD_SEED_IDS)
def test_bad_seed_names_file_line_entry_and_field(
    tmp_path: Path, case: str, text: str, message: str
) -> None:
    """SeedError's message is `<file>:<line>: <entry>: <field>: <problem>`."""
    path = write(tmp_path, text)
    with pytest.raises(SeedError) as raised:
        load_seed(path, spec())
    expected = f"{path}:{message}"
    assert expected == str(raised.value)


@pytest.mark.parametrize(("case", "text", "message"), BAD_SEEDS, ids=BAD_SEED_IDS)
def test_check_seed_reports_a_bad_seed_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, text: str, message: str
) -> None:
    """`octave-mock check-seed --seed BAD` exits 2 with the message on stderr, nothing on stdout."""
    path = write(tmp_path, text)
    status = main(["check-seed", "--seed", str(path)])
    expected = (2, "", f"octave-mock: {path}:{message}\n")
    assert expected == (status, *capsys.readouterr())


@pytest.mark.parametrize(
    ("data", "oid"),
    [("{type: WIDGET, summary: New kind}", "p_widget"), ("{summary: No type at all}", "p_untyped")],
    ids=["unknown-type", "no-type"],
)
def test_product_data_of_any_type_or_none_is_accepted(tmp_path: Path, data: str, oid: str) -> None:
    """The spec reads an unknown or missing `data.type` as a generic offering, so the seed may."""
    path = write(
        tmp_path,
        f"""\
        workspaces:
          - oId: wa_one
            keys: [{{key: k_one}}]
            products:
              - oId: {oid}
                createdAt: '2025-01-01'
                data: {data}
                user: {{oId: u_1}}
        """,
    )
    expected = [oid]
    assert expected == [entry.doc["oId"] for entry in load_seed(path, spec()).entries]


def test_not_yaml_is_one_line_at_the_place_yaml_stopped(tmp_path: Path) -> None:
    """Text that is not YAML is refused in one line: the file, line and column, and why."""
    path = write(tmp_path, "workspaces:\n  - oId: wa_one\n   keys: [\n")
    with pytest.raises(SeedError) as raised:
        load_seed(path, spec())
    expected = f"{path}:3:4: not valid YAML: did not find expected '-' indicator"
    assert expected == str(raised.value)


def test_unsafe_yaml_tag_is_refused(tmp_path: Path) -> None:
    """A Python object tag is not constructed; the seed is refused as not valid YAML."""
    path = write(tmp_path, "workspaces: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(SeedError) as raised:
        load_seed(path, spec())
    assert str(raised.value).startswith(f"{path}:1:13: not valid YAML: "), raised.value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "seed: expected object, got null"),
        ("# only a comment\n", "seed: expected object, got null"),
        ("workspaces: []\n", "1:13: workspaces: must not be empty"),
    ],
    ids=["empty", "comment", "no-workspaces"],
)
def test_empty_seed_is_refused(tmp_path: Path, text: str, message: str) -> None:
    """A seed with no workspaces at all is refused."""
    path = write(tmp_path, text)
    with pytest.raises(SeedError) as raised:
        load_seed(path, spec())
    expected = f"{path}:{message}" if message[0].isdigit() else f"{path}: {message}"
    assert expected == str(raised.value)


def test_missing_seed_file_is_refused(tmp_path: Path) -> None:
    """A seed path that does not exist is refused naming the path."""
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(SeedError) as raised:
        load_seed(path, spec())
    expected = f"{path}: cannot read the seed file: No such file or directory"
    assert expected == str(raised.value)


def test_check_seed_process_prints_no_traceback(tmp_path: Path) -> None:
    """As a process, check-seed on a bad seed exits 2 with one message line and no traceback."""
    _, text, message = BAD_SEEDS[0]
    path = write(tmp_path, text)
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "octave_mock", "check-seed", "--seed", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    expected = (2, "", f"octave-mock: {path}:{message}\n")
    assert expected == (completed.returncode, completed.stdout, completed.stderr)


def test_check_seed_accepts_the_bundled_seed() -> None:
    """The installed `octave-mock check-seed` exits 0 on the bundled seed and says what it holds."""
    script = Path(sys.executable).with_name("octave-mock")
    completed = subprocess.run(  # noqa: S603 - the project's own console script
        [str(script), "check-seed"], capture_output=True, text=True, timeout=30, check=False
    )
    seed = bundled()
    summary = (
        f"{DEFAULT_SEED}: {len(seed.workspaces)} workspaces, {len(seed.keys)} keys, "
        f"{len(seed.entries)} objects: valid\n"
    )
    expected = (0, summary, "")
    assert expected == (completed.returncode, completed.stdout, completed.stderr)


def test_check_seed_counts_one_of_each_in_the_singular(cli: Cli, tmp_path: Path) -> None:
    """A seed of one workspace, key and object is said to hold "1 workspace, 1 key, 1 object"."""
    path = tmp_path / "one.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            workspaces:
              - oId: wa_one
                keys: [{key: mock_one_rw_0000000001}]
                segments:
                  - {oId: sg_one, createdAt: null, name: One, internalName: one,
                     description: One segment, unrecognized: false, rejected: false}
            """
        ),
        encoding="utf-8",
    )
    completed = cli("check-seed", "--seed", path)
    expected = (0, f"{path}: 1 workspace, 1 key, 1 object: valid\n", "")
    assert expected == (completed.returncode, completed.stdout, completed.stderr)


def test_the_mock_guide_lists_the_seeded_objects() -> None:
    """docs/mock.md's table of seeded objects is the bundled seed: oIds, kinds, names, states."""
    readme = (REPO_ROOT / "docs" / "mock.md").read_text(encoding="utf-8")
    block = readme.split("<!-- seeded-objects")[1].split("<!-- /seeded-objects -->")[0]
    rows = [
        [cell.strip(" `") for cell in line.strip().strip("|").split("|")]
        for line in block.splitlines()
        if line.startswith("| `")
    ]
    listed = [(oid, kind, workspace, name) for oid, kind, workspace, name, _ in rows]
    notes = {row[0]: row[4] for row in rows}
    entries = bundled().entries
    expected = [(e.doc["oId"], e.kind, e.workspace_oid, e.doc.get("name")) for e in entries]
    assert expected == listed
    for entry in entries:
        note, doc = notes[entry.doc["oId"]], entry.doc
        assert ("deleted" in note) == bool(doc.get("deletedAt")), (note, doc["oId"])
        assert ("data: null" in note) == (doc.get("data", {}) is None), (note, doc["oId"])
        if entry.kind == "product":
            assert note.startswith((doc.get("data") or {}).get("type", "")), (note, doc["oId"])


MANY_FINDINGS = """\
workspaces:
  - oId: wa_one
    keys:
      - key: mock_one_rw_0000000001
      - key: mock_one_rw_0000000001
    products:
      - oId: p_one
        name: 42
        data: {type: PRODUCT}
        user: {oId: u_1}
      - oId: p_two
        createdAt: '2026-01-01'
        name: Two
        data: {type: PRODUCT}
        user: {oId: u_1}
        workspace: {oId: wa_one}
  - oId: wa_one
    keys: [{key: mock_one_rw_0000000002}]
"""


def test_check_seed_lists_every_finding_of_a_file_at_once_each_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As add_segment names every field at once: one run, every problem, in the file's order."""
    path = write(tmp_path, MANY_FINDINGS)
    status = main(["check-seed", "--seed", str(path)])
    expected = (
        f"octave-mock: {path}: 5 findings\n"
        f"  {path}:5:14: workspaces[0].keys[1].key: appears twice; every key names one workspace\n"
        f"  {path}:7:9: workspaces[0].products[0].createdAt: is required\n"
        f"  {path}:8:15: workspaces[0].products[0].name: expected string or null, got number\n"
        f"  {path}:16:9: workspaces[0].products[1].workspace: is filled in by the mock; "
        "leave it out\n"
        f"  {path}:17:10: workspaces[1].oId: wa_one appears twice\n"
    )
    assert (2, "", expected) == (status, *capsys.readouterr())


def test_a_seed_wrong_throughout_shows_its_first_findings_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    products = "".join(f"      - {{oId: p_{n}, name: {n}}}\n" for n in range(30))
    path = write(
        tmp_path,
        f"workspaces:\n  - oId: wa_one\n    keys: [{{key: k_1}}]\n    products:\n{products}",
    )
    with pytest.raises(SeedError) as raised:
        load_seed(path, spec())
    lines = str(raised.value).splitlines()
    assert (f"{path}: 120 findings", "  ... and 70 more") == (lines[0], lines[-1])
    assert 52 == len(lines)
