"""Writing the app's traffic as a Pact file (V4, `Synchronous/HTTP` interactions).

One interaction per distinct request shape and status of each operation, not one per
request: the shape is what a provider can tell apart (the parameters and body members sent,
each member's JSON type, and the key's role), never the values. The example of each shape is
its first exchange, tests taken by name, so the file does not depend on which xdist worker ran
which test. Values do not pin the contract: every request and response body, parameter and
header is matched by type. Values the mock minted while the tests ran (request ids, the
timestamps of now, the oIds of objects added without one) are written as fixed stand-ins of the
same type, so the same tests write the same bytes.

No key is ever written. A request that carried one has a provider state naming the key's role
(a read-write or read-only key of a workspace, or a key the provider does not know), and its
`api_key` header is filled in at replay from that state (a provider-state generator): the
mock's `/_mock/provider-states` answers each state with the key to send. Objects a test added
become provider states of the interactions whose request names them, their fields kept, so
the file replays against a fresh mock.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from octave_kit.keys import BLANKED_KEY, KEY_HEADER
from octave_kit.traffic import Exchange

JSON_MEDIA_TYPE = "application/json"
KEY_EXPRESSION = "${apiKey}"  # the provider-state value the api_key header is replayed with
MINTED_TIME = "2021-01-01T00:00:00.000Z"
MINTED_REQUEST_ID = "req_0000000000000000"
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
BY_TYPE = {"combine": "AND", "matchers": [{"match": "type"}]}
PACT_SPECIFICATION = "4.0"
DEFAULT_PROVIDER = "Octave"
GATEWAY_FAULT = "gateway"  # the mock's name for a gateway's page (a 502, 503 or 504)


@dataclass(frozen=True)
class KeyRole:
    """The key a request carried, by role: the provider gives a key of that role at replay."""

    workspace: str | None = None  # None: any workspace (the proxy cannot tell)
    read_only: bool = False
    known: bool = True  # False: a key the provider does not know

    @property
    def state(self) -> dict[str, Any]:
        if not self.known:
            return {
                "name": "the api_key is one Octave does not know",
                "params": {"key": {"known": False}},
            }
        kind = "read-only" if self.read_only else "read-write"
        role: dict[str, Any] = {"readOnly": self.read_only}
        name = f"the api_key is a {kind} key"
        if self.workspace is not None:
            role["workspace"] = self.workspace
            name += f" of workspace {self.workspace}"
        return {"name": name, "params": {"key": role}}

    @property
    def words(self) -> str:
        if not self.known:
            return "an unknown key"
        return "a read-only key" if self.read_only else "a key"


@dataclass(frozen=True)
class AddedObject:
    """An object a test added (add_product, POST /_mock/objects): its fields as given."""

    kind: str
    workspace: str
    fields: dict[str, Any]  # as the test gave them, with the oId the object got
    minted_oid: bool  # whether the mock chose the oId (the test gave none)

    @property
    def oid(self) -> str:
        return str(self.fields["oId"])


@dataclass(frozen=True)
class Sent:
    """One exchange of a test, with what the Pact file needs beside the traffic."""

    test: str  # the test's node id
    sequence: int  # its place among the test's exchanges
    exchange: Exchange  # the traffic model's (octave_kit.traffic)
    key: KeyRole | None  # None: no key sent
    request_id: str | None = None
    added: tuple[AddedObject, ...] = ()  # what the test had added by then
    fault: str | None = None  # the mock's fault or script that chose the status, if any
    minted_since: str = ""  # the ISO time the run began: later timestamps were minted in it


def sent_to_json(item: Sent) -> dict[str, Any]:
    """A Sent as plain JSON, for a worker to hand to the controller."""
    return {
        "test": item.test,
        "sequence": item.sequence,
        "exchange": item.exchange.to_json(),
        "key": None if item.key is None else asdict(item.key),
        "request_id": item.request_id,
        "added": [asdict(added) for added in item.added],
        "minted_since": item.minted_since,
        "fault": item.fault,
    }


def sent_from_json(data: dict[str, Any]) -> Sent:
    return Sent(
        test=data["test"],
        sequence=data["sequence"],
        exchange=Exchange.from_json(data["exchange"]),
        key=None if data["key"] is None else KeyRole(**data["key"]),
        request_id=data["request_id"],
        added=tuple(AddedObject(**added) for added in data["added"]),
        minted_since=data["minted_since"],
        fault=data["fault"],
    )


@dataclass
class _Shape:
    first: Sent
    examples: int = 0
    states: list[dict[str, Any]] = field(default_factory=list)


def pact_document(consumer: str, provider: str, sent: Iterable[Sent]) -> dict[str, Any]:
    """The Pact V4 document of the exchanges (those without an answer are left out)."""
    shapes: dict[str, _Shape] = {}
    for item in sorted(sent, key=lambda s: (s.test, s.sequence)):
        if item.exchange.status is None or item.fault == GATEWAY_FAULT:
            continue  # no response (a hang, a reset), or a gateway's page: not Octave's answer
        signature = json.dumps(_shape(item), sort_keys=True)
        shapes.setdefault(signature, _Shape(item)).examples += 1
    interactions = [_interaction(shape.first) for shape in shapes.values()]
    interactions.sort(key=lambda i: (i["description"], json.dumps(i, sort_keys=True)))
    _unique_descriptions(interactions)
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": interactions,
        "metadata": {
            "pactSpecification": {"version": PACT_SPECIFICATION},
            "octave-kit": {"interactions": "one per request shape and status of each operation"},
        },
    }


def pact_text(document: dict[str, Any]) -> str:
    """The document as written: keys sorted, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _shape(item: Sent) -> dict[str, Any]:
    exchange = item.exchange
    return {
        "operation": exchange.operation or f"{exchange.method} {exchange.path}",
        "status": exchange.status,
        "key": None if item.key is None else item.key.state,
        "query": sorted(exchange.query),
        "body": _skeleton(exchange.request_json),
    }


def _skeleton(value: Any) -> Any:
    """A JSON value's shape: member names and JSON types, never values."""
    if isinstance(value, dict):
        return {name: _skeleton(member) for name, member in value.items()}
    if isinstance(value, list):
        items = {json.dumps(_skeleton(item), sort_keys=True) for item in value}
        return ["list", *sorted(items)]
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else "string"


def _interaction(item: Sent) -> dict[str, Any]:
    exchange = item.exchange
    stand_in = _StandIns.of(item)
    query = {name: [stand_in(value)] for name, value in sorted(exchange.query.items())}
    request_body = stand_in(exchange.request_json)
    named = _strings(query) | _strings(request_body)
    states = [] if item.key is None else [item.key.state]
    for added in item.added:
        oid = stand_in(added.oid)
        if oid in named:
            params = {
                "kind": added.kind,
                "workspace": added.workspace,
                "object": stand_in(added.fields),
            }
            states.append({"name": f"{added.kind} {oid} was added", "params": params})
    if item.fault is not None and exchange.operation is not None:
        # A status a fault or a script chose: the replay scripts the same answer.
        script = {"operation": exchange.operation, "status": exchange.status}
        name = f"the next {exchange.operation} answers {exchange.status}"
        states.append({"name": name, "params": {"script": script}})
    request: dict[str, Any] = {"method": exchange.method, "path": exchange.path}
    rules: dict[str, Any] = {}
    if query:
        request["query"] = query
        rules["query"] = {name: BY_TYPE for name in query}
    headers: dict[str, list[str]] = {}
    if item.key is not None:
        headers[KEY_HEADER] = [BLANKED_KEY]
        rules["header"] = {KEY_HEADER: BY_TYPE}
        request["generators"] = {
            "header": {KEY_HEADER: {"type": "ProviderState", "expression": KEY_EXPRESSION}}
        }
    if exchange.request_json is not None:
        headers["Content-Type"] = [JSON_MEDIA_TYPE]
        request["body"] = _body(request_body)
        rules["body"] = {"$": BY_TYPE}
    if headers:
        request["headers"] = headers
    if rules:
        request["matchingRules"] = rules
    response: dict[str, Any] = {"status": exchange.status}
    if exchange.response_json is not None:
        response["headers"] = {"Content-Type": [JSON_MEDIA_TYPE]}
        response["body"] = _body(stand_in(exchange.response_json))
        response["matchingRules"] = {"body": {"$": BY_TYPE}}
    interaction: dict[str, Any] = {
        "type": "Synchronous/HTTP",
        "description": _description(item),
        "request": request,
        "response": response,
        "pending": False,
    }
    if states:
        interaction["providerStates"] = states
    return interaction


def _body(content: Any) -> dict[str, Any]:
    return {"content": content, "contentType": JSON_MEDIA_TYPE, "encoded": False}


def _description(item: Sent) -> str:
    exchange = item.exchange
    said = [exchange.operation or f"{exchange.method} {exchange.path}", f"-> {exchange.status}"]
    said.append("with " + (item.key.words if item.key is not None else "no key"))
    sent = [*sorted(exchange.query)]
    if isinstance(exchange.request_json, dict):
        sent += sorted(exchange.request_json)
    elif exchange.request_json is not None:
        sent.append("a body")
    if sent:
        said.append("sending " + ", ".join(sent))
    return " ".join(said)


def _unique_descriptions(interactions: Sequence[dict[str, Any]]) -> None:
    """Pact tells interactions apart by description: shapes alike in words get a number."""
    seen: dict[str, int] = {}
    for interaction in interactions:
        description = interaction["description"]
        seen[description] = seen.get(description, 0) + 1
        if seen[description] > 1:
            interaction["description"] = f"{description} ({seen[description]})"


@dataclass(frozen=True)
class _StandIns:
    """The values the mock minted in a test, each written as a fixed stand-in."""

    values: dict[str, str]
    since: str  # timestamps from here on were minted while the tests ran

    @classmethod
    def of(cls, item: Sent) -> _StandIns:
        values = {} if item.request_id is None else {item.request_id: MINTED_REQUEST_ID}
        counts: dict[str, int] = {}
        for added in item.added:
            if added.minted_oid:
                counts[added.kind] = counts.get(added.kind, 0) + 1
                values[added.oid] = f"{added.kind}_added_{counts[added.kind]}"
        return cls(values, item.minted_since)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {name: self(member) for name, member in value.items()}
        if isinstance(value, list):
            return [self(member) for member in value]
        if isinstance(value, str):
            if self.since and ISO_TIME.fullmatch(value) and value >= self.since:
                return MINTED_TIME
            for minted, stand_in in self.values.items():  # also inside a message
                value = value.replace(minted, stand_in)
        return value


def _strings(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {text for member in value.values() for text in _strings(member)}
    if isinstance(value, list):
        return {text for member in value for text in _strings(member)}
    return {value} if isinstance(value, str) else set()


def project_name(root: Path) -> str:
    """The consumer's default name: the project's name in pyproject.toml, else its folder's."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return root.name
    name: Any = project.get("project", {}).get("name")
    return name if isinstance(name, str) and name else root.name
