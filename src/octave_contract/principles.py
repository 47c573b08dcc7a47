"""The contract's principles, each checked over every operation, status, key role and kind.

Generated cases test what schemathesis happens to draw; these fixed requests test what must
hold whatever is drawn. Each is derived from openapi.yaml and the run's inputs, so a new
operation, status or kind is covered without a new check:

- `error_answers_change_nothing`: every operation that can change state (its method is not
  safe, RFC 9110 §9.2.1) is asked, with changes in its body, in the way that provokes each
  error status it documents (ERROR_PROVOKERS); the object read back after the answer is the
  object read before it.
- `foreign_objects_look_absent`: under every key role the run has, another workspace's object
  of every kind answers as an oId of no workspace does, and a write to it changes nothing.
- `kinds_keep_to_their_own`: an oId of one kind, asked of another kind's operation, answers
  as an oId of no workspace does, and a write to it changes nothing.
- `equivalent_requests_answered_alike`: each form of EQUIVALENT_FORMS, which HTTP, URIs or
  JSON define as meaning the same request, is answered as the plain request is.

They run once per contract run, over the run's own transport: in-process over ASGI, or over
HTTP against the mock or (where the run's inputs allow it, at the run's rate) the real API.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

import requests
import yaml

from octave_contract.checks import differing_fields, disclosed_view, view_differences
from octave_contract.run_inputs import ContractInputs
from octave_kit.keys import KEY_HEADER

# RFC 9110 §9.2.1: the methods whose semantics are read-only.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
JSON = "application/json"
OVERSIZED_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 30

NO_ERROR_CHANGES = "error_answers_change_nothing"
FOREIGN_LOOKS_ABSENT = "foreign_objects_look_absent"
KINDS_KEEP_APART = "kinds_keep_to_their_own"
EQUIVALENT_FORMS_ALIKE = "equivalent_requests_answered_alike"
PRINCIPLES = (NO_ERROR_CHANGES, FOREIGN_LOOKS_ABSENT, KINDS_KEEP_APART, EQUIVALENT_FORMS_ALIKE)

Json = dict[str, Any]


# -- Requests and replies ------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One request as it goes on the wire: header names and the query string as written."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> object:
        try:
            return json.loads(self.content)
        except ValueError:
            return None


@dataclass
class Client:
    """Sends requests exactly as written (no re-quoting, no header-name folding of its own).

    `interval` spaces the requests out: a live run's rate bound.
    """

    session: requests.Session
    base_url: str
    interval: float = 0.0
    sent: int = 0
    _last: float = field(default=0.0, repr=False)

    def send(self, request: Request) -> Reply:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        url = self.base_url.rstrip("/") + request.path
        prepared = self.session.prepare_request(
            requests.Request(request.method, url, headers=dict(request.headers), data=request.body)
        )
        if request.query:  # as written: requests would undo a percent-encoding of its own
            prepared.url = f"{url}?{request.query}"
        answer = self.session.send(prepared, timeout=TIMEOUT_SECONDS, allow_redirects=False)
        self._last = time.monotonic()
        self.sent += 1
        headers = {name.lower(): value for name, value in answer.headers.items()}
        return Reply(answer.status_code, headers, answer.content)


# -- The contract's operations, as the principles see them ------------------------------------


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    kind: str  # its first tag, lower case: what kind of object it reads or writes
    statuses: frozenset[int]
    id_parameter: str | None  # the required query parameter that names the object, if any
    body_schema: Json | None  # the JSON request body's schema, $refs resolved

    @property
    def changes_state(self) -> bool:
        return self.method not in SAFE_METHODS

    @property
    def id_member(self) -> str | None:
        """The body member that names the object: the body's one required member."""
        required = (self.body_schema or {}).get("required", [])
        return required[0] if len(required) == 1 else None

    def changes(self, token: str) -> Json:
        """A value for every member the body may carry besides the object's name.

        Strings and lists of strings; a member of another type keeps its stored value.
        """
        found: Json = {}
        for name, schema in (self.body_schema or {}).get("properties", {}).items():
            if name == self.id_member:
                continue
            if schema.get("type") == "string":
                found[name] = f"{name} {token}"
            elif schema.get("type") == "array" and schema.get("items", {}).get("type") == "string":
                found[name] = [f"{name} {token}"]
        return found

    def request(
        self, oid: str, key: str | None, members: Json | None = None, **headers: str
    ) -> Request:
        """The request naming `oid`, under `key`, with `members` in its body if it has one."""
        sent = {KEY_HEADER: key} if key is not None else {}
        if self.id_parameter is not None:
            return Request(
                self.method,
                self.path,
                urlencode({self.id_parameter: oid}),
                tuple({**sent, **headers}.items()),
            )
        body = {str(self.id_member): oid, **(members or {})}
        all_headers = {**sent, "content-type": JSON, **headers}
        return Request(self.method, self.path, "", tuple(all_headers.items()), compact(body))


def with_content_type(request: Request, value: str) -> Request:
    headers = tuple((k, value if k.lower() == "content-type" else v) for k, v in request.headers)
    return replace(request, headers=headers)


def compact(document: object) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def resolve(document: Json, node: Any) -> Any:
    """`node` with its local `$ref`s replaced by what they point at (one level at a time)."""
    while isinstance(node, dict) and "$ref" in node:
        for part in node["$ref"].removeprefix("#/").split("/"):
            document = document[part] if part else document
        node = document
    return node


def operations_of(spec: Json) -> list[Operation]:
    """Every operation of the spec, with what the principles need to know of it."""
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not (isinstance(op, dict) and "operationId" in op):
                continue
            parameters = [resolve(spec, p) for p in op.get("parameters", [])]
            id_parameter = next(
                (p["name"] for p in parameters if p.get("in") == "query" and p.get("required")),
                None,
            )
            content = resolve(spec, op.get("requestBody", {})).get("content", {})
            schema = resolve(spec, content[JSON]["schema"]) if JSON in content else None
            if schema is not None:
                schema = {
                    **schema,
                    "properties": {
                        name: resolve(spec, prop)
                        for name, prop in schema.get("properties", {}).items()
                    },
                }
            found.append(
                Operation(
                    op["operationId"],
                    method.upper(),
                    path,
                    op.get("tags", [op["operationId"]])[0].lower(),
                    frozenset(int(code) for code in op["responses"] if code.isdigit()),
                    id_parameter,
                    schema,
                )
            )
    return found


def object_of(reply: Reply) -> Json | None:
    """The object a 200 answer carries: flat beside `_metadata`, or under `data`."""
    body = reply.json()
    if reply.status != 200 or not isinstance(body, dict):
        return None
    if "oId" not in body and isinstance(body.get("data"), dict):
        body = body["data"]
    return body if isinstance(body, dict) else None


# -- What a run of the principles has and finds ----------------------------------------------


@dataclass(frozen=True)
class Finding:
    check: str
    message: str


@dataclass
class Principles:
    """One run of the principles: the run's inputs, the spec's operations, a client."""

    inputs: ContractInputs
    operations: list[Operation]
    client: Client
    findings: list[Finding] = field(default_factory=list)

    def send(self, request: Request) -> Reply:
        return self.client.send(request)

    def fail(self, check: str, message: str) -> None:
        self.findings.append(Finding(check, message))

    @property
    def writes_allowed(self) -> bool:
        """Writes beyond the run's own object: against the mock only."""
        return self.inputs.target == "mock"

    def own_object(self, op: Operation) -> str | None:
        """The run's object `op` may ask for: against the real API, one it may write."""
        oid = self.inputs.own_objects.get(op.kind)
        if op.changes_state and self.inputs.target == "live":
            return self.inputs.sandbox_reference if oid == self.inputs.sandbox_reference else None
        return oid

    def reader(self, kind: str) -> Operation | None:
        """How an object of `kind` is read: its kind's safe operation, else its writing one
        with nothing but the object's name (a partial update that changes nothing)."""
        of_kind = [op for op in self.operations if op.kind == kind]
        safe = [op for op in of_kind if not op.changes_state]
        partial = [op for op in of_kind if op.id_member is not None]
        return next(iter(safe or partial), None)

    def state(self, kind: str, oid: str, key: str) -> Json | None:
        reader = self.reader(kind)
        if reader is None:
            return None
        return object_of(self.send(reader.request(oid, key)))

    def changed(
        self, kind: str, oid: str, key: str, before: Json | None
    ) -> tuple[Json | None, list[str]]:
        """The object as read now, and what differs from `before` (server-managed fields aside)."""
        after = self.state(kind, oid, key)
        if before is None or after is None:
            return after, [] if before is after else ["whether it can be read"]
        return after, differing_fields(before, after)


# -- 1. No error answer changes anything ---------------------------------------------------


@dataclass(frozen=True)
class Provoker:
    how: str
    request: Callable[[Principles, Operation, str, Json], Request | None]
    # Not asked of the real API: no 2 MB uploads to it, no asking it for failures.
    mock_only: bool = False


def wrong_type(members: Json) -> Json:
    """`members` with the last one given a value of another type than its schema's."""
    name = list(members)[-1]
    return {**members, name: 12345 if isinstance(members[name], str) else "not a list"}


def _invalid(p: Principles, op: Operation, oid: str, members: Json) -> Request:
    return op.request(oid, p.inputs.key, wrong_type(members))


def _unknown_key(p: Principles, op: Operation, oid: str, members: Json) -> Request:
    return op.request(oid, f"unknown_{secrets.token_hex(8)}", members)


def _read_only_key(p: Principles, op: Operation, oid: str, members: Json) -> Request | None:
    key = p.inputs.read_only_key
    return None if key is None else op.request(oid, key, members)


def _other_workspace(p: Principles, op: Operation, oid: str, members: Json) -> Request | None:
    key = p.inputs.other_key
    if key is None or not p.inputs.other_key_updates:
        return None
    return op.request(oid, key, members)


def _oversized(p: Principles, op: Operation, oid: str, members: Json) -> Request:
    name = next(n for n, v in members.items() if isinstance(v, str))
    return op.request(oid, p.inputs.key, {**members, name: "x" * OVERSIZED_BYTES})


def _not_json(p: Principles, op: Operation, oid: str, members: Json) -> Request:
    return with_content_type(op.request(oid, p.inputs.key, members), "text/plain")


def _asked_for(status: int) -> Callable[[Principles, Operation, str, Json], Request]:
    def ask(p: Principles, op: Operation, oid: str, members: Json) -> Request:
        return op.request(oid, p.inputs.key, members, Prefer=f"code={status}")

    return ask


# How the run provokes each error status with a body that would change the object. A status
# the spec documents for a state-changing operation and this table lacks fails the run.
ERROR_PROVOKERS: dict[int, Provoker] = {
    400: Provoker("a member of the wrong type beside valid changes", _invalid),
    401: Provoker("a key the API does not know", _unknown_key),
    403: Provoker("the read-only key", _read_only_key),
    404: Provoker("another workspace's key", _other_workspace),
    413: Provoker(f"a body over the size limit ({OVERSIZED_BYTES} bytes)", _oversized, True),
    415: Provoker("the changes as text/plain", _not_json),
    429: Provoker("the mock's Prefer: code=429 (a rate limit)", _asked_for(429), True),
    500: Provoker("the mock's Prefer: code=500 (a server error)", _asked_for(500), True),
}


def error_answers_change_nothing(p: Principles) -> None:
    for op in p.operations:
        oid = p.own_object(op)
        if not op.changes_state or oid is None:
            continue
        before = p.state(op.kind, oid, p.inputs.key)
        for status in sorted(s for s in op.statuses if s >= 400):
            provoker = ERROR_PROVOKERS.get(status)
            if provoker is None:
                p.fail(
                    NO_ERROR_CHANGES,
                    f"{op.operation_id} documents {status}, and the run knows no request that "
                    "provokes it: add one to octave_contract.principles.ERROR_PROVOKERS",
                )
                continue
            if provoker.mock_only and p.inputs.target != "mock":
                continue
            members = op.changes(f"sent with {status} {secrets.token_hex(4)}")
            request = provoker.request(p, op, oid, members)
            if request is None:  # the run has not got that key, or may not use it so
                continue
            reply = p.send(request)
            what = f"{op.operation_id} of {oid!r} with {provoker.how}"
            if reply.status != status:
                p.fail(
                    NO_ERROR_CHANGES,
                    f"{what} answered {reply.status}, not {status}: that error's writes "
                    "were not checked",
                )
            before, changed = p.changed(op.kind, oid, p.inputs.key, before)
            if reply.status >= 400 and changed:
                p.fail(
                    NO_ERROR_CHANGES,
                    f"{what} answered {reply.status} but changed {', '.join(changed)}",
                )


# -- 2. Every key and every kind keep to their own -----------------------------------------


def nowhere(oid: str) -> str:
    return f"{oid}_nowhere_{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Known:
    """An object the run knows: its kind, its oId, and a key of its own workspace."""

    kind: str
    oid: str
    owner_key: str


def looks_absent(p: Principles, check: str, op: Operation, obj: Known, key: str, what: str) -> None:
    """`op` asked for `obj` under `key` answers as an oId of no workspace; a write (where the
    run may write) changes nothing."""
    if op.changes_state and not p.writes_allowed:
        return
    members = op.changes(f"sent by {what} {secrets.token_hex(4)}") if op.changes_state else None
    oid = obj.oid
    before = p.state(obj.kind, oid, obj.owner_key) if op.changes_state else None
    found = p.send(op.request(oid, key, members))
    absent_oid = nowhere(oid)
    absent = p.send(op.request(absent_oid, key, members))
    differences = view_differences(
        disclosed_view(found.status, found.headers, found.content, oid),
        disclosed_view(absent.status, absent.headers, absent.content, absent_oid),
    )
    if differences:
        p.fail(
            check,
            f"{op.operation_id} of {oid!r} ({what}) answered otherwise than an oId of no "
            f"workspace: {'; '.join(differences)}",
        )
    if op.changes_state:
        _, changed = p.changed(obj.kind, oid, obj.owner_key, before)
        if changed:
            p.fail(check, f"{op.operation_id} of {oid!r} ({what}) changed {', '.join(changed)}")


def key_roles(inputs: ContractInputs) -> Iterator[tuple[str, str]]:
    yield "the read-write key", inputs.key
    if inputs.read_only_key:
        yield "the read-only key", inputs.read_only_key


def foreign_objects_look_absent(p: Principles) -> None:
    owner = p.inputs.other_key
    for role, key in key_roles(p.inputs):
        for op in p.operations:
            oid = p.inputs.foreign_objects.get(op.kind)
            if oid is not None and owner is not None:
                what = f"another workspace's {op.kind}, under {role}"
                looks_absent(p, FOREIGN_LOOKS_ABSENT, op, Known(op.kind, oid, owner), key, what)


def kinds_keep_to_their_own(p: Principles) -> None:
    for role, key in key_roles(p.inputs):
        for op in p.operations:
            for kind, oid in sorted(p.inputs.own_objects.items()):
                if kind != op.kind:
                    what = f"a {kind}, asked of a {op.kind} operation under {role}"
                    obj = Known(kind, oid, p.inputs.key)
                    looks_absent(p, KINDS_KEEP_APART, op, obj, key, what)


# -- 3. Equivalent requests, the same answer -----------------------------------------------


def _headers(request: Request, rename: Callable[[str], str]) -> Request:
    return replace(request, headers=tuple((rename(k), v) for k, v in request.headers))


def _capitalised(name: str) -> str:
    """`api_key` as `Api_Key`, `content-type` as `Content-Type`."""
    return re.sub(r"[A-Za-z]+", lambda word: word.group().capitalize(), name)


def _content_type(value: str) -> Callable[[Request], Request | None]:
    def rewrite(request: Request) -> Request | None:
        if request.header("content-type") != JSON:
            return None
        return with_content_type(request, value)

    return rewrite


def _json_body(change: Callable[[Json], bytes]) -> Callable[[Request], Request | None]:
    def rewrite(request: Request) -> Request | None:
        if request.header("content-type") != JSON or request.body is None:
            return None
        document = json.loads(request.body)
        return replace(request, body=change(document)) if len(document) > 1 else None

    return rewrite


def _reordered(document: Json) -> bytes:
    return compact(dict(reversed(document.items())))


def _spaced(document: Json) -> bytes:
    spaced = json.dumps(document, indent="\t", separators=(" , ", " : "))
    return f" \r\n\t{spaced}\n".encode()


def _percent_encoded(request: Request) -> Request | None:
    if not request.query:
        return None
    name, _, value = request.query.partition("=")
    encoded = "".join(f"%{byte:02x}" for byte in value.encode())
    return replace(request, query=f"{name}={encoded}")


@dataclass(frozen=True)
class Form:
    name: str
    source: str  # where HTTP, URIs or JSON say it means the same
    rewrite: Callable[[Request], Request | None]  # None: the form does not apply


# Forms of a request that mean the same request, with the text that says so. Each is sent,
# for every operation it applies to, beside the plain request; docs/contract-tests.md lists
# them (a test keeps the two alike).
EQUIVALENT_FORMS = (
    Form(
        "a charset parameter on the media type",
        "RFC 8259 §11: application/json has no charset parameter; adding one has no effect",
        _content_type("application/json; charset=utf-8"),
    ),
    Form(
        "the media type in other letter case",
        "RFC 9110 §8.3.1: type and subtype are case-insensitive",
        _content_type("Application/JSON"),
    ),
    Form(
        "a parameter without whitespace, its name and value in capitals",
        "RFC 9110 §5.6.6: whitespace around `;` is optional, parameter names are "
        "case-insensitive; §8.3.2: charset names are case-insensitive",
        _content_type("application/json;CHARSET=UTF-8"),
    ),
    Form(
        "header names in capitals",
        "RFC 9110 §5.1: field names are case-insensitive",
        lambda request: _headers(request, str.upper),
    ),
    Form(
        "header names capitalised",
        "RFC 9110 §5.1: field names are case-insensitive",
        lambda request: _headers(request, _capitalised),
    ),
    Form(
        "JSON members in another order",
        "RFC 8259 §1: an object is an unordered collection of name/value pairs",
        _json_body(_reordered),
    ),
    Form(
        "JSON with whitespace between its tokens",
        "RFC 8259 §2: insignificant whitespace is allowed before or after any structural character",
        _json_body(_spaced),
    ),
    Form(
        "the query value percent-encoded, in lower-case hex",
        "RFC 3986 §2.3: a percent-encoded unreserved character is the character; §2.1: "
        "hex digits are case-insensitive",
        _percent_encoded,
    ),
)


def comparable_view(reply: Reply, oid: str) -> tuple[Any, ...]:
    """What the answer says, the per-answer parts and the time of the write aside."""
    status, headers, body = disclosed_view(reply.status, reply.headers, reply.content, oid)
    for holder in (body, body.get("data") if isinstance(body, dict) else None):
        if isinstance(holder, dict):
            holder.pop("updatedAt", None)
    return status, headers, body


def equivalent_requests_answered_alike(p: Principles) -> None:
    for op in p.operations:
        oid = p.own_object(op)
        if oid is None:
            continue
        members = op.changes(f"sent in every form {secrets.token_hex(4)}")
        plain = op.request(oid, p.inputs.key, members if op.changes_state else None)
        answered = comparable_view(p.send(plain), oid)
        for form in EQUIVALENT_FORMS:
            request = form.rewrite(plain)
            if request is None:
                continue
            differences = view_differences(comparable_view(p.send(request), oid), answered)
            if differences:
                p.fail(
                    EQUIVALENT_FORMS_ALIKE,
                    f"{op.operation_id} of {oid!r} with {form.name} ({form.source}) answered "
                    f"otherwise than the plain request: {'; '.join(differences)}",
                )


def check_principles(inputs: ContractInputs, spec: Json, client: Client) -> Principles:
    """Every principle over every operation of `spec`, through `client`."""
    run = Principles(inputs, operations_of(spec), client)
    for principle in (
        error_answers_change_nothing,
        foreign_objects_look_absent,
        kinds_keep_to_their_own,
        equivalent_requests_answered_alike,
    ):
        principle(run)
    return run


def seconds_between(rate_limit: str) -> float:
    """The spacing of requests a rate bound such as `2/s` or `100/m` asks for."""
    count, _, unit = rate_limit.partition("/")
    per = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}[unit.strip() or "s"]
    return per / float(count)


def check_over_http(inputs: ContractInputs, url: str) -> Principles:
    """The principles against a server at `url`; against the real API at the run's rate."""
    spec = yaml.load(inputs.spec.read_text(encoding="utf-8"), yaml.CSafeLoader)
    interval = 0.0 if inputs.target == "mock" else seconds_between(inputs.rate_limit)
    with requests.Session() as session:
        return check_principles(inputs, spec, Client(session, url, interval))
