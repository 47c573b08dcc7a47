"""Traffic: the requests and responses that passed between an app and the contract.

The one model of traffic in the kit. Its sources are the test double's journal
(`octave_mock`'s RecordedRequest rows, GET /_mock/requests), HAR files (a
contract run's, as schemathesis writes them, or a browser's), the proxy's
JSON Lines report and Pact files (the app's own contract); its readings are
the coverage of the contract (`octave_kit.coverage`) and the app's own
contract (`octave_kit.pact_writer`). Each source is read into
Exchange records, one per request; a traffic file (JSON Lines, schema
`octave-traffic/1`) holds them, so that processes can write theirs and one
reader merge them.

No key is ever kept: headers are kept by name only, and a request's key (its
`api_key` header, or any credential header) is blanked wherever else it
appears in the request or the response before anything is parsed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

import orjson

from octave_kit.json_text import loads_or_none
from octave_kit.keys import BLANKED_KEY, CREDENTIAL_HEADERS
from octave_kit.pact import JSON_MEDIA_TYPE, Body, PactError, parse_pact

TRAFFIC_SCHEMA = "octave-traffic/1"

# What a source knows of traffic, which decides what can be read from it.
TESTS = "tests"  # a team's tests on the test double: every request and response, and faults
CONTRACT = "contract"  # a contract run's HAR: every request and response, valid and invalid
APP = "app"  # a HAR from an app or a browser: requests and responses
LIVE = "live"  # the proxy's report: operations and statuses, no bodies
PACT = "pact"  # a Pact file: an interaction per request shape and status, bodies by example
KINDS = (TESTS, CONTRACT, APP, LIVE, PACT)

# The faults an app can meet on the way to the contract.
TIMEOUT = "timeout"  # no response came: the client gave up
DROPPED = "dropped connection"  # the connection was reset or closed without a response
GATEWAY = "gateway page"  # a 502, 503 or 504 with a page that is not the contract's JSON
RETRY_AFTER = "Retry-After"  # a response that says when to try again
FAULTS = (TIMEOUT, DROPPED, GATEWAY, RETRY_AFTER)
GATEWAY_STATUSES = frozenset({502, 503, 504})
# The test double's names of the faults it injects or is scripted to meet.
DOUBLE_FAULTS = {"hang": TIMEOUT, "reset": DROPPED, "gateway": GATEWAY}


class TrafficError(Exception):
    """A traffic file that cannot be read; the message names the file and what is wrong."""


class Routes(Protocol):
    """What the traffic model asks of the spec: the operation at a method and path."""

    def route(self, method: str, path: str) -> Any: ...


@dataclass(frozen=True)
class Exchange:
    """One request and what came back, as far as its source knows."""

    method: str
    path: str
    operation: str | None = None  # the spec's operationId; None for a path it does not have
    query: dict[str, str] = field(default_factory=dict)
    request_headers: tuple[str, ...] = ()  # names only, lower-cased: never a value
    request_json: Any = None  # the parsed body; None when empty, not JSON or not known
    status: int | None = None  # None: no response (a timeout, a dropped connection)
    response_headers: tuple[str, ...] = ()  # names only, lower-cased
    response_json: Any = None  # the parsed body; None when empty, not JSON or not known
    fault: str | None = None  # one of FAULTS, when the source knows it met one

    @property
    def faults(self) -> frozenset[str]:
        """The faults this exchange met: its own, and a Retry-After if its response had one."""
        met = {self.fault} if self.fault else set()
        if "retry-after" in self.response_headers:
            met.add(RETRY_AFTER)
        return frozenset(met)

    def to_json(self) -> dict[str, Any]:
        line = asdict(self)
        line["request_headers"] = list(self.request_headers)
        line["response_headers"] = list(self.response_headers)
        return line

    @classmethod
    def from_json(cls, line: Mapping[str, Any]) -> Exchange:
        return cls(
            method=str(line["method"]),
            path=str(line["path"]),
            operation=line.get("operation"),
            query=dict(line.get("query") or {}),
            request_headers=tuple(line.get("request_headers") or ()),
            request_json=line.get("request_json"),
            status=line.get("status"),
            response_headers=tuple(line.get("response_headers") or ()),
            response_json=line.get("response_json"),
            fault=line.get("fault"),
        )


@dataclass
class Traffic:
    """Exchanges from one or more sources, and which kinds of source they came from."""

    exchanges: list[Exchange] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)

    def add(self, other: Traffic) -> None:
        self.exchanges += other.exchanges
        self.kinds |= other.kinds


def routed(exchange: Exchange, spec: Routes) -> Exchange:
    """The exchange with its operation named from the spec's routes, when the source had none."""
    if exchange.operation is not None:
        return exchange
    op = spec.route(exchange.method, exchange.path)
    if op is None:
        return exchange
    return replace(exchange, operation=op.operation_id)


# The test double's journal ------------------------------------------------------------------


def from_journal(entries: Iterable[Mapping[str, Any]]) -> Traffic:
    """The journal's rows (RecordedRequest's fields, or GET /_mock/requests' JSON).

    The journal blanked the key already; its `response` (when it kept responses) holds the
    response's header names and body.
    """
    exchanges = []
    for entry in entries:
        response = entry.get("response") or {}
        fault = entry.get("fault")
        exchanges.append(
            Exchange(
                method=entry["method"],
                path=entry["path"],
                operation=entry.get("operation"),
                query=dict(entry.get("query") or {}),
                request_headers=tuple(sorted(entry.get("headers") or ())),
                request_json=entry.get("json"),
                status=entry.get("status"),
                response_headers=tuple(response.get("headers") or ()),
                response_json=response.get("json"),
                fault=DOUBLE_FAULTS.get(fault) if isinstance(fault, str) else None,
            )
        )
    return Traffic(exchanges, {TESTS})


# HAR files -----------------------------------------------------------------------------------


def read_har(path: Path, document: Any, kind: str = APP) -> Traffic:
    """A HAR file's entries (HAR 1.2: schemathesis' `--report har`, a browser's export)."""
    try:
        entries = document["log"]["entries"]
        exchanges = [_har_exchange(entry) for entry in entries]
    except (KeyError, TypeError, ValueError) as error:
        raise TrafficError(f"{path}: not a HAR file this kit can read ({error!r})") from None
    return Traffic(exchanges, {kind})


def _har_kind(document: Any) -> str:
    """A contract run's HAR (schemathesis writes it with the harfile library), or an app's."""
    creator = document["log"].get("creator") if isinstance(document["log"], dict) else None
    return CONTRACT if isinstance(creator, dict) and creator.get("name") == "harfile" else APP


def _har_exchange(entry: Mapping[str, Any]) -> Exchange:
    request, response = entry["request"], entry.get("response") or {}
    request_headers = {h["name"].lower(): str(h.get("value", "")) for h in request["headers"]}
    secrets = _secrets(request_headers)
    url = urlsplit(_blanked(request["url"], secrets))
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    status = int(response.get("status") or 0) or None
    response_headers = sorted({h["name"].lower() for h in response.get("headers") or ()})
    content = response.get("content") or {}
    response_text = _har_text(content.get("text"), content.get("encoding"))
    fault = None
    if status is None:
        error = str(response.get("_error") or entry.get("_error") or "").lower()
        fault = DROPPED if any(word in error for word in ("reset", "closed", "empty")) else TIMEOUT
    elif status in GATEWAY_STATUSES and "json" not in str(content.get("mimeType", "")):
        fault = GATEWAY
    post = request.get("postData") or {}
    request_text = _har_text(post.get("text"), post.get("encoding"))
    return Exchange(
        method=request["method"].upper(),
        path=url.path,
        query=query,
        request_headers=tuple(sorted(request_headers)),
        request_json=loads_or_none(_blanked(request_text, secrets)),
        status=status,
        response_headers=tuple(response_headers),
        response_json=loads_or_none(_blanked(response_text, secrets)),
        fault=fault,
    )


def _har_text(text: Any, encoding: Any) -> str:
    if not isinstance(text, str):
        return ""
    if encoding == "base64":
        return base64.b64decode(text).decode("utf-8", "replace")
    return text


def _secrets(headers: Mapping[str, str]) -> list[str]:
    """The credentials a request carries, longest first, to blank wherever else they appear."""
    found = {value for name, value in headers.items() if name in CREDENTIAL_HEADERS and value}
    for value in list(found):  # "Bearer k": the key alone too
        found.update(part for part in value.split() if len(part) >= 8)
    return sorted(found, key=len, reverse=True)


def _blanked(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, BLANKED_KEY)
    return text


# The proxy's report --------------------------------------------------------------------------


def read_proxy_report(path: Path, lines: list[Any]) -> Traffic:
    """The proxy's JSON Lines report: a line per request (its summaries are left aside).

    The report keeps no bodies (it may hold production data), so it tells operations and
    statuses only. A request the proxy refused itself (`"refused": true`: read-only, too
    large, `--errors`, no upstream) never met Octave's answer, and is left aside too.
    """
    exchanges = []
    for number, line in enumerate(lines, 1):
        if "summary" in line or (isinstance(line, dict) and line.get("refused") is True):
            continue
        try:
            exchanges.append(
                Exchange(
                    method=str(line["method"]),
                    path=str(line["path"]),
                    operation=line.get("operation"),
                    status=line["status"],
                )
            )
        except (KeyError, TypeError) as error:
            raise TrafficError(f"{path}:{number}: not a proxy report line ({error!r})") from None
    return Traffic(exchanges, {LIVE})


# Pact files ---------------------------------------------------------------------------------


def read_pact_file(path: Path, document: Any) -> Traffic:
    """A Pact file's HTTP interactions (V2 to V4), an exchange each: the app's own contract."""
    try:
        pact = parse_pact(document, str(path))
    except PactError as error:
        raise TrafficError(str(error)) from None
    exchanges = [
        Exchange(
            method=interaction.method,
            path=interaction.path,
            query={name: values[0] for name, values in interaction.query.items() if values},
            request_headers=tuple(sorted(interaction.headers)),
            request_json=_pact_json(interaction.request_body),
            status=interaction.status,
            response_json=_pact_json(interaction.response_body),
        )
        for interaction in pact.interactions
    ]
    return Traffic(exchanges, {PACT})


def _pact_json(body: Body | None) -> Any:
    return None if body is None or body.content_type != JSON_MEDIA_TYPE else body.content


# Traffic files -------------------------------------------------------------------------------


def write_traffic(path: Path, traffic: Traffic) -> None:
    """Traffic as JSON Lines: a header naming the schema and kinds, then an exchange a line."""
    header = {"schema": TRAFFIC_SCHEMA, "kinds": sorted(traffic.kinds)}
    with path.open("wb") as handle:
        handle.write(orjson.dumps(header) + b"\n")
        for exchange in traffic.exchanges:
            handle.write(orjson.dumps(exchange.to_json()) + b"\n")


def json_lines(path: Path, text: str) -> Iterator[Any]:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise TrafficError(f"{path}:{number}: not JSON ({error.msg})") from None


def read_traffic(path: Path, lines: list[Any]) -> Traffic:
    """A traffic file that write_traffic wrote."""
    header, rest = lines[0], lines[1:]
    kinds = set(header.get("kinds") or ())
    if not kinds <= set(KINDS):
        raise TrafficError(f"{path}: unknown kinds of traffic {sorted(kinds - set(KINDS))}")
    try:
        return Traffic([Exchange.from_json(line) for line in rest], kinds)
    except (KeyError, TypeError, AttributeError) as error:
        raise TrafficError(f"{path}: not an {TRAFFIC_SCHEMA} line ({error!r})") from None


def read_file(path: Path) -> Traffic:
    """Any traffic file, told by its content: HAR, a Pact file, a traffic file, the proxy's
    report."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TrafficError(f"{path}: cannot read it ({error})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = None
    if isinstance(document, dict) and "log" in document:
        return read_har(path, document, _har_kind(document))
    if isinstance(document, dict) and "interactions" in document:
        return read_pact_file(path, document)
    lines = [document] if isinstance(document, dict) else list(json_lines(path, text))
    if not lines or not all(isinstance(line, dict) for line in lines):
        raise TrafficError(f"{path}: neither HAR, a Pact file, a traffic file nor a proxy report")
    if lines[0].get("schema") == TRAFFIC_SCHEMA:
        return read_traffic(path, lines)
    if all("summary" in line or "operation" in line for line in lines):
        return read_proxy_report(path, lines)
    raise TrafficError(f"{path}: neither HAR, a Pact file, a traffic file nor a proxy report")
