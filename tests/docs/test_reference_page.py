"""make docs, opened in headless Chromium (Debian's package): what a reader sees, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.installing import run
from tests.openapi_document import REPO_ROOT, Node, operations, resolve, shared_openapi

if TYPE_CHECKING:  # playwright itself is imported by the fixture that starts Chromium: the
    # coverage page's tests import this module, and most of them need no browser
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = REPO_ROOT / "reports" / "docs" / "reference-page.png"
# Every address but the page's own file goes to a port where nothing listens, so a request
# that slipped past the recorder would still fail instead of reaching the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def reference_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    run("make", "--no-print-directory", "docs", f"DOCS_DIR={docs}")
    return docs / "index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "make chromium installs Debian's chromium package (as root)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_recording_requests(browser: Browser, html_file: Path) -> tuple[Page, list[str]]:
    """The file, opened and rendered; the addresses of every request it made outside itself."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.on(
        "request",
        lambda request: (
            None if request.url.startswith(LOCAL_SCHEMES) else outside.append(request.url)
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(html_file.as_uri(), wait_until="networkidle")
    return page, outside


@pytest.fixture(scope="module")
def opened(browser: Browser, reference_page: Path) -> tuple[Page, list[str]]:
    page, outside = open_recording_requests(browser, reference_page)
    page.wait_for_selector(".opblock")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT)
    return page, outside


def documented_responses() -> Iterator[tuple[str, str, str, list[Node]]]:
    """(operationId, tag, status, the response's examples) for every documented response."""
    document = shared_openapi()
    for operation_id, _, _, operation in operations(document):
        for status, response in operation["responses"].items():
            resolved, _ = resolve(document, response)
            media = resolved.get("content", {}).get("application/json", {})
            named = media.get("examples", {}).values()
            values = [resolve(document, example)[0] for example in named]
            if "example" in media:  # an error response's one example, which has no summary
                values.append({"value": media["example"]})
            yield operation_id, operation["tags"][0], status, values


RESPONSES = list(documented_responses())


def test_every_operation_is_on_the_page(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    on_page = {block.get_attribute("id") for block in page.locator(".opblock").all()}
    expected = {
        f"operations-{operation['tags'][0]}-{operation_id}"
        for operation_id, _, _, operation in operations(shared_openapi())
    }
    assert len(expected) == 3
    assert on_page == expected


@pytest.mark.parametrize(
    ("operation_id", "tag", "status", "examples"),
    RESPONSES,
    ids=[f"{operation_id}-{status}" for operation_id, _, status, _ in RESPONSES],
)
def test_every_status_is_shown_with_its_examples(
    opened: tuple[Page, list[str]],
    operation_id: str,
    tag: str,
    status: str,
    examples: list[Node],
) -> None:
    page, _ = opened
    row = page.locator(f"#operations-{tag}-{operation_id} tr.response[data-code='{status}']")
    text = row.inner_text()
    assert examples, f"{operation_id} {status} documents no example"
    for example in examples:
        assert example.get("summary", "") in text
    shown = examples[0]["value"]
    assert isinstance(shown, dict)
    if "message" in shown:  # every error example; the first one is the one shown
        assert f'"message": "{shown["message"]}"' in text


def test_the_page_requests_nothing_outside_itself(opened: tuple[Page, list[str]]) -> None:
    _, outside = opened
    assert outside == []


def test_the_recorder_sees_a_request_outside_the_file(browser: Browser, tmp_path: Path) -> None:
    """The instrument above, shown able to fail: a page that loads one image from a CDN."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text('<img src="https://cdn.example.com/logo.svg">', encoding="utf-8")
    _, outside = open_recording_requests(browser, page_file)
    assert outside == ["https://cdn.example.com/logo.svg"]
