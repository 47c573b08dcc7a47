"""The seed cache: an unchanged seed is not parsed again; any change is checked in full."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from octave_cli.main import main
from octave_kit import seed as seed_module
from octave_kit import seed_cache
from octave_kit.contract_file import SPEC_PATH
from octave_kit.local_server import free_port
from octave_kit.seed import DEFAULT_SEED, Seed, SeedError, load_seed
from octave_kit.spec import Spec
from octave_mock import create_app
from octave_mock.settings import Settings

TYPO = "            fitType: GOOD\n"  # a line of the bundled seed's first product


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(seed_cache.CACHE_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The seed files parsed from now on, in order."""
    parsed: list[Path] = []
    original = seed_module._Reader.parse

    def parse(reader: Any) -> Any:
        parsed.append(reader.path)
        return original(reader)

    monkeypatch.setattr(seed_module._Reader, "parse", parse)
    return parsed


def spec() -> Spec:
    return Spec.load(SPEC_PATH)


def copy_of_bundled(tmp_path: Path, replace: tuple[str, str] = ("", "")) -> Path:
    path = tmp_path / "seed.yaml"
    text = DEFAULT_SEED.read_text(encoding="utf-8")
    assert replace[0] in text
    path.write_text(text.replace(*replace, 1), encoding="utf-8")
    return path


def summary(seed: Seed) -> tuple[Any, ...]:
    return (seed.digest, seed.workspaces, seed.keys, seed.object_count, seed.entries)


def test_an_unchanged_seed_is_read_from_its_image(
    tmp_path: Path, cache: Path, parses: list[Path]
) -> None:
    """The second load parses nothing and finds the same workspaces, keys and objects."""
    path = copy_of_bundled(tmp_path)
    first = load_seed(path, spec())
    second = load_seed(path, spec())
    expected = ([path], summary(first), [first.image])
    assert expected == (parses, summary(second), sorted(cache.glob(seed_cache.IMAGE_GLOB)))


def test_a_seed_changed_since_its_image_is_checked_in_full(
    tmp_path: Path, cache: Path, parses: list[Path]
) -> None:
    """A typo added to a seed that passed before is refused: never served from the cache."""
    path = copy_of_bundled(tmp_path)
    load_seed(path, spec())
    copy_of_bundled(tmp_path, (TYPO, TYPO.replace("fitType", "fitTyp")))
    with pytest.raises(SeedError, match=r"qualifyingQuestions\[0\]\.fitTyp: is not a known field"):
        load_seed(path, spec())
    assert [path, path] == parses


def test_a_bad_seed_is_refused_alike_on_every_start(
    tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same one line each time; nothing of a bad seed is kept."""
    path = copy_of_bundled(tmp_path, (TYPO, TYPO.replace("GOOD", "[GOOD]")))
    first = main(["check-seed", "--seed", str(path)])
    first_output = capsys.readouterr()
    second = main(["check-seed", "--seed", str(path)])
    kept: list[Path] = []
    expected = (2, first_output, kept)
    assert expected == (second, capsys.readouterr(), list(cache.glob(seed_cache.IMAGE_GLOB)))
    field = "workspaces[0].products[0].qualifyingQuestions[0].fitType"
    message = f"octave-mock: {path}:44:22: {field}: expected string, got array\n"
    assert (2, message) == (first, first_output.err)


def test_another_spec_checks_the_seed_again(
    tmp_path: Path, cache: Path, parses: list[Path]
) -> None:
    """The image belongs to the spec it was checked against: a changed spec checks again."""
    path = copy_of_bundled(tmp_path)
    load_seed(path, spec())
    changed = spec()
    changed.document["info"]["description"] += " Changed."
    load_seed(path, changed)
    expected = ([path, path], 2)
    assert expected == (parses, len(list(cache.glob(seed_cache.IMAGE_GLOB))))


def test_another_kit_checks_the_seed_again(
    tmp_path: Path, cache: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The image belongs to the code that checked it: another kit version checks again."""
    path = copy_of_bundled(tmp_path)
    load_seed(path, spec())
    monkeypatch.setattr(seed_cache, "code_digest", lambda: "another version of the kit")
    load_seed(path, spec())
    assert [path, path] == parses


def test_a_damaged_image_is_rebuilt(tmp_path: Path, cache: Path, parses: list[Path]) -> None:
    """An image that cannot be read is checked and written again, not an error."""
    path = copy_of_bundled(tmp_path)
    image = load_seed(path, spec()).image
    image.write_bytes(b"not a database")
    again = load_seed(path, spec())
    expected = ([path, path], 19)
    assert expected == (parses, again.object_count)


def test_an_unwritable_cache_falls_back_to_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache folder that cannot be made costs the cache, not the start; a warning says so."""
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(seed_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    seed = load_seed(copy_of_bundled(tmp_path), spec())
    expected = (19, True)
    assert expected == (seed.object_count, "cannot write the seed cache" in caplog.text)
    assert blocker not in seed.image.parents


def test_only_the_newest_images_are_kept(tmp_path: Path, cache: Path) -> None:
    """Each check writes an image; beyond KEEP, the least recently used go."""
    for index in range(seed_cache.KEEP + 2):
        path = copy_of_bundled(tmp_path, ("# The mock's", f"# {index}: The mock's"))
        image = load_seed(path, spec()).image
        os.utime(image, (index, index))  # an order that does not hang on the clock's resolution
    kept = sorted(image.stat().st_mtime for image in cache.glob(seed_cache.IMAGE_GLOB))
    expected = [float(index) for index in range(2, seed_cache.KEEP + 2)]
    assert expected == kept


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """OCTAVE_MOCK_CACHE_DIR, else XDG_CACHE_HOME/octave-mock, else ~/.cache/octave-mock."""
    monkeypatch.setenv(seed_cache.CACHE_DIR_ENV, "/somewhere/cache")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    first = seed_cache.cache_dir()
    monkeypatch.delenv(seed_cache.CACHE_DIR_ENV)
    second = seed_cache.cache_dir()
    monkeypatch.delenv("XDG_CACHE_HOME")
    expected = (
        Path("/somewhere/cache"),
        Path("/xdg/octave-mock"),
        Path.home() / ".cache/octave-mock",
    )
    assert expected == (first, second, seed_cache.cache_dir())


def test_serve_refuses_a_cached_seed_once_it_is_edited_badly(
    tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve` after a warm start's edit: the same one line as `check-seed` gives, exit 2."""
    path = copy_of_bundled(tmp_path)
    create_app(Settings(seed_path=path)).server.store.close()  # checked once, and kept
    copy_of_bundled(tmp_path, (TYPO, TYPO.replace("fitType", "fitTyp")))
    checked = main(["check-seed", "--seed", str(path)])
    refusal = capsys.readouterr().err
    served = main(["serve", "--seed", str(path), "--port", str(free_port())])
    field = "workspaces[0].products[0].qualifyingQuestions[0].fitTyp"
    expected = (2, 2, f"octave-mock: {path}:44:13: {field}: is not a known field\n")
    assert expected == (checked, served, refusal)
    assert refusal == capsys.readouterr().err
