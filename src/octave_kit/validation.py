"""Checking a request and an answer against the spec: pure functions that return Violations.

Each Violation has its place (`query`, `header`, `body`, `path`, ... ), the
JSON path within it, the JSON Schema keyword (or kind of problem) that
failed, and a message that names the field. Each server turns them into its
own answer: the mock into a HTTPError (400, 404, 405, 413, 415), the proxy into
its report and Prism's header. Nothing here reads the store.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from octave_kit import json_text
from octave_kit.http_io import Body
from octave_kit.json_text import Json
from octave_kit.keys import KEY_HEADER
from octave_kit.spec import Finding, Operation, SchemaCheck, Spec, field_path

SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
LONG_DIGITS = 19  # 2**63 has 19 digits
LONG_INTEGER = re.compile(rb"\d{%d}" % LONG_DIGITS)
DIGITS = b"0123456789"
JSON_MEDIA_TYPE = "application/json"


@dataclass(frozen=True)
class Violation:
    """One way a request or an answer breaks the contract."""

    place: str  # path, method, query, header, body or status
    path: tuple[str | int, ...]  # the JSON path within it
    code: str  # the JSON Schema keyword, or the kind of problem
    message: str  # names the field: `name: expected string, got number`


def messages(found: list[Violation]) -> str:
    """The violations' messages, as one line."""
    return "; ".join(violation.message for violation in found)


def _from_findings(place: str, check: SchemaCheck, instance: Any, root: str) -> list[Violation]:
    return [_violation(place, finding, root) for finding in check.findings(instance)]


def _violation(place: str, finding: Finding, root: str) -> Violation:
    return Violation(place, finding.path, finding.code, finding.message(root))


def misrouted(spec: Spec, method: str, path: str) -> Violation:
    """Why no operation of the spec answers `method` at `path`: the path, or the method."""
    methods = spec.methods(path)
    if not methods:
        return Violation("path", (), "path", f"path: no operation at {path}")
    message = f"method: {path} accepts {', '.join(methods)}, not {method}"
    return Violation("method", (), "method", message)


def key_violations(headers: dict[str, str]) -> list[Violation]:
    """Every operation needs the `api_key` header (whether the key is known is the server's)."""
    if headers.get(KEY_HEADER):
        return []
    return [Violation("header", (KEY_HEADER,), "required", f"{KEY_HEADER}: header is required")]


def parameters(op: Operation, query: Sequence[tuple[str, str]]) -> tuple[Json, list[Violation]]:
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
            Violation("query", (param.name, *f.path), f.code, f.message(param.name))
            for f in param.check.findings(given[0])
        ]
        values[param.name] = given[0]
    return values, found


def request_body(op: Operation, media_type: str, body: Body) -> tuple[Json | None, list[Violation]]:
    """The request body as a JSON object, and how it breaks the spec; None without one.

    Until the body is a JSON object its schema is not checked: then the one
    violation says why not (Content-Type, size, emptiness, syntax, Unicode).
    """
    if op.body_check is None:
        return None, []
    document, refusal = _json_object(media_type, body)
    if refusal is not None:
        return None, [refusal]
    return document, _from_findings("body", op.body_check, document, "body")


def _json_object(media_type: str, body: Body) -> tuple[Json, Violation | None]:
    if media_type != JSON_MEDIA_TYPE:
        sent = media_type or "no Content-Type"
        message = f"Content-Type: send {JSON_MEDIA_TYPE}, not {sent}"
        return {}, Violation("header", ("content-type",), "content-type", message)
    if body.over_limit is not None:
        message = f"body: larger than the limit of {body.over_limit} bytes"
        return {}, Violation("body", (), "too-large", message)
    if not body.raw.strip():
        return {}, Violation("body", (), "required", "body: is required")
    try:
        document = _parsed(body.raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nesting deeper than the parser goes is bad input, not a 500.
        return {}, Violation("body", (), "json", f"body: not valid JSON ({exc})")
    if not isinstance(document, dict):
        return {}, Violation("body", (), "type", "body: expected a JSON object")
    # JSON lets "\ud800" through; such text cannot be stored or answered as UTF-8.
    unpaired = _unpaired_surrogate(document) if _may_hold_surrogates(body.raw) else None
    if unpaired is not None:
        message = f"{field_path(unpaired, 'body')}: is not valid Unicode (an unpaired surrogate)"
        return {}, Violation("body", unpaired, "unicode", message)
    return document, None


def _parsed(raw: bytes) -> Any:
    """The body's JSON: orjson's where it reads it as the standard library would, which is
    every UTF-8 body with no integer too long for 64 bits (orjson makes those floats)."""
    # A body of fewer than 19 digits in all holds no long integer: counting them is a third
    # of the search's cost, and most bodies stop there.
    if len(raw) - len(raw.translate(None, DIGITS)) < LONG_DIGITS or not LONG_INTEGER.search(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    # The standard library's parser: its errors say what is wrong (NaN, a missing quote),
    # and it lets lone surrogates through, to be named by the caller.
    return BODY_DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))


def answer_violations(op: Operation, status: int, body: Any) -> list[Violation]:
    """How an answer breaks the contract: an undocumented status, or a body off its schema."""
    if status not in op.responses:
        message = f"status {status} is not documented for {op.operation_id}"
        return [Violation("status", (), "status", message)]
    check = op.responses[status]
    return [] if check is None else _from_findings("body", check, body, "response")


def answer_bytes(
    op: Operation, status: int, media_type: str, content: bytes
) -> tuple[Any, list[Violation]]:
    """An answer as it came over the wire: its JSON document (None without one), its violations."""
    if status not in op.responses or op.responses[status] is None:
        return None, answer_violations(op, status, None)
    if media_type != JSON_MEDIA_TYPE:
        sent = media_type or "no Content-Type"
        message = f"Content-Type: expected {JSON_MEDIA_TYPE}, got {sent}"
        return None, [Violation("header", ("content-type",), "content-type", message)]
    try:
        document = json_text.loads(content)
    except ValueError as exc:
        return None, [Violation("body", (), "json", f"response: not valid JSON ({exc})")]
    return document, answer_violations(op, status, document)


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


def _unpaired_surrogate(document: Json) -> tuple[str | int, ...] | None:
    """The path to the text (or member name) that is not valid Unicode, if any; no recursion."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str) and not _is_unicode(value):
            return where
        if isinstance(value, dict):
            for name, item in value.items():
                if not _is_unicode(name):
                    return where
                pending.append(((*where, name), item))
        elif isinstance(value, list):
            pending.extend(((*where, index), item) for index, item in enumerate(value))
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Built once: json.loads with these hooks would build a decoder on every call.
BODY_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite)
