"""The kit's own rules: what neither Optic nor Specmatic judges, read from Optic's differences.

Optic finds every difference between the two specs (as JSON Pointers into each); its rules and
Specmatic's judge most of them. Each rule here covers what both let pass, and names the case
of tests/spec/spec_changes.yaml that needs it. Only differences inside `paths` count: Optic
reports the same change again under `components`, where it cannot say request from response.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spec_tools.optic import Difference
from spec_tools.verdicts import Finding, Level

Document = dict[str, Any]


KIT = "the kit's rules"
MISSING: Any = object()
# Bounds of a value, by the direction in which they narrow it.
UPPER_BOUNDS = {"maxLength", "maxItems", "maximum", "exclusiveMaximum"}
LOWER_BOUNDS = {"minLength", "minItems", "minimum", "exclusiveMinimum"}
# The containers whose new members are additions a client can use: a new property, parameter,
# status, header, media type or enum value (an operation is a new member of its path item).
ADDITIVE_CONTAINERS = {"properties", "parameters", "responses", "headers", "content", "enum"}


def tokens(pointer: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def value_at(document: Document, parts: Sequence[str]) -> Any:
    """The value at `parts` of `document`, following each $ref on the way (Optic's pointers are
    into the spec with its references resolved); MISSING when there is none."""
    node: Any = document
    for part in parts:
        node = resolved(document, node)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return resolved(document, node)


def resolved(document: Document, node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = value_at(document, tokens(node["$ref"].removeprefix("#")))
    return node


def where(parts: Sequence[str]) -> str:
    """`POST /api/v2/reference/update requestBody/.../properties/name` for a pointer's parts."""
    if len(parts) < 3:
        return "/".join(parts)
    return f"{parts[2].upper()} {parts[1]} {'/'.join(parts[3:])}".rstrip()


def is_request(parts: Sequence[str]) -> bool:
    return len(parts) > 3 and parts[3] in ("requestBody", "parameters")


def is_keyword(parts: Sequence[str], keywords: set[str]) -> bool:
    """Whether `parts` ends in one of the schema `keywords` (not a property of that name)."""
    return len(parts) > 1 and parts[-1] in keywords and parts[-2] != "properties"


@dataclass(frozen=True)
class Sides:
    """The two specs a difference is read from."""

    base: Document
    head: Document


# The rules. Each takes one difference (its pointers split into parts) and says what it means.
Rule = Callable[[Sides, Difference, list[str], list[str]], Iterator[Finding]]


def request_bounds(
    sides: Sides, difference: Difference, before: list[str], after: list[str]
) -> Iterator[Finding]:
    """A request value's length, size or range bound added, tightened, loosened or removed.

    Optic's ruleset has no rule on bounds and Specmatic's check lets them pass (cases "request
    maxLength narrowed", "request minLength narrowed", "request minimum narrowed", "request
    maxItems narrowed"; loosened: "request constraint loosened"). Specmatic judges `pattern`
    and Optic `enum`, so those are left to them.
    """
    parts = after or before
    if not is_request(parts) or not is_keyword(parts, UPPER_BOUNDS | LOWER_BOUNDS):
        return
    old = value_at(sides.base, before) if before else MISSING
    new = value_at(sides.head, after) if after else MISSING
    keyword = parts[-1]
    if new is MISSING:
        narrower = False
    elif old is MISSING:
        narrower = True
    elif not all(isinstance(bound, int | float) for bound in (old, new)):
        narrower = True  # not numbers: no telling, so the safe verdict
    else:
        narrower = new < old if keyword in UPPER_BOUNDS else new > old
    old_text, new_text = ("none" if bound is MISSING else bound for bound in (old, new))
    shown = f"{where(parts)}: {old_text} -> {new_text}"
    if narrower:
        yield Finding(KIT, Level.MAJOR, f"{shown}: a request value that was accepted is refused")
    else:
        yield Finding(KIT, Level.MINOR, f"{shown}: the request accepts more")


def closed_request_field_removed(
    sides: Sides, difference: Difference, before: list[str], after: list[str]
) -> Iterator[Finding]:
    """A field removed from a request body that allows no other fields.

    Neither tool reads `additionalProperties: false`: both take a removed request field for a
    relaxation, but a client that still sends it gets 400 (case "request field removed from the
    closed update body").
    """
    if difference.change != "removed" or not is_request(before) or before[-2:-1] != ["properties"]:
        return
    body = value_at(sides.base, before[:-2])
    if isinstance(body, dict) and body.get("additionalProperties") is False:
        yield Finding(
            KIT,
            Level.MAJOR,
            f"{where(before)}: removed from a closed body, so a client sending it gets 400",
        )


def required_response_header_dropped(
    sides: Sides, difference: Difference, before: list[str], after: list[str]
) -> Iterator[Finding]:
    """A required response header removed or made optional.

    Optic's ruleset has no rule on response headers and Specmatic's check ignores them, but the
    SDK reads Retry-After (cases "response header removed", "response header made optional").
    """
    if not before or "responses" not in before or "headers" not in before:
        return
    header = before[: before.index("headers") + 2]
    if header != before and before[len(header) :] != ["required"]:
        return
    old = value_at(sides.base, header)
    new = value_at(sides.head, after[: len(header)]) if after else MISSING
    if not isinstance(old, dict) or old.get("required") is not True:
        return
    if not isinstance(new, dict) or new.get("required") is not True:
        change = "removed" if new is MISSING else "made optional"
        yield Finding(KIT, Level.MAJOR, f"{where(header)}: a required response header {change}")


def additions(
    sides: Sides, difference: Difference, before: list[str], after: list[str]
) -> Iterator[Finding]:
    """Something added that a client can use: at least a minor version.

    Neither tool grades compatible changes: Optic lists them, Specmatic passes them (cases
    "optional request field added", "response field added", "operation added", "optional query
    parameter added", "response status added", "response header added", "request enum value
    added"; anything else compatible is a patch).
    """
    if difference.change != "added" or not after:
        return
    if len(after) == 3 or (len(after) > 3 and after[-2] in ADDITIVE_CONTAINERS):
        yield Finding(KIT, Level.MINOR, f"{where(after)}: added")


def request_types_widened(
    sides: Sides, difference: Difference, before: list[str], after: list[str]
) -> Iterator[Finding]:
    """A request value that now accepts more types (null, say): at least a minor version.

    Both tools pass it without grading it (case "request value may be null").
    """
    if difference.change != "changed" or not is_request(after) or not is_keyword(after, {"type"}):
        return
    old, new = value_at(sides.base, before), value_at(sides.head, after)
    old_types = set(old) if isinstance(old, list) else {old}
    new_types = set(new) if isinstance(new, list) else {new}
    if old_types < new_types:
        yield Finding(KIT, Level.MINOR, f"{where(after)}: now also {sorted(new_types - old_types)}")


RULES: tuple[Rule, ...] = (
    request_bounds,
    closed_request_field_removed,
    required_response_header_dropped,
    additions,
    request_types_widened,
)


def findings(base: Document, head: Document, differences: Sequence[Difference]) -> list[Finding]:
    """What the kit's rules find in Optic's `differences` between `base` and `head`."""
    sides = Sides(base, head)
    found: list[Finding] = []
    for difference in differences:
        before = tokens(difference.before) if difference.before else []
        after = tokens(difference.after) if difference.after else []
        if (before or after)[0] != "paths":
            continue
        for rule in RULES:
            for finding in rule(sides, difference, before, after):
                if finding not in found:
                    found.append(finding)
    return found
