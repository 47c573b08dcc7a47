"""Checking a request's parameters and body, and an answer, against the spec: pure functions.

The mock uses them to refuse bad input with a Problem (400, 413, 415) whose
message names every field at fault; the proxy, to list Violations, each with
its place (`query`, `body`, `status`, ... then the JSON path) and the JSON
Schema keyword that failed. Nothing here reads the store.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from octave_mock.http_io import Body, Json, Problem
from octave_mock.spec import Finding, Operation, SchemaCheck, Spec

SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class Violation:
    """One way a request or an answer breaks the contract."""

    place: str  # query, header, body or status
    path: tuple[str | int, ...]  # the JSON path within it
    code: str  # the JSON Schema keyword, or the kind of problem
    message: str  # names the field: `name: expected string, got number`


def _from_findings(place: str, check: SchemaCheck, instance: Any, root: str) -> list[Violation]:
    return [_violation(place, finding, root) for finding in check.findings(instance)]


def _violation(place: str, finding: Finding, root: str) -> Violation:
    return Violation(place, finding.path, finding.code, finding.message(root))


def route(spec: Spec, method: str, path: str) -> Operation:
    """The operation at `path` for `method`: else a 404, or a 405 with `Allow`."""
    methods = spec.operations.get(path)
    if methods is None:
        raise Problem(404, f"path: no operation at {path}")
    op = methods.get(method)
    if op is None:
        allow = ", ".join(sorted(methods))
        raise Problem(405, f"method: {path} accepts {allow}, not {method}", {"Allow": allow})
    return op


def parameter_violations(
    op: Operation, query: list[tuple[str, str]]
) -> tuple[Json, list[Violation]]:
    """The operation's query parameters, and how they break the spec (each given once, valid)."""
    values: Json = {}
    found: list[Violation] = []
    for param in op.parameters:
        given = [value for name, value in query if name == param.name]
        if not given:
            if param.required:
                found.append(
                    Violation("query", (param.name,), "required", f"{param.name}: is required")
                )
            continue
        if len(given) > 1:
            message = f"{param.name}: give it once, not {len(given)} times"
            found.append(Violation("query", (param.name,), "repeated", message))
            continue
        found += [
            Violation(
                "query",
                (param.name, *f.path),
                f.code,
                f.message(param.name),
            )
            for f in param.check.findings(given[0])
        ]
        values[param.name] = given[0]
    return values, found


def parameters(op: Operation, query: list[tuple[str, str]]) -> Json:
    """The operation's query parameters, each given once and valid; else a 400 naming them."""
    values, found = parameter_violations(op, query)
    if found:
        raise Problem(400, "; ".join(violation.message for violation in found))
    return values


def json_body(op: Operation, media_type: str, body: Body, limit: int) -> Json | None:
    """The request body as a JSON object the spec accepts; None for operations without one."""
    if op.body_check is None:
        return None
    document = parsed_body(media_type, body, limit)
    found = body_violations(op, document)
    if found:
        raise Problem(400, "; ".join(violation.message for violation in found))
    return document


def parsed_body(media_type: str, body: Body, limit: int) -> Json:
    """A JSON object from the body, before its schema: else a 415, 413 or 400 saying why."""
    if media_type != "application/json":
        sent = media_type or "no Content-Type"
        raise Problem(415, f"Content-Type: send application/json, not {sent}")
    if body.too_large:
        raise Problem(413, f"body: larger than the limit of {limit} bytes")
    if not body.raw.strip():
        raise Problem(400, "body: is required")
    try:
        # The standard library's parser, not orjson: its errors say what is wrong
        # (NaN, a missing quote) and it lets lone surrogates through to be named below.
        text = body.raw.decode(json.detect_encoding(body.raw), "surrogatepass")
        document = BODY_DECODER.decode(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nesting deeper than the parser goes is bad input, not a 500.
        raise Problem(400, f"body: not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise Problem(400, "body: expected a JSON object")
    # JSON lets "\ud800" through; such text cannot be stored or answered as UTF-8.
    unpaired = _unpaired_surrogate(document) if _may_hold_surrogates(body.raw) else None
    if unpaired is not None:
        raise Problem(400, f"{unpaired}: is not valid Unicode (an unpaired surrogate)")
    return document


def body_violations(op: Operation, document: Any) -> list[Violation]:
    """How a parsed request body breaks the operation's schema."""
    if op.body_check is None:
        return []
    return _from_findings("body", op.body_check, document, "body")


def answer_violations(op: Operation, status: int, body: Any) -> list[Violation]:
    """How an answer breaks the contract: an undocumented status, or a body off its schema."""
    if status not in op.responses:
        message = f"status {status} is not documented for {op.operation_id}"
        return [Violation("status", (), "status", message)]
    check = op.responses[status]
    return [] if check is None else _from_findings("body", check, body, "response")


def answer_problems(op: Operation, status: int, body: Json) -> list[str]:
    """The messages of `answer_violations`."""
    return [violation.message for violation in answer_violations(op, status, body)]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    """A JSON number as a float; one too large for a double (1e400) is refused, not infinite."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is too large a number")
    return value


def _may_hold_surrogates(raw: bytes) -> bool:
    """A cheap look at the bytes, so that only suspect bodies are walked."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return SURROGATE_ESCAPE.search(raw) is not None


def _unpaired_surrogate(document: Json) -> str | None:
    """The field whose text (or member name) is not valid Unicode, if any; no recursion."""
    pending: list[tuple[str, Any]] = [("body", document)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str) and not _is_unicode(value):
            return where
        if isinstance(value, dict):
            for name, item in value.items():
                if not _is_unicode(name):
                    return where
                pending.append((name if where == "body" else f"{where}.{name}", item))
        elif isinstance(value, list):
            pending.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Built once: json.loads with these hooks would build a decoder on every call.
BODY_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite)
