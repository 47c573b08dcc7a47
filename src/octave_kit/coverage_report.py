"""Coverage of the contract, written where it is read: a terminal table, JSON, Markdown, HTML.

The JSON file (schema `octave-coverage/1`, docs/coverage.md) is also read back,
so that runs combine: the items met in each file are merged by union. Gates
(`--fail-under`) name what is missing.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from octave_kit.coverage import DIMENSIONS, Coverage, Item, Model
from octave_kit.traffic import KINDS

COVERAGE_SCHEMA = "octave-coverage/1"
WIDTH = 100  # of the never-met lines in a terminal
GATE_SHOWS = 30  # never-met items a failing gate names; term-missing lists them all


class CoverageFileError(Exception):
    """A coverage file that cannot be read; the message names it."""


# JSON ----------------------------------------------------------------------------------------


def to_json(coverage: Coverage) -> dict[str, Any]:
    info = coverage.model.spec.document.get("info", {})
    dimensions = {}
    for name in coverage.dimensions:
        items = coverage.items(name)
        by_operation: dict[str, dict[str, list[str]]] = {}
        for item in items:
            entry = by_operation.setdefault(item.operation, {"met": [], "never": []})
            entry["met" if item in coverage.met else "never"].append(item.detail)
        dimensions[name] = {**_figures(coverage, name), "operations": by_operation}
    return {
        "schema": COVERAGE_SCHEMA,
        "contract": {"title": info.get("title"), "version": info.get("version")},
        "kinds": sorted(coverage.kinds),
        "requests": coverage.requests,
        "unrouted": coverage.unrouted,
        "total": _figures(coverage, None),
        "dimensions": dimensions,
    }


def _figures(coverage: Coverage, dimension: str | None) -> dict[str, Any]:
    names = [dimension] if dimension else coverage.dimensions
    items = [item for name in names for item in coverage.items(name)]
    met = sum(item in coverage.met for item in items)
    return {"items": len(items), "met": met, "percent": round(coverage.percent(dimension), 2)}


def write_json(coverage: Coverage, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_json(coverage), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def is_coverage_file(document: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(document, dict) and document.get("schema") == COVERAGE_SCHEMA


def from_json(model: Model, path: Path, document: dict[str, Any]) -> Coverage:
    """A coverage file read back: its met items (of the model's contract), kinds and counts."""
    try:
        kinds = set(document["kinds"])
        if not kinds <= set(KINDS):
            raise ValueError(f"unknown kinds {sorted(kinds - set(KINDS))}")
        met = {
            Item(name, operation, detail)
            for name, dimension in document["dimensions"].items()
            for operation, entry in dimension["operations"].items()
            for detail in entry["met"]
        }
        return Coverage(model, met, kinds, int(document["requests"]), int(document["unrouted"]))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise CoverageFileError(f"{path}: not an {COVERAGE_SCHEMA} file ({error})") from None


# The terminal --------------------------------------------------------------------------------


def headline(coverage: Coverage) -> str:
    version = coverage.model.spec.document.get("info", {}).get("version", "?")
    kinds = ", ".join(sorted(coverage.kinds)) or "no traffic"
    requests = f"{coverage.requests} request{'' if coverage.requests == 1 else 's'}"
    unrouted = f", {coverage.unrouted} to no operation" if coverage.unrouted else ""
    return f"Octave contract {version} coverage: {requests} ({kinds}){unrouted}"


def table_rows(coverage: Coverage) -> list[tuple[str, int, int, int, str]]:
    rows = []
    for name in [*coverage.dimensions, None]:
        figures = _figures(coverage, name)
        never = figures["items"] - figures["met"]
        cover = f"{coverage.percent(name):.0f}%"
        rows.append((name or "TOTAL", figures["items"], figures["met"], never, cover))
    return rows


def terminal(coverage: Coverage, missing: bool = False) -> str:
    """A short table, as pytest-cov prints one; with `missing`, every item never met."""
    lines = [
        headline(coverage),
        f"{'dimension':<12} {'items':>6} {'met':>6} {'never':>6} {'cover':>6}",
    ]
    rows = table_rows(coverage)
    for number, (name, items, met, never, cover) in enumerate(rows):
        if number == len(rows) - 1:
            lines.append("-" * 40)
        lines.append(f"{name:<12} {items:>6} {met:>6} {never:>6} {cover:>6}")
    if missing:
        for name in coverage.dimensions:
            never_met = coverage.never_met(name)
            if never_met:
                lines.append(f"never met, {name}:")
                for operation, details in _by_operation(never_met):
                    lines += _wrapped(f"  {operation}: ", details)
    return "\n".join(lines)


def _wrapped(start: str, details: list[str]) -> list[str]:
    """The details after `start`, as many to a line as fit in WIDTH, none split."""
    lines, line = [], start
    for number, detail in enumerate(details):
        text = detail + ("," if number < len(details) - 1 else "")
        if line != start and len(line) + len(text) > WIDTH:
            lines.append(line.rstrip())
            line = " " * 4
        line += text + " "
    return [*lines, line.rstrip()]


def _by_operation(items: Iterable[Item]) -> list[tuple[str, list[str]]]:
    """The items' details per operation, a member's states in one: `body.name: present/null`."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for item in items:
        what, said, state = item.detail.rpartition(": ")
        states = grouped.setdefault(item.operation, {}).setdefault(what or item.detail, [])
        if said:
            states.append(state)
    return [
        (
            operation,
            [f"{what}: {'/'.join(states)}" if states else what for what, states in found.items()],
        )
        for operation, found in sorted(grouped.items())
    ]


# Markdown, for a CI job summary --------------------------------------------------------------


def markdown(coverage: Coverage) -> str:
    lines = [f"### {headline(coverage)}", "", "| dimension | items | met | never | cover |"]
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for name, items, met, never, cover in table_rows(coverage):
        shown = f"**{name}**" if name == "TOTAL" else name
        lines.append(f"| {shown} | {items} | {met} | {never} | {cover} |")
    for name in coverage.dimensions:
        never_met = coverage.never_met(name)
        if never_met:
            lines += ["", f"<details><summary>{name}: {len(never_met)} never met</summary>", ""]
            for operation, details in _by_operation(never_met):
                lines.append(f"- `{operation}`: " + ", ".join(f"`{d}`" for d in details))
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


# One offline HTML page -----------------------------------------------------------------------

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: .25rem .75rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child, td:last-child { text-align: left; }
body { padding: 0 1rem; }
.bar { display: inline-block; height: .7rem; background: #2a7; vertical-align: middle; }
.barbox { display: inline-block; width: 8rem; background: #eee; margin-right: .5rem; }
ul { columns: 2; } li { break-inside: avoid; }
li.met { color: #176; } li.never { color: #a22; }
li.met::before { content: "\\2713  "; } li.never::before { content: "\\2717  "; }
details { margin: .5rem 0; } summary { cursor: pointer; font-weight: 600; }
"""


def html_page(coverage: Coverage) -> str:
    """One page that needs nothing but itself: no script, no font, no request."""
    title = html.escape(headline(coverage))
    rows = []
    for name, count, met, never, cover in table_rows(coverage):
        percent = coverage.percent(None if name == "TOTAL" else name)
        bar = f'<span class="barbox"><span class="bar" style="width:{percent:.0f}%"></span></span>'
        rows.append(
            f'<tr id="row-{name}"><td>{name}</td><td>{count}</td><td>{met}</td>'
            f"<td>{never}</td><td>{bar}{cover}</td></tr>"
        )
    sections = []
    for name in coverage.dimensions:
        sections.append(f'<section id="{name}"><h2>{name}</h2>')
        grouped: dict[str, list[Item]] = {}
        for item in coverage.items(name):
            grouped.setdefault(item.operation, []).append(item)
        for operation, items in sorted(grouped.items()):
            met = sum(item in coverage.met for item in items)
            entries = "".join(
                f'<li class="{"met" if item in coverage.met else "never"}">'
                f"{html.escape(item.detail)}</li>"
                for item in items
            )
            sections.append(
                f"<details{' open' if met < len(items) else ''}><summary>{operation}: "
                f"{met} of {len(items)} met</summary><ul>{entries}</ul></details>"
            )
        sections.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        f"<h1>{title}</h1><table><thead><tr><th>dimension</th><th>items</th><th>met</th>"
        f"<th>never</th><th>cover</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{''.join(sections)}</body></html>\n"
    )


# Gates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    """`--fail-under [DIMENSION=]PERCENT`: the least share of items that must be met."""

    percent: float
    dimension: str | None = None  # None: every readable dimension together

    @classmethod
    def parse(cls, text: str) -> Gate:
        """`80` or `statuses=100`; a ValueError names what is wrong."""
        name, _, number = text.rpartition("=")
        if name and name not in DIMENSIONS:
            raise ValueError(f"{name}: not a dimension ({', '.join(DIMENSIONS)})")
        try:
            percent = float(number)
        except ValueError:
            raise ValueError(f"{number!r}: not a percentage") from None
        if not 0 <= percent <= 100:
            raise ValueError(f"{number}: a percentage is between 0 and 100")
        return cls(percent, name or None)

    def failure(self, coverage: Coverage) -> str | None:
        """None when the coverage passes; else what fell short and what was never met."""
        if self.dimension is not None and self.dimension not in coverage.dimensions:
            kinds = ", ".join(sorted(coverage.kinds)) or "none"
            return f"{self.dimension}: this traffic ({kinds}) cannot tell it"
        got = coverage.percent(self.dimension)
        if got >= self.percent:
            return None
        names = [self.dimension] if self.dimension else coverage.dimensions
        never = [item for name in names for item in coverage.never_met(name)]
        shown = "; ".join(
            f"{operation}: {', '.join(details)}"
            for operation, details in _by_operation(never[:GATE_SHOWS])
        )
        if len(never) > GATE_SHOWS:
            shown += f"; and {len(never) - GATE_SHOWS} more (term-missing lists every one)"
        what = self.dimension or "total"
        return f"{what} {got:.1f}% is under {self.percent:g}%; never met: {shown}"


def write(coverage: Coverage, fmt: str, path: Path) -> None:
    """Write one of the file formats (json, markdown, html) to `path`."""
    if fmt == "json":
        write_json(coverage, path)
        return
    text = markdown(coverage) if fmt == "markdown" else html_page(coverage)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
