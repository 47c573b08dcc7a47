"""The coverage page in headless Chromium: what a reader sees, offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from octave_kit.contract_file import SPEC_PATH
from octave_kit.coverage import Model, coverage_of
from octave_kit.coverage_report import html_page
from octave_kit.spec import Spec
from octave_kit.traffic import TESTS, Exchange, Traffic
from tests.docs.test_reference_page import browser, open_recording_requests

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["browser"]  # the reference page's Chromium, shared by this module's tests

PRODUCT = "/api/v2/product/get"


@pytest.fixture(scope="module")
def opened(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> tuple[Page, list[str]]:
    traffic = Traffic(
        [
            Exchange("GET", PRODUCT, query={"oId": "p"}, status=404),
            Exchange("GET", PRODUCT, query={"oId": "p"}, status=200, response_json={"oId": "p"}),
        ],
        {TESTS},
    )
    page_file = tmp_path_factory.mktemp("coverage") / "coverage.html"
    page_file.write_text(html_page(coverage_of(Model(Spec.load(SPEC_PATH)), traffic)))
    return open_recording_requests(browser, page_file)


def test_the_table_shows_each_dimension_and_the_total(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    rows = page.locator("tbody tr").all_inner_texts()
    assert ["operations", "statuses", "faults", "parameters", "values", "responses", "TOTAL"] == [
        row.split("\t")[0] for row in rows
    ]
    assert "operations\t3\t1\t2\t33%" == page.locator("#row-operations").inner_text()


def test_what_was_met_and_never_met_is_shown_per_operation(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    statuses = page.locator("#statuses details", has_text="getProduct")
    assert statuses.inner_text().startswith("getProduct: 2 of 7 met")
    assert ["200", "404"] == statuses.locator("li.met").all_inner_texts()
    assert statuses.locator("li.never", has_text="429").is_visible()  # open: items never met


def test_the_page_requests_nothing_outside_itself(opened: tuple[Page, list[str]]) -> None:
    _, outside = opened
    assert [] == outside


def test_the_page_is_one_file() -> None:
    """No script, stylesheet or image of its own to fetch: everything is inline."""
    text = html_page(coverage_of(Model(Spec.load(SPEC_PATH)), Traffic(kinds={TESTS})))
    assert [] == [tag for tag in ("<script", "<link", "<img", "url(") if tag in text]
