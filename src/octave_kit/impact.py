"""Does a contract version break this app? Its interactions (a Pact file) judged against it.

Three rules, each finding naming the interaction and the member:
- every request the app sends is still valid: its operation exists, its parameters and body
  validate (required members, types, enum values), its key goes in the header the contract
  names;
- every status the app has met is still documented, with a body;
- every response member the app received is still documented, with a type (and enum or
  const) that admits what it received. Constraints such as maxLength bind the provider, not
  the app, and are not judged on responses.

Beside the findings, each change from a baseline contract (the installed kit's, unless told)
is sorted: the ones a finding covers, the ones the app touches and stays compatible with, and
the ones it cannot notice (an operation it never calls, a member it never sends or receives,
a new optional member, a status it never met).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from octave_kit import contract_model as model
from octave_kit.contract_model import Document, Place
from octave_kit.keys import KEY_HEADER
from octave_kit.pact import Interaction, Pact, read_pact

JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


@dataclass(frozen=True)
class Finding:
    interaction: str  # the interaction's description
    place: Place  # the contract's place at fault
    message: str  # names the member

    def __str__(self) -> str:
        return f"{self.interaction}: {self.message}"


@dataclass(frozen=True)
class Change:
    """A place that differs between the baseline and the judged contract."""

    place: Place
    before: str | None  # None: added
    after: str | None  # None: removed
    verdict: str  # "breaks", "compatible" or "unnoticed"
    why: str


@dataclass(frozen=True)
class Impact:
    findings: tuple[Finding, ...]
    changes: tuple[Change, ...]

    @property
    def compatible(self) -> bool:
        return not self.findings


def judge(contract: Document, pact: Pact, baseline: Document | None = None) -> Impact:
    """The findings of every interaction against `contract`, and its changes from `baseline`."""
    judge_of = _Judge(contract)
    findings: list[Finding] = []
    used: set[Place] = set()
    before = {} if baseline is None else model.places(baseline)
    after = {} if baseline is None else model.places(contract)
    for interaction in pact.interactions:
        touched: set[Place] = set()
        for place, message in judge_of.interaction(interaction, touched):
            findings.append(Finding(interaction.description, place, message))
        findings += _no_longer_required(before, after, interaction, touched)
        used |= touched
    unique = tuple(dict.fromkeys(findings))
    changes = () if baseline is None else tuple(_changes(before, after, unique, used))
    return Impact(unique, changes)


class _Judge:
    def __init__(self, contract: Document) -> None:
        self.contract = contract

    def interaction(
        self, interaction: Interaction, used: set[Place]
    ) -> Iterator[tuple[Place, str]]:
        method, path = interaction.method, interaction.path
        operation = model.find_operation(self.contract, method, path)
        if operation is None:
            yield ("operation", f"{method} {path}"), f"{method} {path}: no such operation"
            return
        key = operation.key
        used.add(("operation", key))
        yield from self.parameters(operation, interaction, used)
        yield from self.key_header(operation, interaction)
        yield from self.request_body(operation, interaction, used)
        yield from self.response(operation, interaction, used)

    def parameters(
        self, operation: model.Operation, interaction: Interaction, used: set[Place]
    ) -> Iterator[tuple[Place, str]]:
        declared = model.parameters(self.contract, operation)
        key = operation.key
        for name, values in interaction.query.items():
            used.add(("query", key, name))
            parameter = declared.get(("query", name))
            if parameter is None:
                message = f"query parameter {name}: no longer documented; the app sends it"
                yield ("query", key, name), message
                continue
            for value in values:
                for error in self.errors(parameter.get("schema", {}), _typed(value, parameter)):
                    yield ("query", key, name), f"query parameter {name}: {error.message}"
        headers = {name for name in interaction.headers}
        for (where, name), parameter in declared.items():
            sent = interaction.query if where == "query" else {}
            if where == "header" and name in headers:
                used.add(("header", key, name))
                continue
            if parameter.get("required") and where in ("query", "header") and name not in sent:
                said = "query parameter" if where == "query" else "header"
                yield (where, key, name), f"{said} {name}: now required; the app does not send it"

    def key_header(
        self, operation: model.Operation, interaction: Interaction
    ) -> Iterator[tuple[Place, str]]:
        """A key the app sends must go where the contract takes it."""
        taken = model.security_headers(self.contract, operation)
        sent = [name for name in interaction.headers if name in (KEY_HEADER, "authorization")]
        for name in sent:
            if taken and name not in taken:
                wanted = ", ".join(sorted(taken))
                message = f"header {name}: the key now goes in {wanted}, not {name}"
                yield ("security", operation.key, name), message

    def request_body(
        self, operation: model.Operation, interaction: Interaction, used: set[Place]
    ) -> Iterator[tuple[Place, str]]:
        key = operation.key
        documented = model.request_schema(self.contract, operation)
        body = interaction.request_body
        if body is None:
            if documented is not None and documented[0]:
                yield ("request", key, ""), "request body: now required; the app sends none"
            return
        used.add(("request", key, ""))
        if documented is None:
            yield ("request", key, ""), "request body: no longer documented; the app sends one"
            return
        for path in _member_paths(body.content):
            used.add(("request", key, path))
        for error in self.errors(documented[1], body.content):
            path = _path(error.absolute_path)
            if error.validator == "required":
                missing = str(error.message).split("'")[1] if "'" in error.message else ""
                path = f"{path}.{missing}" if path and missing else path or missing
            member = f"request body member {path}" if path else "request body"
            yield ("request", key, path), f"{member}: {error.message}"

    def response(
        self, operation: model.Operation, interaction: Interaction, used: set[Place]
    ) -> Iterator[tuple[Place, str]]:
        key, status = operation.key, interaction.status
        covering = model.response_schema(model.responses(self.contract, operation), status)
        if covering is None:
            yield ("status", key, str(status)), f"status {status}: no longer documented"
            return
        name, schema = covering
        used.add(("status", key, name))
        body = interaction.response_body
        if body is None:
            return
        for path in _member_paths(body.content):
            used.add(("response", key, name, path))
        if schema is None:
            message = f"status {status}: its body is no longer documented; the app reads one"
            yield ("status", key, name), message
            return
        for path, problem in _received(self.contract, schema, body.content, ""):
            member = f"response member {path}" if path else "response body"
            yield ("response", key, name, path), f"status {status}: {member}: {problem}"

    def errors(self, schema: Any, instance: Any) -> list[jsonschema.ValidationError]:
        """The schema's errors for the instance, its local references read in the contract."""
        if isinstance(schema, dict):
            # `#/components/...` resolves in the root schema: the contract's top-level members
            # (none of them a JSON Schema keyword) beside the schema's own make it the root.
            schema = {**self.contract, **schema}
        validator = jsonschema.Draft202012Validator(schema)
        return sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path)))


def _typed(value: str, parameter: Document) -> Any:
    """A query value as its schema's type reads it: `3` as 3 for an integer parameter."""
    kinds = (parameter.get("schema") or {}).get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds and value.lstrip("-").isdigit():
        return int(value)
    if "number" in kinds:
        try:
            return float(value)
        except ValueError:
            return value
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    return value


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += "[]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _member_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every member path in a JSON value (`a.b`, `a[].c`), as contract_model.members names them."""
    if isinstance(value, dict):
        for name, member in value.items():
            path = f"{prefix}.{name}" if prefix else str(name)
            yield path
            yield from _member_paths(member, path)
    elif isinstance(value, list):
        for item in value:
            yield f"{prefix}[]"
            yield from _member_paths(item, f"{prefix}[]")


def _received(document: Document, schema: Any, value: Any, path: str) -> list[tuple[str, str]]:
    """What of a received value the schema no longer admits: (member path, problem)."""
    schema = model.resolved(document, schema)
    if not isinstance(schema, dict):
        return []
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            branches = _pinned(document, schema[combinator], value) or schema[combinator]
            tried = [_received(document, branch, value, path) for branch in branches]
            best = min(tried, key=len)
            if best:
                return best
    problems = [
        problem
        for part in schema.get("allOf") or []
        for problem in _received(document, part, value, path)
    ]
    problem = _scalar_problem(schema, value)
    if problem:
        return [*problems, (path, problem)]
    if isinstance(value, dict):
        problems += _received_members(document, schema, value, path)
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            for found in _received(document, schema["items"], item, f"{path}[]"):
                if found not in problems:
                    problems.append(found)
    return problems


def _pinned(document: Document, branches: list[Any], value: Any) -> list[Any]:
    """The branches that a member's const names the value by (`type: PRODUCT`), if any.

    A discriminating member says which branch the value is, as a reader takes it; a catch-all
    branch that admits anything does not hide a member removed from the branch it names.
    """
    if not isinstance(value, dict):
        return []
    pinned = []
    for branch in branches:
        properties = _properties(document, model.resolved(document, branch) or {})
        for name, member in properties.items():
            member = model.resolved(document, member)
            if (
                isinstance(member, dict)
                and "const" in member
                and value.get(name) == member["const"]
            ):
                pinned.append(branch)
                break
    return pinned


def _received_members(
    document: Document, schema: Document, value: dict[str, Any], path: str
) -> list[tuple[str, str]]:
    properties = _properties(document, schema)
    extra = schema.get("additionalProperties")
    problems = []
    for name, member in value.items():
        where = f"{path}.{name}" if path else name
        if name in properties:
            problems += _received(document, properties[name], member, where)
        elif isinstance(extra, dict):
            problems += _received(document, extra, member, where)
        elif extra is not True and (properties or extra is False):
            problems.append((where, "no longer documented; the app received it"))
    return problems


def _properties(document: Document, schema: Document) -> dict[str, Any]:
    """The properties a schema declares, its allOf parts' included."""
    found = dict(schema.get("properties") or {})
    for part in schema.get("allOf") or []:
        part = model.resolved(document, part)
        if isinstance(part, dict):
            found.update(_properties(document, part))
    return found


def _scalar_problem(schema: Document, value: Any) -> str | None:
    """Whether the schema's type, enum and const admit the received value."""
    kinds = schema.get("type")
    if kinds is not None:
        allowed = set(kinds if isinstance(kinds, list) else [kinds])
        if schema.get("nullable") is True:
            allowed.add("null")
        if _json_type(value) not in allowed and not (
            _json_type(value) == "integer" and "number" in allowed
        ):
            return f"now {' or '.join(sorted(allowed))}; the app received {_json_type(value)}"
    if "const" in schema and value != schema["const"]:
        return f"now always {schema['const']!r}; the app received {value!r}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{value!r} is no longer one of {schema['enum']}; the app received it"
    return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return next(name for name, kind in JSON_TYPES.items() if isinstance(value, kind))


def _no_longer_required(
    before: dict[Place, str], after: dict[Place, str], interaction: Interaction, touched: set[Place]
) -> Iterator[Finding]:
    """A response member the app received that the baseline required and the contract does
    not: it may no longer come. Only with a baseline can this be told."""
    for place in sorted(touched):
        if place[0] != "response" or place not in after:
            continue
        if before.get(place, "").startswith("required") and after[place].startswith("optional"):
            message = (
                f"status {place[2]}: response member {place[3]}: no longer required; "
                "the app received it and may now go without"
            )
            yield Finding(interaction.description, place, message)


def _changes(
    before: dict[Place, str],
    after: dict[Place, str],
    findings: tuple[Finding, ...],
    used: set[Place],
) -> Iterator[Change]:
    covered = {finding.place for finding in findings}
    differing = {
        place for place in before.keys() | after.keys() if before.get(place) != after.get(place)
    }
    # A place added or removed with its status, operation or parent member is said once.
    whole = {place for place in differing if place not in before or place not in after}
    for place in sorted(differing):
        if any(ancestor in whole for ancestor in _ancestors(place)):
            continue
        was, now = before.get(place), after.get(place)
        below = any(ancestor in covered for ancestor in _ancestors(place))
        if place in covered or below or any(_within(place, found) for found in covered):
            yield Change(place, was, now, "breaks", "a finding above")
        elif place in used:
            yield Change(place, was, now, "compatible", _touched(place))
        else:
            yield Change(place, was, now, "unnoticed", _untouched(place, was, now))


def _ancestors(place: Place) -> Iterator[Place]:
    kind, operation, *rest = place
    if kind != "operation":
        yield ("operation", operation)
    if kind == "response":
        yield ("status", operation, rest[0])
    if kind in ("request", "response") and rest[-1]:
        *within, path = rest
        yield (kind, operation, *within, "")  # the request body itself
        parts = path.replace("[]", ".[]").split(".")
        for end in range(1, len(parts)):
            yield (kind, operation, *within, ".".join(parts[:end]).replace(".[]", "[]"))


def _within(place: Place, found: Place) -> bool:
    """Whether a finding at `found` is about `place` or a member below it."""
    return len(found) > len(place) and found[: len(place)] == place


def _touched(place: Place) -> str:
    kind = place[0]
    if kind in ("response", "status"):
        return "the app meets it, and what it received still holds"
    return "the app uses it, and what it sends is still valid"


def _untouched(place: Place, was: str | None, now: str | None) -> str:
    kind = place[0]
    if kind == "operation":
        return "an operation the app never calls"
    if kind == "status":
        return "a status the app has never met"
    if was is None and now is not None and now.startswith("optional"):
        return "a new optional member"
    if kind == "response":
        return "a member the app has never received"
    return "a member the app never sends"


# The last line of `octave-mock impact`, by its exit code (as `make diff` ends).
COMPATIBLE = "compatible: nothing {app} sends or receives is broken by this contract"
INCOMPATIBLE = "incompatible: this contract breaks {app} ({count})"
COULD_NOT_JUDGE = "could not judge: nothing was judged"
VERDICT_WORDS = {"breaks": "breaks it", "compatible": "compatible", "unnoticed": "unnoticed"}


def describe(place: Place) -> str:
    """A place in words: `GET /api/v2/product/get status 200 response member data.type`."""
    kind, operation, *rest = place
    if kind == "operation":
        return f"operation {operation}"
    if kind == "status":
        return f"{operation} status {rest[0]}"
    if kind == "response":
        return f"{operation} status {rest[0]} response member {rest[1]}"
    if kind == "request":
        return f"{operation} request body" + (f" member {rest[0]}" if rest[0] else "")
    if kind == "security":
        return f"{operation} key header {rest[0]}"
    return f"{operation} {kind} parameter {rest[0]}"


def report(impact: Impact, app: str, baseline_name: str | None) -> str:
    """The findings, then each change from the baseline with its verdict, then the verdict."""
    lines = [f"x {finding}" for finding in impact.findings]
    if impact.changes:
        lines.append(f"\nChanges from {baseline_name}, and what they do to {app}:")
        for change in impact.changes:
            if change.before is None:
                what = f"added ({change.after})"
            elif change.after is None:
                what = "removed"
            else:
                what = f"{change.before} -> {change.after}"
            verdict = VERDICT_WORDS[change.verdict]
            lines.append(f"  {verdict:<11} {describe(change.place)}: {what}; {change.why}")
    elif baseline_name is not None:
        lines.append(f"No change from {baseline_name} that a client can see.")
    count = len(impact.findings)
    said = f"{count} finding{'s' if count != 1 else ''}"
    last = INCOMPATIBLE.format(app=app, count=said) if count else COMPATIBLE.format(app=app)
    return "\n".join([*lines, "", last]).lstrip("\n")


def judge_files(pact_path: Path, spec_path: Path, baseline_path: Path | None) -> tuple[str, int]:
    """`octave-mock impact`: the report, and the exit code (0 compatible, 1 not, 2 no verdict).

    PactError and ContractError (a file that cannot be read) are the caller's to report.
    """
    pact = read_pact(pact_path)
    contract = model.load_contract(spec_path)
    baseline = None
    if baseline_path is not None and baseline_path.resolve() != spec_path.resolve():
        baseline = model.load_contract(baseline_path)
    impact = judge(contract, pact, baseline)
    app = pact.consumer or "the app"
    count = len(pact.interactions)
    head = (
        f"{app} ({pact_path}: {count} interaction{'s' if count != 1 else ''}) against "
        f"{spec_path} ({_version(contract)})\n"
    )
    baseline_name = None if baseline is None else f"{baseline_path} ({_version(baseline)})"
    return head + "\n" + report(impact, app, baseline_name), 0 if impact.compatible else 1


def _version(contract: Document) -> str:
    info = contract.get("info")
    return str(info.get("version", "no version")) if isinstance(info, dict) else "no version"
